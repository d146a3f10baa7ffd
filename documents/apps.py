from django.apps import AppConfig


def request_published_pdf(sender, *, version, **kwargs) -> None:
    """Start rendering a strategy's PDF as soon as it is published, so the
    public download is ready by the time anyone asks for it."""
    from documents.services import document_request

    document_request(version=version)


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from documents.services import strategy_pdf_label
        from strategy.public_extras import register_pdf_label
        from strategy.signals import version_published

        # strategy sits below documents and must not import it, so documents
        # listens for the publication instead of being called.
        version_published.connect(
            request_published_pdf, dispatch_uid="documents.request_published_pdf"
        )
        register_pdf_label(strategy_pdf_label)

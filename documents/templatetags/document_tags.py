"""Template tags for pages of other apps that link to a document, so those
apps' views need not import documents."""

from django import template
from django.template.defaultfilters import filesizeformat

from documents.models import RenderedDocument

register = template.Library()


@register.simple_tag
def strategy_pdf_size(version) -> str:
    """"412 KB, 13 pages" once the version's PDF is ready, else "": GOV.UK
    links to a file say its type and, when known, its size and length."""
    document = (
        RenderedDocument.objects.filter(
            version=version, kind=RenderedDocument.Kind.STRATEGY,
            status=RenderedDocument.Status.READY,
        )
        .only("size", "pages")
        .first()
    )
    parts = []
    if document is not None and document.size:
        parts.append(filesizeformat(document.size).replace("\xa0", " "))
    if document is not None and document.pages:
        parts.append(f"{document.pages} page{'s' if document.pages != 1 else ''}")
    return ", ".join(parts)

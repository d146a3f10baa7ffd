from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "subscriptions"
    verbose_name = "Following consultations by e-mail"

    def ready(self) -> None:
        from consultation import signals as consultation_signals
        from subscriptions import receivers

        # A consultation opening, or its results being published, queues the
        # e-mails to the people who follow it once the change is committed.
        consultation_signals.consultation_opened.connect(
            receivers.consultation_opened, dispatch_uid="subscriptions.consultation_opened"
        )
        consultation_signals.consultation_results_published.connect(
            receivers.consultation_results_published,
            dispatch_uid="subscriptions.consultation_results_published",
        )

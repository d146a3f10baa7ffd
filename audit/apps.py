from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from django.contrib.auth.signals import (
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )

        from audit import receivers

        # Django's own signals, sent for every sign-in form and backend (the
        # sign-in page, the admin's, single sign-on).
        user_logged_in.connect(receivers.signed_in, dispatch_uid="audit-signed-in")
        user_login_failed.connect(receivers.sign_in_failed, dispatch_uid="audit-sign-in-failed")
        user_logged_out.connect(receivers.signed_out, dispatch_uid="audit-signed-out")

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RemindersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from safermk.schedules import setup_schedules_after_migrate

        # Once per `migrate` (and per test database): the periodic schedules
        # declared in safermk/schedules.py are written to django-celery-beat's
        # tables, so `make run`, docker and CI all get them without a step.
        post_migrate.connect(setup_schedules_after_migrate, sender=self)

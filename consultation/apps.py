from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = "Public consultation"

    def ready(self) -> None:
        # Strategy cannot import consultation, so the check that every
        # required consultee was consulted joins its one transition check here.
        from consultation.consultees import consultee_refusals
        from strategy import lifecycle

        lifecycle.register_guard(consultee_refusals)

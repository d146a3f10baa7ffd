from django.apps import AppConfig


class CrimedataConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "crimedata"
    verbose_name = "Police recorded crime"

    def ready(self) -> None:
        from crimedata.panels import assessment_evidence
        from strategy.assessment_panels import register_assessment_panel

        # strategy sits below crimedata and must not import it: the
        # assessment page shows what is registered with it.
        register_assessment_panel(assessment_evidence)

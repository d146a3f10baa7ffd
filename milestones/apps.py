from django.apps import AppConfig


class MilestonesConfig(AppConfig):
    name = "milestones"
    verbose_name = "Milestones and governance"

    def ready(self) -> None:
        # Strategy cannot import milestones (the arrow runs the other way), so
        # the boards' approval joins strategy's one transition check here.
        from milestones.governance import approval_refusals
        from strategy import lifecycle

        lifecycle.register_guard(approval_refusals)

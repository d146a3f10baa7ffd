from django.apps import AppConfig


class MilestonesConfig(AppConfig):
    name = "milestones"
    verbose_name = "Milestones and governance"

    def ready(self) -> None:
        # Strategy cannot import milestones (the arrow runs the other way), so
        # the boards' approval joins strategy's one transition check here.
        from milestones.governance import approval_date_floor, approval_refusals
        from strategy import lifecycle

        lifecycle.register_guard(approval_refusals)
        lifecycle.register_date_floor(approval_date_floor)

        # Milestones complete when what they stand for happens: the senders
        # (strategy, consultation) do not know this app exists.
        from consultation import signals as consultation_signals
        from milestones import receivers
        from strategy import signals as strategy_signals

        strategy_signals.strategy_transitioned.connect(
            receivers.strategy_transitioned, dispatch_uid="milestones.strategy_transitioned"
        )
        consultation_signals.consultation_opened.connect(
            receivers.consultation_opened, dispatch_uid="milestones.consultation_opened"
        )
        consultation_signals.consultation_closed.connect(
            receivers.consultation_closed, dispatch_uid="milestones.consultation_closed"
        )

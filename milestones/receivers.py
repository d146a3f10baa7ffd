"""Complete a plan's milestones when what they stand for happens elsewhere.

Strategy and consultation send explicit signals from their services (they
never import milestones); each receiver here turns one into a call to
milestone_complete_for_event. Board approvals need no signal: sign-off is
part of this app (see signoff_decide).
"""

from __future__ import annotations

from django.utils import timezone

from milestones.services import PlanEvent, milestone_complete_for_event
from strategy.models import Strategy

S = Strategy.Status

# A move back (to drafting after a consultation) completes nothing.
TRANSITION_EVENTS: dict[tuple[str | None, str], PlanEvent] = {
    (S.PLANNING, S.DRAFTING): PlanEvent.DRAFTING_STARTED,
    (None, S.CONSULTATION): PlanEvent.DRAFT_READY,
    (None, S.SIGN_OFF): PlanEvent.DRAFT_READY,
    (None, S.ADOPTED): PlanEvent.ADOPTED,
    (None, S.PUBLISHED): PlanEvent.PUBLISHED,
}


def strategy_transitioned(sender, *, strategy, transition, **kwargs) -> None:
    event = TRANSITION_EVENTS.get(
        (transition.from_status, transition.to_status)
    ) or TRANSITION_EVENTS.get((None, transition.to_status))
    if event is None:
        return
    milestone_complete_for_event(
        event=event,
        strategy=strategy,
        # The day it happened, which a step recorded afterwards gives.
        on=transition.happened_on,
        by=transition.by,
        because=f"{strategy.title}: {Strategy.Status(transition.to_status).label.lower()}",
    )


def consultation_opened(sender, *, consultation, **kwargs) -> None:
    milestone_complete_for_event(
        event=PlanEvent.CONSULTATION_OPENED,
        strategy=consultation.strategy,
        consultation=consultation,
        on=timezone.localdate(consultation.opened_at or timezone.now()),
        because=f"The consultation “{consultation.title}” opened",
    )


def consultation_closed(sender, *, consultation, **kwargs) -> None:
    milestone_complete_for_event(
        event=PlanEvent.CONSULTATION_CLOSED,
        strategy=consultation.strategy,
        consultation=consultation,
        on=timezone.localdate(consultation.closed_at or timezone.now()),
        because=f"The consultation “{consultation.title}” closed",
    )

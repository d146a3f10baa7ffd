"""The panels of the signed-in dashboard, in order.

The dashboard gathers what every app has to show a signed-in person. Each
panel is a function (request) -> Panel | None in the app that owns the data;
it returns None when it has nothing for this user. Add a panel here to put it
on the dashboard.

"What needs doing" (dashboard.todo) comes before all of them; the board
member's record of past decisions follows it.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from milestones.parts import Part
from reminders.kinds import Kind
from reminders.models import SentReminder
from safermk.panels import Panel

PANELS = [
    "milestones.panels.past_decisions",
    "reminders.panels.notices",
    "milestones.panels.awaiting_review",
    "milestones.panels.due_milestones",
    "reviews.panels.due_actions",
    "strategy.panels.strategies",
    "consultation.panels.consultations",
    "dashboard.panels.my_partnerships",
    "documents.panels.strategy_documents",
    "accessibility.panels.format_requests",
    "crimedata.panels.crime_data",
]


def collect(request) -> list[Panel]:
    panels = []
    for dotted in PANELS:
        panel = import_string(dotted)(request)
        if panel is not None:
            panels.append(panel)
    return panels


def drop_outdated_notices(panels: list[Panel], signoff_parts: dict[int, str]) -> None:
    """A notice is a copy of a reminder as it was when sent. A sign-off
    notice that no longer holds ("your review is awaited" once the quorum is
    in, or once the board has decided) would contradict "What needs doing",
    which is read live: leave it out of the dashboard. One query."""
    for panel in panels:
        notices = panel.context.get("notices") if panel.template.startswith("reminders/") else None
        if not notices:
            continue
        kinds = {
            notice_id: (kind, subject_id)
            for notice_id, kind, subject_id in SentReminder.objects.filter(
                notice__in=[n.pk for n in notices],
                kind__in=[Kind.SIGNOFF_REVIEW, Kind.SIGNOFF_DECISION],
            ).values_list("notice__id", "kind", "subject_id")
        }
        still = {Kind.SIGNOFF_REVIEW: Part.REVIEW, Kind.SIGNOFF_DECISION: Part.DECIDE}
        panel.context["notices"] = [
            n
            for n in notices
            if n.pk not in kinds
            or signoff_parts.get(kinds[n.pk][1]) == still[kinds[n.pk][0]]
        ]


def my_partnerships(request) -> Panel | None:
    access = request.access
    memberships = sorted(access.memberships.values(), key=lambda m: m.partnership.name)
    boards = sorted(
        access.board_memberships.values(),
        key=lambda bm: (bm.board.partnership.name, bm.board.order),
    )
    if not memberships and not boards:
        return None
    return Panel(
        "dashboard/panels/my_partnerships.html",
        {"memberships": memberships, "board_memberships": boards},
        column="side",
    )

"""The panels of the signed-in dashboard, in order.

The dashboard gathers what every app has to show a signed-in person. Each
panel is a function (request) -> Panel | None in the app that owns the data;
it returns None when it has nothing for this user. Add a panel here to put it
on the dashboard.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from safermk.panels import Panel

PANELS = [
    "reminders.panels.notices",
    "milestones.panels.awaiting_review",
    "milestones.panels.due_milestones",
    "strategy.panels.strategies",
    "consultation.panels.consultations",
    "dashboard.panels.my_partnerships",
    "documents.panels.strategy_documents",
]


def collect(request) -> list[Panel]:
    panels = []
    for dotted in PANELS:
        panel = import_string(dotted)(request)
        if panel is not None:
            panels.append(panel)
    return panels


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

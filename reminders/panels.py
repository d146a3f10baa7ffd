"""Dashboard panel: the signed-in person's unread notices, and the way to
each of their partnerships' statutory duties."""

from __future__ import annotations

from reminders.models import Notice
from safermk.panels import Panel

SHOWN = 10


def notices(request) -> Panel | None:
    access = request.access
    unread = Notice.objects.for_user(request.user).unread()
    rows = list(unread.order_by("-created_at", "-pk")[: SHOWN + 1])
    # From the memberships Access has loaded already: no query of its own.
    partnerships = {m.partnership.pk: m.partnership for m in access.memberships.values()}
    for bm in access.board_memberships.values():
        partnerships.setdefault(bm.board.partnership_id, bm.board.partnership)
    return Panel(
        "reminders/panels/notices.html",
        {
            "notices": rows[:SHOWN],
            "more": len(rows) > SHOWN,
            "next": request.get_full_path(),
            "partnerships": sorted(partnerships.values(), key=lambda p: p.name),
        },
    )

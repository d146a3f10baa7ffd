"""Dashboard panel: the signed-in person's unread notices."""

from __future__ import annotations

from reminders.models import Notice
from safermk.panels import Panel

SHOWN = 10


def notices(request) -> Panel | None:
    unread = Notice.objects.for_user(request.user).unread()
    rows = list(unread.order_by("-created_at", "-pk")[: SHOWN + 1])
    return Panel(
        "reminders/panels/notices.html",
        {"notices": rows[:SHOWN], "more": len(rows) > SHOWN, "next": request.get_full_path()},
    )

"""Dashboard panels: the milestones of the user's partnerships that are late
or due in the next four weeks, and the sign-offs before the user's boards."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from milestones.models import Milestone, SignOffDecision, SignOffRequest
from safermk.panels import Panel

HORIZON_DAYS = 28


def due_milestones(request) -> Panel | None:
    access = request.access
    ids = access.partnership_ids() if not access.is_superuser else None
    if ids is not None and not ids:
        return None
    today = timezone.localdate()
    rows = (
        Milestone.objects.open()
        .filter(due_date__lte=today + dt.timedelta(days=HORIZON_DAYS))
        .select_related("board", "strategy", "partnership")
        .order_by("due_date", "order")
    )
    if ids is not None:
        rows = rows.for_partnerships(ids)
    rows = list(rows[:20])
    return Panel(
        "milestones/panels/due_milestones.html",
        {
            "overdue": [m for m in rows if m.due_date < today],
            "upcoming": [m for m in rows if m.due_date >= today],
            "today": today,
            "horizon": HORIZON_DAYS,
        },
    )


def awaiting_review(request) -> Panel | None:
    """Sign-offs pending with the user's boards."""
    access = request.access
    board_ids = access.board_ids()
    if not board_ids:
        return None
    rows = list(
        SignOffRequest.objects.pending()
        .for_boards(board_ids)
        .select_related("board", "strategy", "version", "assessment")
        .order_by("requested_at", "pk")[:10]
    )
    return Panel("milestones/panels/awaiting_review.html", {"rows": rows})


PAST_DECISIONS_SHOWN = 5


def past_decisions(request) -> Panel | None:
    """The decisions of the user's boards, most recent first: what the board
    has already agreed, for a member preparing the next one."""
    board_ids = request.access.board_ids()
    if not board_ids:
        return None
    rows = list(
        SignOffDecision.objects.for_boards(board_ids).with_detail()[: PAST_DECISIONS_SHOWN + 1]
    )
    return Panel(
        "milestones/panels/past_decisions.html",
        {"decisions": rows[:PAST_DECISIONS_SHOWN], "more": len(rows) > PAST_DECISIONS_SHOWN},
    )

"""Dashboard panel: actions from recommendations that are late or due in the
next four weeks, for the partnerships where the user is an officer (every
action) or a partner officer (their organisation's), with links to each
partnership's tracker and board report."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from partnerships.models import Membership
from reviews.models import Action
from safermk.panels import Panel

HORIZON_DAYS = 28
SHOWN = 20


def due_actions(request) -> Panel | None:
    access = request.access
    # Board members who are not the partnership's staff see its board report.
    board_partnerships = sorted(
        {bm.board.partnership for bm in access.board_memberships.values()
         if bm.board.partnership_id not in access.memberships},
        key=lambda p: p.name,
    )
    if not access.memberships and not board_partnerships:
        return None
    visible = Q(pk__in=[])
    for pid, m in access.memberships.items():
        if m.role in Membership.OFFICER_ROLES:
            visible |= Q(partnership_id=pid)
        elif m.organisation_id:
            visible |= Q(partnership_id=pid, owner_id=m.organisation_id)
    today = timezone.localdate()
    rows = list(
        Action.objects.open().filter(visible)
        .filter(due_on__lte=today + dt.timedelta(days=HORIZON_DAYS))
        .select_related("owner", "partnership").order_by("due_on", "pk")[:SHOWN]
    )
    memberships = sorted(access.memberships.values(), key=lambda m: m.partnership.name)
    return Panel("reviews/panels/due_actions.html", {
        "overdue": [a for a in rows if a.due_on < today],
        "upcoming": [a for a in rows if a.due_on >= today],
        "horizon": HORIZON_DAYS,
        "memberships": memberships,
        "officer_roles": Membership.OFFICER_ROLES,
        "board_partnerships": board_partnerships,
        "staff": bool(access.memberships),
    })

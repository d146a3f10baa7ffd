"""Dashboard panel: requests for another format waiting for a partnership's
officers."""

from __future__ import annotations

from django.db.models import Count, Q

from partnerships.models import Partnership
from safermk.panels import Panel


def format_requests(request) -> Panel | None:
    """For partnership officers: each of their partnerships with the number
    of requests waiting. One query. (Superusers reach any partnership's list
    from its set-up pages; a panel of every partnership would not fit.)"""
    ids = request.access.officer_partnership_ids()
    if not ids:
        return None
    partnerships = list(
        Partnership.objects.filter(pk__in=ids)
        .annotate(waiting=Count("format_requests", filter=Q(format_requests__done_at__isnull=True)))
        .order_by("name")
    )
    return Panel(
        "accessibility/panels/format_requests.html", {"partnerships": partnerships}, column="side"
    )

"""Dashboard panel: the consultations of the partnerships the user is an
officer of, with their status and responses so far."""

from __future__ import annotations

from django.db.models import Count

from consultation.models import Consultation
from safermk.panels import Panel


def consultations(request) -> Panel | None:
    access = request.access
    if not access.is_superuser and not access.officer_partnership_ids():
        return None
    rows = Consultation.objects.select_related("partnership").annotate(
        response_count=Count("responses")
    )
    if not access.is_superuser:
        rows = rows.for_partnerships(access.officer_partnership_ids())
    return Panel(
        "consultation/panels/consultations.html",
        {"consultations": list(rows.order_by("-opens_at")[:5])},
    )

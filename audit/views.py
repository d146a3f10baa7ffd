"""The audit trail of a partnership, for its administrators and superusers.

Read-only: there is no page that changes or deletes an audit record.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.forms import AuditFilterForm
from audit.models import AuditEvent
from partnerships.access import get_partnership_for_user

PAGE_SIZE = 50


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@login_required
@require_GET
def audit_log(request, partnership):
    partnership = get_partnership_for_user(request, partnership, administrator=True)
    events = AuditEvent.objects.for_partnership(partnership)
    people = list(
        get_user_model()
        .objects.filter(pk__in=events.filter(actor__isnull=False).values("actor_id"))
        .order_by("first_name", "last_name", "username")
    )
    form = AuditFilterForm(request.GET, people_ids={p.pk for p in people})
    filters = form.filters
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("person"):
        events = events.filter(actor_id=filters["person"])
    if filters.get("since"):
        events = events.filter(created_at__gte=_start_of(filters["since"]))
    if filters.get("until"):
        events = events.filter(created_at__lt=_start_of(filters["until"] + dt.timedelta(days=1)))
    if filters.get("q"):
        q = filters["q"]
        events = events.filter(
            Q(summary__icontains=q) | Q(actor_label__icontains=q)
            | Q(ip_address__icontains=q) | Q(user_agent__icontains=q)
        )
    page = Paginator(events.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "audit/log.html", {
        "partnership": partnership,
        "page": page,
        "form": form,
        "params": form.values,
        "problems": form.problems,
        "query": form.querystring(),
        "people": people,
        "actions": AuditEvent._meta.get_field("action").choices,
        "retention_days": settings.AUDIT_RETENTION_DAYS,
    })

"""The iCalendar feed of a person's partnerships: every milestone and every
board decision, for Outlook or any calendar that subscribes to a URL."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from milestones.models import Milestone, SignOffDecision
from partnerships.access import Access

PRODID = "-//SaferMK Strategy//Milestones and decisions//EN"


def feed_for(user, *, today: dt.date) -> bytes:
    access = Access(user)
    milestones = Milestone.objects.select_related("board", "strategy", "partnership")
    decisions = SignOffDecision.objects.select_related(
        "request__board", "request__strategy", "request__assessment", "request__partnership",
        "version",
    )
    if not access.is_superuser:
        ids = access.partnership_ids()
        milestones = milestones.for_partnerships(ids)
        decisions = decisions.filter(request__partnership_id__in=ids)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{settings.SAFERMK_BRAND_NAME}: milestones and decisions")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    # Outlook polls no more often than this asks.
    cal.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for m in milestones.order_by("due_date", "order", "pk"):
        cal.add_component(_milestone_event(m, stamp, today))
    for d in decisions.order_by("decided_on", "pk"):
        cal.add_component(_decision_event(d, stamp))
    return cal.to_ical()


def _milestone_event(m: Milestone, stamp, today: dt.date) -> Event:
    event = Event()
    event.add("uid", f"milestone-{m.pk}@safermk")
    event.add("dtstamp", stamp)
    start = m.starts_on or m.due_date
    event.add("dtstart", start)
    # All-day events end on the following day (exclusive).
    event.add("dtend", m.due_date + dt.timedelta(days=1))
    prefix = "LATE: " if m.is_overdue(today) else ""
    event.add("summary", f"{prefix}{m.title}")
    lines = [f"Status: {m.get_status_display()}", f"Kind: {m.get_kind_display()}"]
    if m.board:
        lines.append(f"Board: {m.board.name}")
    if m.strategy:
        lines.append(f"Strategy: {m.strategy.title}")
    if m.description:
        lines.append(m.description)
    event.add("description", "\n".join(lines))
    event.add("categories", [m.partnership.name, m.get_kind_display()])
    event.add("transp", "TRANSPARENT")
    return event


def _decision_event(d: SignOffDecision, stamp) -> Event:
    request = d.request
    subject = (
        request.assessment.title if request.assessment_id
        else f"{request.strategy.title}, version {d.version.number if d.version else ''}".strip()
    )
    event = Event()
    event.add("uid", f"decision-{d.pk}@safermk")
    event.add("dtstamp", stamp)
    event.add("dtstart", d.decided_on)
    event.add("dtend", d.decided_on + dt.timedelta(days=1))
    event.add("summary", f"{request.board.name}: {d.get_outcome_display()} – {subject}")
    lines = [f"Minute reference: {d.minute_reference}", f"Content hash: {d.content_hash}"]
    if d.conditions:
        lines.append(f"Conditions: {d.conditions}")
    event.add("description", "\n".join(lines))
    event.add("categories", [request.partnership.name, "Board decision"])
    event.add("transp", "TRANSPARENT")
    return event

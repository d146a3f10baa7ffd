"""Writing the audit trail, and purging it after AUDIT_RETENTION_DAYS.

Other apps call audit_record inside their own transaction, so a change that
is rolled back leaves no record and a record is never missing for a change
that was kept.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit import context
from audit.models import Action, AuditEvent

SUMMARY_LENGTH = AuditEvent._meta.get_field("summary").max_length


def _signed_in(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def actor_label(user) -> str:
    if user is None:
        return ""
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    username = user.get_username()
    return f"{name} ({username})" if name and name != username else username


def audit_record(
    *,
    action: str,
    summary: str,
    partnership=None,
    actor=None,
    target=None,
    detail: dict | None = None,
    request=None,
    record_where: bool = True,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Record one happening. `actor` defaults to the signed-in user of the
    current request; the address and user agent come from `request` or the
    current request (none for scheduled work). `record_where=False` leaves
    them out, for what members of the public send: their address is not
    needed to account for the partnership's own staff."""
    where = context.where_from(request) if request is not None else context.current()
    if actor is None and where is not None:
        actor = where.user
    actor = _signed_in(actor)
    target_type, target_id = "", ""
    if target is not None:
        target_type = f"{target._meta.app_label}.{target._meta.model_name}"
        target_id = str(target.pk)
    event = AuditEvent(
        partnership_id=getattr(partnership, "pk", partnership),
        actor=actor,
        actor_label=actor_label(actor),
        action=action,
        summary=summary[:SUMMARY_LENGTH],
        target_type=target_type,
        target_id=target_id,
        detail=detail or {},
        ip_address=where.ip_address if (where and record_where) else None,
        user_agent=where.user_agent if (where and record_where) else "",
        created_at=at or timezone.now(),
    )
    # The partnership and the actor are rows the caller already holds: no
    # query to check they exist.
    event.full_clean(exclude=["partnership", "actor"])
    event.save()
    return event


def audit_record_each(*, partnerships, **kwargs) -> list[AuditEvent]:
    """The same happening in the audit of each partnership it concerns (a
    person in two partnerships signs in once, and each sees it); with none,
    one record about no partnership."""
    ids = sorted({getattr(p, "pk", p) for p in partnerships}) or [None]
    return [audit_record(partnership=pid, **kwargs) for pid in ids]


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)


@transaction.atomic
def audit_purge(*, now: dt.datetime | None = None) -> int:
    """Delete audit records older than AUDIT_RETENTION_DAYS; the purge itself
    is recorded (with how many went), about no partnership."""
    cutoff = retention_cutoff(now)
    deleted = AuditEvent.objects.older_than(cutoff)._purge()
    if deleted:
        audit_record(
            action=Action.AUDIT_PURGE,
            summary=f"{deleted} audit records from before {timezone.localdate(cutoff):%d %B %Y} "
            "deleted after the retention period",
            detail={"deleted": deleted, "before": cutoff.isoformat()},
        )
    return deleted

"""The reminder scan: find what is due, claim it, then send it, exactly once.

1. scan(): each source in reminders.sources.SOURCES says what is due now. It
   only reads, so it can run as often as anyone likes (`--dry-run`).
2. claim: a SentReminder row, unique on (recipient, subject, kind,
   threshold), is inserted and committed together with its in-app Notice
   BEFORE any e-mail goes out. A second scan, a second beat or a retried task
   fails the insert and sends nothing.
3. send: the e-mail is sent and the row marked sent. A sender that dies in
   between leaves a `claimed` row; once it is older than
   REMINDERS_CLAIM_TIMEOUT (longer than any task may run), a later scan
   takes it over with a conditional update (only one scan can win that) and
   sends it.
People who chose a daily digest get their rows `queued`; send_digests()
claims one ReminderDigest per person per day the same way and sends them all
in one e-mail.

An e-mail handed to the mail server just before a crash, and not yet marked
sent, is sent again by the retry: the one duplicate no database can prevent.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from reminders import emails
from reminders.models import Notice, ReminderDigest, ReminderPreferences, SentReminder
from reminders.sources import SOURCES, Due, ScanContext

logger = logging.getLogger(__name__)


def claim_timeout() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "REMINDERS_CLAIM_TIMEOUT_MINUTES", 15))


@dataclass
class Outcome:
    recipient: str
    title: str
    kind: str
    threshold: str
    result: str  # "sent", "queued for digest", "retried", "would send", "failed", ...

    def __str__(self) -> str:
        return f"{self.result:<18} {self.recipient:<30} {self.kind}/{self.threshold}: {self.title}"


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, *args) -> None:
        self.outcomes.append(Outcome(*args))

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)


def scan(*, now: dt.datetime) -> list[Due]:
    """Every reminder due at `now`, from every source, each once."""
    ctx = ScanContext(now)
    found: dict[tuple, Due] = {}
    for dotted in SOURCES:
        for due in import_string(dotted)(ctx):
            found.setdefault(due.key, due)
    return list(found.values())


def run(*, now: dt.datetime | None = None, dry_run: bool = False, email: bool = True) -> Report:
    """The whole scan as the beat task and `send_reminders` run it.

    email=False delivers notices only (the demo uses it for its past dates)."""
    now = now or timezone.now()
    report = Report()
    due = scan(now=now)
    users = {
        u.pk: u
        for u in get_user_model().objects.filter(
            pk__in={d.recipient_id for d in due}, is_active=True
        )
    }
    preferences = {
        p.user_id: p for p in ReminderPreferences.objects.filter(user_id__in=list(users))
    }
    already = _already_claimed(due)
    wanted = []
    for d in due:
        user = users.get(d.recipient_id)
        prefs = preferences.get(d.recipient_id)
        if user is None or d.key in already or (prefs and not prefs.wants(d.kind)):
            continue
        wanted.append((d, user, bool(prefs and prefs.daily_digest)))

    if dry_run:
        for d, user, digest in wanted:
            result = "would queue" if digest else "would send"
            report.add(user.email or user.get_username(), d.title, d.kind, d.threshold, result)
        for row in SentReminder.objects.stale_claims(before=now - claim_timeout()).select_related(
            "recipient"
        ):
            report.add(row.recipient.email, row.title, row.kind, row.threshold, "would retry")
        return report

    for d, user, digest in wanted:
        row = _claim(d, now=now, digest=digest)
        if row is None:
            continue  # another scan claimed it first
        if digest:
            report.add(user.email, d.title, d.kind, d.threshold, "queued for digest")
        else:
            _send(
                row,
                user,
                now=now,
                report=report,
                result="sent" if email else "notice only",
                email=email,
            )
    retry_stale(now=now, report=report)
    return report


def _already_claimed(due: list[Due]) -> set[tuple]:
    """Keys of the due reminders that already have a row: one query, so a
    scan costs no writes for what went out before."""
    if not due:
        return set()
    rows = SentReminder.objects.filter(
        recipient_id__in={d.recipient_id for d in due},
        subject_id__in={d.subject_id for d in due},
        kind__in={d.kind for d in due},
    ).values_list("recipient_id", "subject_type_id", "subject_id", "kind", "threshold")
    return set(rows)


def _claim(due: Due, *, now: dt.datetime, digest: bool) -> SentReminder | None:
    try:
        with transaction.atomic():
            row = SentReminder.objects.create(
                recipient_id=due.recipient_id,
                subject_type_id=due.subject_type_id,
                subject_id=due.subject_id,
                kind=due.kind,
                threshold=due.threshold,
                partnership_id=due.partnership_id,
                title=due.title[:300],
                body=due.body,
                path=due.path,
                due_date=due.due_date,
                state=SentReminder.State.QUEUED if digest else SentReminder.State.CLAIMED,
                claimed_at=now,
            )
            Notice.objects.create(
                recipient_id=due.recipient_id,
                reminder=row,
                partnership_id=due.partnership_id,
                title=row.title,
                body=due.body,
                path=due.path,
                created_at=now,
            )
    except IntegrityError:
        return None
    return row


def _send(
    row: SentReminder, user, *, now: dt.datetime, report: Report, result: str, email: bool = True
) -> None:
    try:
        if email and user.email:
            emails.send_reminder(row, user)
    except Exception:
        # The row stays claimed; a later scan retries it after the timeout.
        logger.exception("Reminder %s to %s could not be sent", row.pk, user.pk)
        report.add(user.email, row.title, row.kind, row.threshold, "failed")
        return
    SentReminder.objects.filter(pk=row.pk, state=SentReminder.State.CLAIMED).update(
        state=SentReminder.State.SENT, sent_at=now
    )
    report.add(user.email or user.get_username(), row.title, row.kind, row.threshold, result)


def retry_stale(*, now: dt.datetime, report: Report) -> None:
    """Send what a dead sender claimed and never marked sent."""
    stale = SentReminder.objects.stale_claims(before=now - claim_timeout()).select_related(
        "recipient"
    )
    for row in stale:
        # Only one scan can move claimed_at on from the value it read.
        taken = SentReminder.objects.filter(
            pk=row.pk, state=SentReminder.State.CLAIMED, claimed_at=row.claimed_at
        ).update(claimed_at=now, attempts=F("attempts") + 1)
        if taken:
            _send(row, row.recipient, now=now, report=report, result="retried")


def send_digests(*, now: dt.datetime | None = None, dry_run: bool = False) -> Report:
    """One e-mail per person per day with everything queued for them."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    report = Report()
    waiting = SentReminder.objects.awaiting_digest().select_related("recipient")
    by_user: dict[int, list[SentReminder]] = {}
    for row in waiting:
        by_user.setdefault(row.recipient_id, []).append(row)
    for user_id, rows in by_user.items():
        user = rows[0].recipient
        if dry_run:
            for row in rows:
                report.add(user.email, row.title, row.kind, row.threshold, "would digest")
            continue
        try:
            with transaction.atomic():
                digest = ReminderDigest.objects.create(
                    recipient_id=user_id, day=day, claimed_at=now
                )
                SentReminder.objects.awaiting_digest().filter(recipient_id=user_id).update(
                    digest=digest
                )
        except IntegrityError:
            continue  # today's digest for this person is claimed already
        _send_digest(digest, user, now=now, report=report, result="digest sent")
    if not dry_run:
        stale = ReminderDigest.objects.filter(
            state=ReminderDigest.State.CLAIMED, claimed_at__lt=now - claim_timeout()
        ).select_related("recipient")
        for digest in stale:
            taken = ReminderDigest.objects.filter(
                pk=digest.pk, state=ReminderDigest.State.CLAIMED, claimed_at=digest.claimed_at
            ).update(claimed_at=now, attempts=F("attempts") + 1)
            if taken:
                _send_digest(
                    digest, digest.recipient, now=now, report=report, result="digest retried"
                )
    return report


def _send_digest(digest: ReminderDigest, user, *, now, report: Report, result: str) -> None:
    items = list(digest.items.order_by("due_date", "pk"))
    try:
        if user.email and items:
            emails.send_digest(items, user)
    except Exception:
        logger.exception("Digest %s to %s could not be sent", digest.pk, user.pk)
        report.add(user.email, f"{len(items)} reminders", "digest", str(digest.day), "failed")
        return
    with transaction.atomic():
        ReminderDigest.objects.filter(pk=digest.pk, state=ReminderDigest.State.CLAIMED).update(
            state=ReminderDigest.State.SENT, sent_at=now
        )
        digest.items.update(state=SentReminder.State.SENT, sent_at=now)
    for row in items:
        report.add(user.email, row.title, row.kind, row.threshold, result)

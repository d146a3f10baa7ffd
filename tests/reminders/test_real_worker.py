"""Exactly once, with a real Celery worker on the real Redis.

The worker runs in a thread of the test process (solo pool), so it shares
the locmem outbox and, with transaction=True, sees committed rows."""

from __future__ import annotations

import threading

import pytest
from django.core import mail

from milestones.models import Milestone
from reminders import engine, services, tasks
from reminders.kinds import Kind
from reminders.models import Notice, ReminderDigest, SentReminder
from tests import factories
from tests.reminders.conftest import wait_for
from tests.reminders.helpers import TODAY, at, milestone_due_in

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

NOW = at(TODAY).isoformat()


@pytest.fixture
def officer_and_partnership():
    partnership = factories.PartnershipFactory()
    officer = factories.MembershipFactory(partnership=partnership).user
    return officer, partnership


def _run_on_worker(task, now: str, *, times: int = 1) -> None:
    """Sends the task `times` times and waits until the worker has finished
    that many runs with these arguments (redelivered runs of other calls
    are not counted)."""
    from celery.signals import task_postrun

    done = []

    def record(sender=None, args=None, **kwargs):
        if sender.name == task.name and tuple(args or ()) == (now,):
            done.append(now)

    task_postrun.connect(record, weak=False)
    try:
        for _ in range(times):
            task.delay(now)
        wait_for(lambda: len(done) >= times, timeout=60)
    finally:
        task_postrun.disconnect(record)


def test_a_due_milestone_produces_exactly_one_email(real_worker, officer_and_partnership):
    officer, partnership = officer_and_partnership
    milestone_due_in(7, partnership=partnership, owner=officer)
    with real_worker():
        _run_on_worker(tasks.scan, NOW)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert SentReminder.objects.get().state == "sent"


def test_a_done_milestone_produces_no_email(real_worker, officer_and_partnership):
    officer, partnership = officer_and_partnership
    milestone_due_in(7, partnership=partnership, owner=officer, status=Milestone.Status.DONE)
    with real_worker():
        _run_on_worker(tasks.scan, NOW)
    assert mail.outbox == []
    assert not SentReminder.objects.exists()


def test_two_scans_at_the_same_moment_still_send_one_email(
    real_worker, officer_and_partnership, monkeypatch
):
    officer, partnership = officer_and_partnership
    milestone_due_in(7, partnership=partnership, owner=officer)
    # Both scans read "nothing claimed yet" before either inserts its claim:
    # the race the unique row must win.
    barrier = threading.Barrier(2, timeout=30)
    original = engine._already_claimed

    def both_read_first(due):
        keys = original(due)
        barrier.wait()
        return keys

    monkeypatch.setattr(engine, "_already_claimed", both_read_first)
    other = {}

    def second_beat():
        from django.db import connection

        try:
            other["report"] = engine.run(now=at(TODAY))
        except BaseException as exc:  # reported by the assertion below
            other["error"] = exc
        finally:
            connection.close()

    with real_worker():
        thread = threading.Thread(target=second_beat)
        thread.start()
        _run_on_worker(tasks.scan, NOW)
        thread.join(timeout=60)
    assert len(mail.outbox) == 1
    assert SentReminder.objects.count() == 1
    assert Notice.objects.count() == 1
    assert "error" not in other, other.get("error")
    # Both scans ran to the end; one of them sent the e-mail, the other
    # lost the insert and sent nothing.
    assert other["report"].count("sent") in (0, 1)


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: not an Exception, so no handler in the scan
    catches it, and Celery treats the worker as lost."""


def test_a_worker_killed_between_claim_and_send_leads_to_one_email_after_restart(
    real_worker, officer_and_partnership, monkeypatch
):
    officer, partnership = officer_and_partnership
    milestone_due_in(7, partnership=partnership, owner=officer)
    real_send = engine.emails.send_reminder
    kills = []

    def killed_once(reminder, user):
        if not kills:
            kills.append(reminder.pk)
            # The claim is committed; the worker dies before the e-mail leaves.
            assert SentReminder.objects.get(pk=reminder.pk).state == "claimed"
            raise WorkerKilled()
        real_send(reminder, user)

    monkeypatch.setattr(engine.emails, "send_reminder", killed_once)
    with real_worker("first"):
        # Celery counts the run as lost (acks_late, reject on worker lost) and
        # redelivers it: the redelivery finds the claim too young to take
        # over, so it sends nothing either.
        _run_on_worker(tasks.scan, NOW)
        wait_for(lambda: kills, timeout=30)
    assert mail.outbox == []
    row = SentReminder.objects.get()
    assert row.state == "claimed"

    later = at(TODAY, 7, 25).isoformat()  # past the 15-minute claim timeout
    with real_worker("restarted"):
        _run_on_worker(tasks.scan, later)
        _run_on_worker(tasks.scan, at(TODAY, 8, 25).isoformat())
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)


def test_preferences_are_honoured_by_the_worker(real_worker, officer_and_partnership):
    officer, partnership = officer_and_partnership
    colleague = factories.MembershipFactory(partnership=partnership).user
    services.preferences_update(user=officer, disabled_kinds=[Kind.MILESTONE], daily_digest=False)
    milestone_due_in(7, partnership=partnership, owner=officer)
    milestone_due_in(7, partnership=partnership, owner=colleague)
    with real_worker():
        _run_on_worker(tasks.scan, NOW)
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_the_digest_merges_reminders_into_one_email_on_the_worker(
    real_worker, officer_and_partnership
):
    officer, partnership = officer_and_partnership
    services.preferences_update(user=officer, disabled_kinds=[], daily_digest=True)
    milestone_due_in(7, partnership=partnership, owner=officer, title="Step one")
    milestone_due_in(1, partnership=partnership, owner=officer, title="Step two")
    with real_worker():
        _run_on_worker(tasks.scan, NOW)
        assert mail.outbox == []
        _run_on_worker(tasks.send_digests, at(TODAY, 7, 30).isoformat(), times=2)
    assert len(mail.outbox) == 1
    assert "Step one" in mail.outbox[0].body and "Step two" in mail.outbox[0].body
    assert ReminderDigest.objects.get().state == "sent"

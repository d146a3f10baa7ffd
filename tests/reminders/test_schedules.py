"""Every periodic schedule is declared in safermk/schedules.py and installed in
django-celery-beat's database schedule by `migrate`."""

import pytest
from django_celery_beat.models import PeriodicTask

from safermk import schedules
from safermk.celery import app

pytestmark = pytest.mark.django_db


def test_migrate_installs_every_declared_schedule():
    installed = {
        t.name: t for t in PeriodicTask.objects.filter(name__startswith=schedules.MANAGED_PREFIX)
    }
    assert set(installed) == {schedules.MANAGED_PREFIX + p.name for p in schedules.PERIODIC}
    scan = installed[schedules.MANAGED_PREFIX + "Reminder scan"]
    assert scan.task == "reminders.tasks.scan" and scan.enabled
    assert (scan.crontab.minute, scan.crontab.hour) == ("5", "7-19")


def test_every_scheduled_task_exists_and_has_soft_and_hard_time_limits():
    app.loader.import_default_modules()  # what a worker does: autodiscover the tasks
    for entry in schedules.PERIODIC:
        task = app.tasks[entry.task]
        assert task.soft_time_limit and task.time_limit, entry.task
        assert task.soft_time_limit < task.time_limit


def test_installing_again_changes_nothing_and_disables_what_is_no_longer_declared(monkeypatch):
    schedules.setup_schedules()
    before = list(PeriodicTask.objects.order_by("name").values_list("name", "task", "enabled"))
    schedules.setup_schedules()
    assert (
        list(PeriodicTask.objects.order_by("name").values_list("name", "task", "enabled")) == before
    )

    monkeypatch.setattr(schedules, "PERIODIC", schedules.PERIODIC[:1])
    schedules.setup_schedules()
    digest = PeriodicTask.objects.get(name=schedules.MANAGED_PREFIX + "Reminder daily digest")
    assert digest.enabled is False

"""Every periodic task named in safermk/schedules.py exists, has time limits,
and is in beat's database schedule after migrate."""

import pytest
from django_celery_beat.models import PeriodicTask

from safermk.celery import app
from safermk.schedules import MANAGED_PREFIX, PERIODIC


def test_every_scheduled_task_is_registered_with_soft_and_hard_time_limits():
    app.loader.import_default_modules()
    for entry in PERIODIC:
        task = app.tasks.get(entry.task)
        assert task is not None, f"{entry.task} is scheduled but no such task is registered"
        assert task.soft_time_limit, f"{entry.task} has no soft time limit"
        assert task.time_limit and task.time_limit > task.soft_time_limit, entry.task


@pytest.mark.django_db
def test_migrate_writes_every_schedule_into_the_database_scheduler():
    names = set(PeriodicTask.objects.filter(enabled=True).values_list("name", "task"))
    for entry in PERIODIC:
        assert (MANAGED_PREFIX + entry.name, entry.task) in names

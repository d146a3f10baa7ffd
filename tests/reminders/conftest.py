"""A real Celery worker on the real Redis, for the exactly-once tests."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker

from safermk.celery import app as celery_app


def _require_redis() -> None:
    if os.environ.get("REDIS_URL"):
        return
    if os.environ.get("CI"):
        pytest.fail("REDIS_URL must be set in CI: the real-worker reminder tests need Redis.")
    pytest.skip("REDIS_URL is not set: the real-worker reminder tests need a Redis server.")


@pytest.fixture
def real_worker(transactional_db):
    """Yields a function that starts a worker (a context manager), with
    tasks going to Redis instead of running eagerly for the test's duration."""
    _require_redis()
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()  # nothing left over from an earlier run

    @contextmanager
    def worker(name: str = "reminders-test"):
        with start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            shutdown_timeout=20,
            hostname=f"{name}@{os.getpid()}",
        ) as w:
            yield w

    try:
        yield worker
    finally:
        celery_app.control.purge()
        celery_app.conf.task_always_eager = previous


def wait_for(condition, *, timeout: float = 30, interval: float = 0.1):
    """Polls until condition() is truthy; fails with a message otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Gave up after {timeout}s waiting for {condition.__doc__ or condition}")

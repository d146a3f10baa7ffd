"""An edit and an adoption of the same strategy at the same moment: the
strategy row lock makes them run one after the other, so a strategy is
never adopted with text its boards did not approve."""

import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from strategy import services
from strategy.models import Strategy
from tests import factories
from tests.milestones.factories import strategy_with_content

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _require_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("This test needs PostgreSQL in CI: set DATABASE_URL.")
        pytest.skip("Row locks are what this test is about: run with DATABASE_URL on PostgreSQL.")


def _in_thread(target, result):
    def run():
        try:
            result["value"] = target()
        except BaseException as exc:  # reported by the test's assertions
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_an_adoption_waits_for_an_edit_in_progress_and_then_refuses_the_changed_text(
    partnership,
):
    _require_postgres()
    strategy = strategy_with_content(partnership)
    services.strategy_transition(strategy=strategy, to_status=Strategy.Status.SIGN_OFF)
    factories.approve_for_adoption(strategy)
    priority = strategy.priorities.first()
    edited, release = threading.Event(), threading.Event()

    def edit():
        with transaction.atomic():
            services.priority_update(priority=priority, title="Changed at the last minute")
            edited.set()
            release.wait(timeout=20)

    edit_result, adopt_result = {}, {}
    editor = _in_thread(edit, edit_result)
    assert edited.wait(timeout=20)
    adopter = _in_thread(
        lambda: services.strategy_transition(strategy=Strategy.objects.get(pk=strategy.pk),
                                             to_status=Strategy.Status.ADOPTED),
        adopt_result,
    )
    adopter.join(timeout=1)
    assert adopter.is_alive(), "the adoption did not wait for the edit's lock"
    release.set()
    editor.join(timeout=20)
    adopter.join(timeout=20)

    assert "error" not in edit_result, edit_result.get("error")
    assert isinstance(adopt_result.get("error"), ValidationError), adopt_result
    assert "the strategy has changed since" in adopt_result["error"].messages[0]
    assert Strategy.objects.get(pk=strategy.pk).status == Strategy.Status.SIGN_OFF


def test_an_edit_that_waited_for_an_adoption_is_refused(partnership):
    _require_postgres()
    strategy = strategy_with_content(partnership)
    services.strategy_transition(strategy=strategy, to_status=Strategy.Status.SIGN_OFF)
    factories.approve_for_adoption(strategy)
    priority = strategy.priorities.first()
    stale = Strategy.objects.get(pk=strategy.pk)  # an edit page opened before the adoption
    adopted, release = threading.Event(), threading.Event()

    def adopt():
        with transaction.atomic():
            services.strategy_transition(strategy=strategy, to_status=Strategy.Status.ADOPTED)
            adopted.set()
            release.wait(timeout=20)

    adopt_result, edit_result = {}, {}
    adopter = _in_thread(adopt, adopt_result)
    assert adopted.wait(timeout=20)
    priority.strategy = stale
    editor = _in_thread(
        lambda: services.priority_update(priority=priority, title="Too late"), edit_result
    )
    editor.join(timeout=1)
    assert editor.is_alive(), "the edit did not wait for the adoption's lock"
    release.set()
    adopter.join(timeout=20)
    editor.join(timeout=20)

    assert "error" not in adopt_result, adopt_result.get("error")
    assert isinstance(edit_result.get("error"), ValidationError), edit_result
    priority.refresh_from_db()
    assert priority.title != "Too late"

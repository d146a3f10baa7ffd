"""Shared fixtures: people in each role, the demo, and helpers."""

from __future__ import annotations

import logging
import os
import re

import pytest
from django.core.cache import cache
from django.test import Client

from safermk.celery import app as celery_app
from tests import factories


@pytest.fixture(scope="session", autouse=True)
def _redis_database_per_test_process():
    """With pytest-xdist, each test process gets its own Redis database, so one
    process clearing its rate-limit counters or purging its broker queue never
    touches another's. Without xdist (or without Redis) nothing changes."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("REDIS_URL", "")
    if not (worker.startswith("gw") and url):
        yield
        return
    from django.test.utils import override_settings

    number = 10 + int(worker[2:])
    own = re.sub(r"(/\d+)?$", f"/{number}", url.split("?")[0], count=1)
    overrides = override_settings(
        REDIS_URL=own,
        CELERY_BROKER_URL=own,
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": own,
                "KEY_PREFIX": "safermk",
            }
        },
    )
    overrides.enable()
    previous_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = own
    os.environ["REDIS_URL"] = own
    yield
    os.environ["REDIS_URL"] = url
    celery_app.conf.broker_url = previous_broker
    overrides.disable()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Production hashes passwords with PBKDF2 at Django's full cost (about
    0.5 s each on this machine); tests make hundreds of users and sign in
    often, so they use a fast hasher. Nothing here tests the hash itself."""
    from django.test.utils import override_settings

    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    overrides.enable()
    yield
    overrides.disable()


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process unless a test starts a real worker (see the
    reminder and PDF tests), so nothing reaches a broker by accident."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _logging_as_configured():
    """Celery's test worker (start_worker) sets the root logger to ERROR and
    replaces its handlers for the rest of the process; put them back after
    each test, so a later test's warnings are still logged and captured."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.setLevel(level)
    root.handlers[:] = handlers


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partnership(db):
    return factories.PartnershipFactory()


@pytest.fixture
def other_partnership(db):
    return factories.PartnershipFactory()


@pytest.fixture
def officer(partnership):
    return factories.MembershipFactory(partnership=partnership).user


@pytest.fixture
def partner_officer(partnership):
    from partnerships.models import Membership

    return factories.MembershipFactory(partnership=partnership, role=Membership.Role.PARTNER).user


@pytest.fixture
def other_officer(other_partnership):
    return factories.MembershipFactory(partnership=other_partnership).user


@pytest.fixture
def board(partnership):
    return factories.BoardFactory(partnership=partnership)


@pytest.fixture
def board_member(board):
    return factories.BoardMembershipFactory(board=board).user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def demo(db):
    """The full SaferMK demo, as `make run` loads it today, except that no
    strategy PDF is rendered in advance (seconds each, in every test): a
    PDF is made when first asked for, as after a publication (tasks run
    eagerly in tests). tests/documents/test_demo_documents.py and
    tests/safermk/test_demo_dates.py load the demo with all of them.
    Loaded once per test process and written back in later tests
    (tests/demo_snapshot.py)."""
    from partnerships.models import Partnership
    from safermk.demo import load_all
    from tests import demo_snapshot

    demo_snapshot.load(lambda: load_all(superseded_pdfs=False, current_pdf=False))
    return Partnership.objects.get(slug="safermk")


@pytest.fixture
def demo_with_pdf(db):
    """The demo with the PDF of the strategy in force ready, as `make run`
    has it: for tests that download it inside their transaction, where a
    render asked for after commit would never run."""
    from partnerships.models import Partnership
    from safermk.demo import load_all

    load_all(superseded_pdfs=False)
    return Partnership.objects.get(slug="safermk")


@pytest.fixture
def installation_plan_templates(django_db_blocker):
    """The product's own plan templates are installed by a data migration.
    A test that uses transactional_db empties every table when it ends, taking
    them with it, so the next test of the same process would find none: put
    them back, as the migration wrote them, when they are missing."""
    import importlib

    from milestones.models import MilestoneTemplate, MilestoneTemplateStep

    with django_db_blocker.unblock():
        if MilestoneTemplate.objects.installation().filter(is_default=True).exists():
            return
        neutral = importlib.import_module(
            "milestones.migrations.0004_neutral_templates_and_step_boards"
        ).NEUTRAL
        neutral = neutral + importlib.import_module(
            "milestones.migrations.0007_serious_violence_plan_template"
        ).SERIOUS_VIOLENCE
        for name, description, is_default, steps in neutral:
            template = MilestoneTemplate.objects.create(
                partnership=None, name=name, description=description, is_default=is_default
            )
            for order, (title, text, kind, role, months, weeks) in enumerate(steps):
                MilestoneTemplateStep.objects.create(
                    template=template, title=title, description=text, kind=kind,
                    board_role=role, months_before_adoption=months,
                    weeks_before_adoption=weeks, order=order,
                )


@pytest.fixture
def on_commit_at_once(monkeypatch):
    """In a test wrapped in one transaction nothing commits, so what is
    queued "after the commit" runs at once instead, as the worker would
    right after it (tasks run eagerly in tests). Real-worker tests commit
    for real."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())

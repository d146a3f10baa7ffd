"""A partnership with a plan, a board with every role, and a pending
sign-off, for the page tests."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from milestones.models import MilestoneTemplate, MilestoneTemplateStep
from milestones.services import plan_generate, signoff_request
from partnerships.models import BoardMembership
from tests import factories
from tests.milestones.factories import board_with_members, strategy_with_content


@pytest.fixture(autouse=True)
def _installation_templates(django_db_blocker):
    """The product's own plan templates are installed by a data migration.
    A test that uses transactional_db empties every table when it ends, taking
    them with it, so the next test of the same process would find none: put
    them back, as the migration wrote them, when they are missing."""
    with django_db_blocker.unblock():
        if MilestoneTemplate.objects.installation().filter(is_default=True).exists():
            return
        neutral = importlib.import_module(
            "milestones.migrations.0004_neutral_templates_and_step_boards"
        ).NEUTRAL
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


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The page tests create a dozen people each; hashing their passwords
    # properly would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(partnership, officer, partner_officer, other_officer):
    board, people = board_with_members(partnership, quorum=2)
    other_board_member = factories.BoardMembershipFactory(
        board=factories.BoardFactory(partnership=partnership), role=BoardMembership.Role.MEMBER
    ).user
    strategy = strategy_with_content(partnership)
    plan = plan_generate(strategy=strategy,
                         template=MilestoneTemplate.objects.installation().get(is_default=True),
                         adoption=dt.date(2022, 3, 24), owner=officer)
    (signoff,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    return {
        "partnership": partnership,
        "board": board,
        "strategy": strategy,
        "plan": plan,
        "milestone": plan[0],
        "signoff": signoff,
        "users": {
            "anonymous": None,
            "officer": officer,
            "partner": partner_officer,
            "chair": people["chair"],
            "member": people["member"],
            "secretary": people["secretary"],
            "observer": people["observer"],
            "other_board": other_board_member,
            "other_partnership": other_officer,
        },
        "people": people,
    }

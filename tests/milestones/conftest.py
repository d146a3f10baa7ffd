"""A partnership with a plan, a board with every role, and a pending
sign-off, for the page tests."""

from __future__ import annotations

import datetime as dt

import pytest

from milestones.models import MilestoneTemplate
from milestones.services import plan_generate, signoff_request
from partnerships.models import BoardMembership
from tests import factories
from tests.milestones.factories import board_with_members, strategy_with_content


@pytest.fixture(autouse=True)
def _installation_templates(installation_plan_templates):
    """Every milestones test finds the product's own plan templates (see
    tests/conftest.py installation_plan_templates)."""


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

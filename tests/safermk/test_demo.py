"""The SaferMK demo reproduces the partnership's reports, and loading it twice
changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from consultation.models import Consultation, Response
from milestones.models import Milestone, SignOffDecision, SignOffRequest
from partnerships.models import Board, BoardMembership, Membership, Organisation
from reminders.models import DutyRecord, Notice
from strategy.models import (
    LineOfEnquiry,
    Measurement,
    Priority,
    StatutoryResponsibility,
    Strategy,
    StrategyTransition,
    StrategyVersion,
)

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            Board,
            BoardMembership,
            Membership,
            Priority,
            Strategy,
            StatutoryResponsibility,
            LineOfEnquiry,
            Milestone,
            get_user_model(),
            StrategyVersion,
            StrategyTransition,
            Measurement,
            Consultation,
            Response,
            SignOffRequest,
            SignOffDecision,
            Notice,
            DutyRecord,
        )
    }


def test_load_demo_is_idempotent():
    call_command("load_demo", "--quiet-users", "--today", "2026-11-30")
    first = _counts()
    first_pks = set(Strategy.objects.values_list("pk", flat=True))
    call_command("load_demo", "--quiet-users", "--today", "2026-11-30")
    assert _counts() == first
    # The same day's current cycle is kept, not rebuilt: officers' edits stay.
    assert set(Strategy.objects.values_list("pk", flat=True)) == first_pks


def test_demo_has_the_partnership_its_aim_partners_and_boards(demo):
    assert demo.aim == "To make Milton Keynes a safe place to live, work and visit."
    kinds = set(demo.organisations.values_list("kind", flat=True))
    # The youth offending team is a specified authority of the Serious Violence Duty.
    assert kinds == {"council", "police", "fire", "probation", "health", "pcc", "youth_justice"}
    assert set(demo.boards.values_list("name", flat=True)) == {
        "Risk Board",
        "MK Together Management Board",
        "Safer MK Partnership",
        "Scrutiny Management Committee",
    }


def test_demo_has_the_four_priorities_of_2018_21(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2018-2021")
    titles = list(strategy.priorities.values_list("title", flat=True))
    assert titles == [
        "Improving road safety by reducing the number of accidents and the severity of the "
        "collisions to individuals",
        "Reducing the number of violent incidences",
        "Tackling and enforcing substance misuse",
        "Enhance community engagement to reduce fear of crime",
    ]


def test_demo_has_the_statutory_responsibilities_of_the_report(demo):
    names = set(StatutoryResponsibility.objects.values_list("name", flat=True))
    assert {
        "Anti-Social Behaviour",
        "Reducing Re-offending",
        "Prevent",
        "Police and Crime Commissioner",
        "Section 17 of the Crime and Disorder Act 1998",
    } <= names


def test_demo_has_the_2022_process_from_july_to_march(demo):
    plan = Milestone.objects.filter(strategy__slug="safermk-strategy-2022").order_by("order")
    months = [(m.starts_on or m.due_date).strftime("%b %Y") for m in plan]
    assert months == [
        "Jul 2021",
        "Aug 2021",
        "Sep 2021",
        "Sep 2021",
        "Oct 2021",
        "Feb 2022",
        "Feb 2022",
        "Mar 2022",
    ]
    consultation = plan.get(kind="consultation")
    assert consultation.due_date.strftime("%b %Y") == "Jan 2022"


def test_demo_users_have_their_roles(demo):
    User = get_user_model()
    officer = User.objects.get(username="officer")
    assert officer.check_password("demo")
    assert Membership.objects.get(user=officer).role == "officer"
    police = Membership.objects.get(user__username="police")
    assert police.role == "partner" and police.organisation.name == "Thames Valley Police"
    assert BoardMembership.objects.get(user__username="riskboard").board.name == "Risk Board"
    chair = BoardMembership.objects.get(user__username="chair")
    assert chair.role == "chair" and chair.board.name == "MK Together Management Board"
    assert User.objects.get(username="admin").is_superuser
    # The partnership administrator sets up the partnership in the product,
    # without being a superuser or needing the Django admin.
    manager = User.objects.get(username="manager")
    assert not manager.is_superuser and not manager.is_staff
    assert Membership.objects.get(user=manager).role == "administrator"
    client = Client()
    client.force_login(manager)
    assert client.get(reverse("partnerships:manage", args=[demo.slug])).status_code == 200
    assert client.get(reverse("milestones:plan_templates", args=[demo.slug])).status_code == 200
    # Quorum-makers cannot sign in.
    assert not User.objects.get(username="rb-chair").has_usable_password()

"""Plans generated from a template, edited, rescheduled with a reason, and
marked done or missed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from milestones.demo import ADOPTION_2022, partnership_template
from milestones.models import Milestone
from milestones.services import (
    milestone_reschedule,
    milestone_set_status,
    milestone_update,
    plan_generate,
)
from tests import factories

pytestmark = pytest.mark.django_db

SEED_001_MONTHS = [
    # The "Key Milestones" table of the 2021 report, for adoption in March 2022.
    ("MK Together Management Board discussion of early findings of strategic assessment",
     "Jul 2021"),
    ("Risk Board sign off strategic assessment", "Aug 2021"),
    ("Strategic assessment presented to Safer MK", "Sep 2021"),
    ("Risk Board agree priorities informed by strategic assessment", "Sep 2021"),
    ("Consult key stakeholders on draft strategy", "Oct 2021 - Jan 2022"),
    ("Final draft signed off by Risk Board", "Feb 2022"),
    ("Final draft agreed by MK Together Management Board", "Feb 2022"),
    ("Strategy adopted by Safer MK", "Mar 2022"),
]


@pytest.fixture
def plan(partnership):
    for slug in ("risk-board", "management-board", "safer-mk"):
        factories.BoardFactory(partnership=partnership, slug=slug)
    strategy = factories.StrategyFactory(partnership=partnership)
    return plan_generate(strategy=strategy, template=partnership_template(partnership),
                         adoption=dt.date(2022, 3, 24))


def _month(m: Milestone) -> str:
    if m.starts_on:
        return f"{m.starts_on:%b %Y} - {m.due_date:%b %Y}"
    return f"{m.due_date:%b %Y}"


def test_the_plan_for_adoption_in_march_2022_matches_the_months_of_seed_001(plan):
    assert [(m.title, _month(m)) for m in plan] == SEED_001_MONTHS


def test_the_plan_ties_steps_to_the_partnership_boards_and_chains_them(plan):
    assert plan[1].board.slug == "risk-board"
    assert plan[6].board.slug == "management-board"
    assert plan[4].board is None and plan[4].kind == "consultation"
    assert list(plan[3].depends_on.all()) == [plan[2]]
    assert ADOPTION_2022 == plan[-1].due_date


def test_rescheduling_keeps_the_reason_in_the_history(plan):
    milestone = plan[5]
    milestone_reschedule(milestone=milestone, due_date=dt.date(2022, 2, 24),
                         reason="The Risk Board meeting moved")
    milestone.refresh_from_db()
    assert milestone.due_date == dt.date(2022, 2, 24)
    latest = milestone.history.order_by("-history_date").first()
    assert latest.history_change_reason == "Rescheduled: The Risk Board meeting moved"
    assert latest.due_date == dt.date(2022, 2, 24)


def test_rescheduling_needs_a_reason(plan):
    with pytest.raises(ValidationError, match="Enter the reason"):
        milestone_reschedule(milestone=plan[0], due_date=dt.date(2021, 8, 1), reason="  ")


def test_a_window_cannot_end_before_it_starts(plan):
    with pytest.raises(ValidationError):
        milestone_reschedule(milestone=plan[4], due_date=dt.date(2021, 9, 1), reason="Sooner")


def test_marking_done_records_the_day_and_reopening_clears_it(plan):
    milestone_set_status(milestone=plan[0], status=Milestone.Status.DONE,
                         on=dt.date(2021, 7, 20))
    assert plan[0].completed_on == dt.date(2021, 7, 20)
    milestone_set_status(milestone=plan[0], status=Milestone.Status.IN_PROGRESS)
    assert plan[0].completed_on is None


def test_overdue_means_open_and_past_its_date(plan):
    today = dt.date(2021, 8, 1)
    assert plan[0].is_overdue(today)
    milestone_set_status(milestone=plan[0], status=Milestone.Status.MISSED)
    assert not plan[0].is_overdue(today)
    assert list(Milestone.objects.overdue(today=today)) == []


def test_a_dependency_that_would_make_a_loop_is_refused(plan):
    with pytest.raises(ValidationError, match="already depends on"):
        milestone_update(milestone=plan[0], title=plan[0].title, description="",
                         kind=plan[0].kind, board=None, owner=None, depends_on=[plan[3]])


def test_dependencies_can_be_changed(plan):
    milestone_update(milestone=plan[7], title="Adopted by Safer MK", description="",
                     kind=plan[7].kind, board=plan[7].board, owner=None,
                     depends_on=[plan[5], plan[6]])
    assert set(plan[7].depends_on.all()) == {plan[5], plan[6]}
    assert plan[7].history.first().history_change_reason == "Details edited"

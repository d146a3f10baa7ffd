"""A partnership that is not the demo one (one board, five priorities, a
four-week consultation) plans from the template that comes with the
service, runs its cycle through the real services, and every milestone is
done on the day its event happened."""

import datetime as dt

import pytest
from django.utils import timezone

from consultation import services as consultation_services
from milestones.models import Milestone, MilestoneKind, MilestoneTemplate, SignOffOutcome
from milestones.plans import shift_months
from milestones.services import plan_generate, signoff_decide, signoff_request
from strategy.models import Strategy
from strategy.services import strategy_transition
from tests import factories
from tests.consultation.factories import schedule
from tests.milestones.factories import board_with_members, review_all
from tests.strategy.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

PLACE_WORDS = ("SaferMK", "Safer MK", "Milton Keynes", "MK")


@pytest.fixture
def borough():
    partnership = factories.PartnershipFactory(
        name="Safer Borough Partnership", slug="safer-borough", area="A London borough"
    )
    board, people = board_with_members(partnership, quorum=2)
    officer = factories.MembershipFactory(partnership=partnership).user
    strategy = factories.StrategyFactory(partnership=partnership, status=Strategy.Status.PLANNING)
    for _ in range(5):
        factories.PriorityFactory(strategy=strategy)
    assessment = AssessmentFactory(partnership=partnership, year=timezone.localdate().year)
    strategy.assessments.add(assessment)
    today = timezone.localdate()
    adoption = shift_months(today, -10)
    plan = plan_generate(
        strategy=strategy, template=MilestoneTemplate.objects.default_for(partnership),
        adoption=adoption, owner=officer,
    )
    return {
        "partnership": partnership, "board": board, "people": people, "officer": officer,
        "strategy": strategy, "assessment": assessment, "plan": plan, "today": today,
        "adoption": adoption,
    }


def _by_kind(strategy):
    return {m.kind: m for m in Milestone.objects.filter(strategy=strategy)}


def _approve(request, people, today):
    review_all(request, people["voters"])
    signoff_decide(request=request, by=people["chair"], outcome=SignOffOutcome.APPROVED,
                   decided_on=today, minute_reference="B/1")


def test_the_installation_default_is_neutral_and_names_no_place_board_or_partnership(borough):
    template = MilestoneTemplate.objects.default_for(borough["partnership"])
    assert template.partnership is None and template.name == "Three-year strategy"
    texts = [template.name, template.description]
    for step in template.steps.all():
        texts += [step.title, step.description]
        assert step.board is None
    for milestone in borough["plan"]:
        texts += [milestone.title, milestone.description]
    for text in texts:
        for word in PLACE_WORDS:
            assert word not in text, f"{word!r} in {text!r}"
    for other in MilestoneTemplate.objects.installation():
        assert all(word not in other.name for word in PLACE_WORDS)


def test_the_plan_counts_back_from_adoption_with_a_twelve_week_consultation(borough):
    kinds = _by_kind(borough["strategy"])
    adoption = borough["adoption"]
    assert [m.kind for m in borough["plan"]] == [
        MilestoneKind.ASSESSMENT_SIGN_OFF, MilestoneKind.PRIORITIES, MilestoneKind.DRAFT,
        MilestoneKind.CONSULTATION_OPEN, MilestoneKind.CONSULTATION_CLOSE,
        MilestoneKind.SIGN_OFF, MilestoneKind.ADOPTION, MilestoneKind.PUBLICATION,
    ]
    opens, closes = kinds["consultation_open"].due_date, kinds["consultation_close"].due_date
    assert closes - opens == dt.timedelta(weeks=12)
    assert kinds["assessment_sign_off"].due_date == shift_months(adoption, 9)
    assert kinds["adoption"].due_date == adoption
    # The only board is the board that signs off.
    assert kinds["sign_off"].board == borough["board"]
    assert kinds["assessment_sign_off"].board == borough["board"]


def test_every_milestone_is_done_on_the_day_its_event_happened(borough):
    b = borough
    strategy, board, people, officer, today = (
        b["strategy"], b["board"], b["people"], b["officer"], b["today"]
    )
    (assessment_request,) = signoff_request(boards=[board], assessment=b["assessment"],
                                            by=officer)
    _approve(assessment_request, people, today)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.DRAFTING, by=officer)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.CONSULTATION, by=officer)

    now = timezone.now()
    consultation = consultation_services.consultation_create(
        strategy=strategy, title="Have your say on the draft", slug="borough-draft",
        summary="Tell us what you think.", opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=2),
    )
    # Scheduled before it opened; four weeks on, the clock has closed it.
    schedule(consultation, by=officer)
    consultation.refresh_from_db()
    assert consultation.status == "closed"

    strategy_transition(strategy=strategy, to_status=Strategy.Status.SIGN_OFF, by=officer)
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    _approve(request, people, today)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.ADOPTED, by=officer)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.PUBLISHED, by=officer)

    plan = list(Milestone.objects.filter(strategy=strategy))
    assert len(plan) == 8
    assert {m.status for m in plan} == {Milestone.Status.DONE}
    assert not Milestone.objects.overdue(today=today).filter(strategy=strategy).exists()
    assert not any(m.is_overdue(today) for m in plan)
    kinds = {m.kind: m for m in plan}
    opened_on = timezone.localdate(consultation.opens_at)
    closed_on = timezone.localdate(consultation.closes_at)
    assert {k: m.completed_on for k, m in kinds.items()} == {
        "assessment_sign_off": today,
        "priorities": today,
        "draft": today,
        "consultation_open": opened_on,
        "consultation_close": closed_on,
        "sign_off": today,
        "adoption": today,
        "publication": today,
    }
    assert kinds["consultation_open"].consultation == consultation
    assert kinds["consultation_close"].consultation == consultation
    assert kinds["sign_off"].completed_by == people["chair"]
    assert kinds["adoption"].completed_by == officer
    assert "closed" in kinds["consultation_close"].completed_because
    request.refresh_from_db()
    assert request.milestone == kinds["sign_off"]


def test_the_periodic_task_opens_and_closes_a_consultation_and_its_milestones(borough):
    strategy = borough["strategy"]
    now = timezone.now()
    consultation = consultation_services.consultation_create(
        strategy=strategy, title="Four weeks", slug="borough-four-weeks", summary="Say.",
        opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(weeks=4),
    )
    consultation_services.consultation_schedule(consultation=consultation)
    consultation.refresh_from_db()
    kinds = _by_kind(strategy)
    assert kinds["consultation_open"].status == Milestone.Status.DONE
    # Scheduled after its opening time: it opened when it was scheduled.
    assert kinds["consultation_open"].completed_on == timezone.localdate(consultation.opened_at)
    assert kinds["consultation_close"].status == Milestone.Status.PLANNED

    later = consultation.closes_at + dt.timedelta(minutes=5)
    assert consultation_services.consultations_advance_all(now=later) == 1
    assert consultation_services.consultations_advance_all(now=later) == 0
    close = Milestone.objects.get(strategy=strategy, kind="consultation_close")
    assert close.status == Milestone.Status.DONE and close.consultation == consultation
    assert close.completed_on == timezone.localdate(consultation.closes_at)
    history = list(close.history.all())
    assert sum(1 for h in history if h.status == "done") == 1  # done once, not twice


def test_moving_back_to_drafting_completes_nothing(borough):
    strategy, officer = borough["strategy"], borough["officer"]
    strategy_transition(strategy=strategy, to_status=Strategy.Status.DRAFTING, by=officer)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.CONSULTATION, by=officer)
    before = {m.pk: m.status for m in Milestone.objects.filter(strategy=strategy)}
    strategy_transition(strategy=strategy, to_status=Strategy.Status.DRAFTING, by=officer)
    assert {m.pk: m.status for m in Milestone.objects.filter(strategy=strategy)} == before


def test_with_several_boards_the_route_completes_the_sign_off_milestone_at_its_last_board(
    partnership, officer
):
    first, first_people = board_with_members(partnership, quorum=2)
    last, last_people = board_with_members(partnership, quorum=2)
    strategy = factories.StrategyFactory(partnership=partnership, status=Strategy.Status.SIGN_OFF)
    factories.PriorityFactory(strategy=strategy)
    plan_generate(strategy=strategy, adoption=shift_months(timezone.localdate(), -10),
                  template=MilestoneTemplate.objects.default_for(partnership))
    sign_off = Milestone.objects.get(strategy=strategy, kind="sign_off")
    assert sign_off.board is None  # several boards: the role names none of them
    one, two = signoff_request(boards=[first, last], strategy=strategy, by=officer)
    today = timezone.localdate()
    _approve(one, first_people, today)
    sign_off.refresh_from_db()
    assert sign_off.status == Milestone.Status.PLANNED
    two.refresh_from_db()
    _approve(two, last_people, today)
    sign_off.refresh_from_db()
    assert sign_off.status == Milestone.Status.DONE and sign_off.completed_on == today


def test_a_failing_plan_never_stops_a_strategy_moving(borough, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the plan could not be updated")

    monkeypatch.setattr("milestones.receivers.milestone_complete_for_event", broken)
    strategy = borough["strategy"]
    strategy_transition(strategy=strategy, to_status=Strategy.Status.DRAFTING,
                        by=borough["officer"])
    strategy.refresh_from_db()
    assert strategy.status == Strategy.Status.DRAFTING
    assert _by_kind(strategy)["priorities"].status == Milestone.Status.PLANNED


def test_strategy_and_consultation_do_not_import_milestones():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for app in ("strategy", "consultation"):
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            assert "from milestones" not in text and "import milestones" not in text, path

"""SaferMK's own milestone template (its 2021 process), the 2022 plan,
and its sign-offs: the assessment signed off by the Risk Board, and the final
draft approved by the Risk Board and pending with the Management Board; and
the approvals of the 2018–2021 strategy, recorded from the minutes.

Idempotent: each step looks for what it would create first."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from milestones.models import (
    Milestone,
    MilestoneKind,
    MilestoneTemplate,
    MilestoneTemplateStep,
    ReviewPosition,
    SignOffOutcome,
    SignOffRequest,
)
from milestones.services import (
    milestone_set_status,
    plan_generate,
    signoff_decide,
    signoff_record_past,
    signoff_request,
    signoff_review,
    signoff_sync_version,
)
from partnerships.models import Board
from strategy.models import Strategy, StrategyVersion
from strategy.services import strategy_transition

# SaferMK's own template: the key milestones of "Development of a Community
# Safety Strategy for 2022", counted back from adoption in March.
SEED_STEPS = [
    # title, kind, board slug, months before adoption, duration in months
    ("MK Together Management Board discussion of early findings of strategic assessment",
     MilestoneKind.DISCUSSION, "management-board", 8, 0),
    ("Risk Board sign off strategic assessment",
     MilestoneKind.ASSESSMENT_SIGN_OFF, "risk-board", 7, 0),
    ("Strategic assessment presented to Safer MK", MilestoneKind.DISCUSSION, "safer-mk", 6, 0),
    ("Risk Board agree priorities informed by strategic assessment",
     MilestoneKind.SIGN_OFF, "risk-board", 6, 0),
    ("Consult key stakeholders on draft strategy", MilestoneKind.CONSULTATION, "", 5, 4),
    ("Final draft signed off by Risk Board", MilestoneKind.SIGN_OFF, "risk-board", 1, 0),
    ("Final draft agreed by MK Together Management Board",
     MilestoneKind.SIGN_OFF, "management-board", 1, 0),
    ("Strategy adopted by Safer MK", MilestoneKind.ADOPTION, "safer-mk", 0, 0),
]

ADOPTION_2022 = dt.date(2022, 3, 24)


def partnership_template(partnership) -> MilestoneTemplate:
    """The demo partnership's own template (its 2021 process), its default."""
    template, _ = MilestoneTemplate.objects.update_or_create(
        partnership=partnership,
        name="Three-year strategy (SaferMK 2021 process)",
        defaults={
            "is_default": True,
            "description": (
                "From the early findings of the strategic assessment in July to adoption by the "
                "Partnership in March, with a stakeholder consultation from October to January."
            ),
        },
    )
    boards = {b.slug: b for b in Board.objects.filter(partnership=partnership)}
    for order, (title, kind, board_slug, months, duration) in enumerate(SEED_STEPS):
        MilestoneTemplateStep.objects.update_or_create(
            template=template,
            order=order,
            defaults={
                "title": title,
                "kind": kind,
                "board": boards.get(board_slug),
                "months_before_adoption": months,
                "duration_months": duration,
            },
        )
    return template


def load(strategy_2022: Strategy) -> None:
    template = partnership_template(strategy_2022.partnership)
    User = get_user_model()
    people = {u.username: u for u in User.objects.filter(username__in=DEMO_PEOPLE)}
    if not Milestone.objects.filter(strategy=strategy_2022).exists():
        plan_generate(
            strategy=strategy_2022, template=template, adoption=ADOPTION_2022,
            owner=people.get("officer"),
        )
    _assessment_signed_off(strategy_2022, people)
    _done_before_the_consultation(strategy_2022)
    _final_draft_with_the_management_board(strategy_2022, people)
    _consultation_window_done(strategy_2022)
    _dated_as_in_2022(strategy_2022)
    strategy_2018 = Strategy.objects.filter(slug="safermk-strategy-2018-2021").first()
    if strategy_2018 is not None:
        _approvals_of_2018(strategy_2018, people)


def _approvals_of_2018(strategy: Strategy, people) -> None:
    """The 2018–2021 strategy was approved before the service was used: its
    approvals are recorded from the minutes, for the public record."""
    version = strategy.versions.filter(reason=StrategyVersion.Reason.SIGN_OFF).order_by(
        "number").first()
    if version is None or SignOffRequest.objects.filter(strategy=strategy).exists():
        return
    boards = _boards(strategy)
    risk = signoff_record_past(
        board=boards["risk-board"], version=version, by=people["rb-chair"],
        outcome=SignOffOutcome.APPROVED, decided_on=dt.date(2018, 2, 8),
        minute_reference="RB/2018/02/3",
    )
    signoff_record_past(
        board=boards["management-board"], version=version, by=people["chair"],
        outcome=SignOffOutcome.APPROVED, decided_on=dt.date(2018, 2, 22),
        minute_reference="MB/2018/02/6", previous=risk.request,
    )


DEMO_PEOPLE = [
    "officer", "riskboard", "chair", "rb-chair", "rb-police", "rb-probation",
    "mb-police", "mb-fire", "mb-health",
]


def _boards(strategy: Strategy) -> dict[str, Board]:
    return {b.slug: b for b in Board.objects.filter(partnership=strategy.partnership_id)}


def _assessment_signed_off(strategy: Strategy, people) -> None:
    """August 2021: the Risk Board signs off the strategic assessment."""
    assessment = strategy.assessments.filter(year=2021).first()
    if assessment is None or SignOffRequest.objects.filter(assessment=assessment).exists():
        return
    (request,) = signoff_request(
        boards=[_boards(strategy)["risk-board"]],
        assessment=assessment,
        by=people["officer"],
        meeting_date=dt.date(2021, 8, 24),
        note="The strategic assessment 2021, for sign-off before it is presented to Safer MK.",
    )
    for username, position, comment in [
        ("rb-chair", ReviewPosition.SUPPORT, ""),
        ("rb-police", ReviewPosition.SUPPORT, ""),
        ("riskboard", ReviewPosition.SUPPORT, ""),
        ("rb-probation", ReviewPosition.SUPPORT_WITH_COMMENTS,
         "The line of enquiry on the impact of the pandemic should include re-offending."),
    ]:
        signoff_review(request=request, reviewer=people[username], position=position,
                       comment=comment)
    signoff_decide(
        request=request, by=people["rb-chair"], outcome=SignOffOutcome.APPROVED,
        decided_on=dt.date(2021, 8, 24), minute_reference="RB/2021/08/3",
    )


def _done_before_the_consultation(strategy: Strategy) -> None:
    """July to September 2021 happened as planned."""
    for milestone in Milestone.objects.open().filter(
        strategy=strategy, due_date__lt=dt.date(2021, 10, 1)
    ):
        milestone_set_status(
            milestone=milestone, status=Milestone.Status.DONE, on=milestone.due_date
        )


def _consultation_window_done(strategy: Strategy) -> None:
    """The stakeholder consultation closed on 10 January 2022."""
    for milestone in Milestone.objects.open().filter(
        strategy=strategy, kind=Milestone.Kind.CONSULTATION
    ):
        milestone_set_status(
            milestone=milestone, status=Milestone.Status.DONE, on=dt.date(2022, 1, 10)
        )


def _dated_as_in_2022(strategy: Strategy) -> None:
    """The services stamp "now"; in the story the final draft went to the
    boards in February 2022. Only the times change (queryset updates), never
    content or hashes."""
    from milestones.models import SignOffDecision, SignOffReview
    from strategy.models import StrategyTransition, StrategyVersion

    tz = timezone.get_current_timezone()
    first = dt.datetime(2022, 2, 1, 9, 0, tzinfo=tz)
    synced = dt.datetime(2022, 2, 11, 9, 0, tzinfo=tz)
    StrategyTransition.objects.filter(strategy=strategy, to_status=Strategy.Status.SIGN_OFF).update(
        at=first
    )
    versions = StrategyVersion.objects.filter(strategy=strategy, reason="sign_off").order_by(
        "number"
    )
    for index, version in enumerate(versions):
        StrategyVersion.objects.filter(pk=version.pk).update(
            created_at=first if index == 0 else synced
        )
    requests = SignOffRequest.objects.filter(strategy=strategy)
    requests.update(requested_at=first)
    for review in SignOffReview.objects.filter(request__in=requests).select_related("request"):
        day = first if review.request.board.slug == "risk-board" else synced
        SignOffReview.objects.filter(pk=review.pk).update(
            created_at=day + dt.timedelta(days=3), updated_at=day + dt.timedelta(days=3)
        )
    SignOffDecision.objects.filter(request__in=requests).update(
        recorded_at=dt.datetime(2022, 2, 10, 16, 0, tzinfo=tz)
    )


RISK_BOARD_CONDITION = (
    "Say how the strategy has regard to the Police and Crime Commissioner's police and crime "
    "plan before it goes to the Management Board."
)
PCC_SENTENCE = (
    "The partner authorities have had regard to the Thames Valley Police and Crime Plan "
    "2021–2025 in setting these priorities, and report progress against it to the Risk Board."
)


def _final_draft_with_the_management_board(strategy: Strategy, people) -> None:
    """February 2022: the Risk Board approves the final draft with a condition,
    the officer meets it, and the Management Board is asked about the new
    version, with three members' reviews in so that its chair can decide."""
    if SignOffRequest.objects.filter(strategy=strategy).exists():
        return
    if strategy.status in (Strategy.Status.DRAFTING, Strategy.Status.CONSULTATION):
        strategy_transition(
            strategy=strategy, to_status=Strategy.Status.SIGN_OFF, by=people["officer"],
            note="Final draft for sign-off.",
        )
    if strategy.status != Strategy.Status.SIGN_OFF:
        return
    boards = _boards(strategy)
    risk, management = signoff_request(
        boards=[boards["risk-board"], boards["management-board"]],
        strategy=strategy,
        by=people["officer"],
        meeting_date=dt.date(2022, 2, 10),
        note="The final draft of the Community Safety Strategy 2022–2025.",
    )
    for username, position, comment in [
        ("rb-chair", ReviewPosition.SUPPORT, ""),
        ("rb-police", ReviewPosition.SUPPORT, ""),
        ("riskboard", ReviewPosition.SUPPORT_WITH_COMMENTS, RISK_BOARD_CONDITION),
    ]:
        signoff_review(request=risk, reviewer=people[username], position=position,
                       comment=comment)
    signoff_decide(
        request=risk, by=people["rb-chair"], outcome=SignOffOutcome.APPROVED_WITH_CONDITIONS,
        decided_on=dt.date(2022, 2, 10), minute_reference="RB/2022/02/4",
        conditions=RISK_BOARD_CONDITION,
    )
    strategy.refresh_from_db()
    strategy.pcc_alignment = (
        f"{strategy.pcc_alignment} {PCC_SENTENCE}".strip() if strategy.pcc_alignment
        else PCC_SENTENCE
    )
    strategy.full_clean()
    strategy.save(update_fields=["pcc_alignment", "updated_at"])
    signoff_sync_version(strategy=strategy, by=people["officer"])
    management.refresh_from_db()
    for username, position, comment in [
        ("mb-police", ReviewPosition.SUPPORT, ""),
        ("mb-fire", ReviewPosition.SUPPORT, ""),
        ("mb-health", ReviewPosition.SUPPORT_WITH_COMMENTS,
         "Health partners will lead the objectives on substance misuse."),
    ]:
        signoff_review(request=management, reviewer=people[username], position=position,
                       comment=comment)

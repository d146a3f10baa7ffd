"""The default milestone template (the 2021 SaferMK process) and the
governance record of each strategy of the demo:

- 2018–2021: the boards' approvals, recorded from the minutes;
- 2022–2025: the 2021-22 plan, the assessment signed off by the Risk Board,
  the final draft approved by the Risk Board (with a condition, met and
  confirmed) and by the Management Board in February 2022, adopted in March;
- the current strategy: approved by both boards before it was adopted;
- the annual refresh under way: its plan dated around the day the demo is
  loaded, the assessment signed off, the draft approved in principle by the
  Risk Board and awaiting the Management Board's decision next week.

Every step runs inside safermk.democlock.at(), with the story's date and
actor. Idempotent: each step looks for what it would create first."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

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
from safermk.democlock import at, moment
from strategy.models import Strategy, StrategyVersion
from strategy.services import strategy_transition, strategy_update

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


DEMO_PEOPLE = [
    "officer", "riskboard", "chair", "rb-chair", "rb-police", "rb-probation",
    "mb-police", "mb-fire", "mb-health",
]


def _people() -> dict:
    return {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_PEOPLE)}


def _boards(strategy: Strategy) -> dict[str, Board]:
    return {b.slug: b for b in Board.objects.filter(partnership=strategy.partnership_id)}


def _reviews(request, people, rows, when: dt.datetime) -> None:
    for offset, (username, position, comment) in enumerate(rows):
        reviewer = people[username]
        with at(when + dt.timedelta(hours=offset * 5), reviewer):
            signoff_review(request=request, reviewer=reviewer, position=position,
                           comment=comment)


def _decide(request, by, on: dt.date, minute: str, *, conditions: str = "") -> None:
    outcome = (SignOffOutcome.APPROVED_WITH_CONDITIONS if conditions
               else SignOffOutcome.APPROVED)
    with at(moment(on, 16), by):
        signoff_decide(request=request, by=by, outcome=outcome, decided_on=on,
                       minute_reference=minute, conditions=conditions)


def _done(milestone: Milestone, on: dt.date, by, note: str = "") -> None:
    with at(moment(on, 17), by):
        milestone_set_status(milestone=milestone, status=Milestone.Status.DONE, on=on,
                             note=note)


# 2018 ---------------------------------------------------------------------------

def approvals_2018(strategy: Strategy) -> None:
    """The 2018–2021 strategy was approved before the service was used: its
    approvals are recorded from the minutes, for the public record, before
    it is adopted."""
    version = strategy.versions.filter(reason=StrategyVersion.Reason.SIGN_OFF).order_by(
        "number").first()
    if version is None or SignOffRequest.objects.filter(strategy=strategy).exists():
        return
    people = _people()
    boards = _boards(strategy)
    with at(moment(dt.date(2018, 3, 1), 16), people["rb-chair"]):
        risk = signoff_record_past(
            board=boards["risk-board"], version=version, by=people["rb-chair"],
            outcome=SignOffOutcome.APPROVED, decided_on=dt.date(2018, 3, 1),
            minute_reference="RB/2018/03/3",
        )
    with at(moment(dt.date(2018, 3, 8), 16), people["chair"]):
        signoff_record_past(
            board=boards["management-board"], version=version, by=people["chair"],
            outcome=SignOffOutcome.APPROVED, decided_on=dt.date(2018, 3, 8),
            minute_reference="MB/2018/03/6", previous=risk.request,
        )


# 2021-22 ------------------------------------------------------------------------

def plan_2022(strategy: Strategy) -> None:
    """July to September 2021: the plan, the assessment signed off by the
    Risk Board in August, and the steps before the consultation done."""
    template = partnership_template(strategy.partnership)
    people = _people()
    if not Milestone.objects.filter(strategy=strategy).exists():
        with at(moment(dt.date(2021, 6, 30), 12), people["officer"]):
            plan_generate(strategy=strategy, template=template, adoption=ADOPTION_2022,
                          owner=people["officer"])
    _assessment_signed_off(strategy, people)
    for milestone in Milestone.objects.open().filter(
        strategy=strategy, due_date__lt=dt.date(2021, 10, 1)
    ):
        _done(milestone, milestone.due_date, people["officer"])


def _assessment_signed_off(strategy: Strategy, people) -> None:
    """August 2021: the Risk Board signs off the strategic assessment."""
    assessment = strategy.assessments.filter(year=2021).first()
    if assessment is None or SignOffRequest.objects.filter(assessment=assessment).exists():
        return
    with at(moment(dt.date(2021, 8, 10), 9), people["officer"]):
        (request,) = signoff_request(
            boards=[_boards(strategy)["risk-board"]],
            assessment=assessment,
            by=people["officer"],
            meeting_date=dt.date(2021, 8, 24),
            note="The strategic assessment 2021, for sign-off before it is presented to Safer "
                 "MK.",
        )
    _reviews(request, people, [
        ("rb-chair", ReviewPosition.SUPPORT, ""),
        ("rb-police", ReviewPosition.SUPPORT, ""),
        ("riskboard", ReviewPosition.SUPPORT, ""),
        ("rb-probation", ReviewPosition.SUPPORT_WITH_COMMENTS,
         "The line of enquiry on the impact of the pandemic should include re-offending."),
    ], moment(dt.date(2021, 8, 16), 10))
    _decide(request, people["rb-chair"], dt.date(2021, 8, 24), "RB/2021/08/3")


RISK_BOARD_CONDITION = (
    "Say how the strategy has regard to the Police and Crime Commissioner's police and crime "
    "plan before it goes to the Management Board."
)
PCC_SENTENCE = (
    "The partner authorities have had regard to the Thames Valley Police and Crime Plan "
    "2021–2025 in setting these priorities, and report progress against it to the Risk Board."
)


def signoffs_2022(strategy: Strategy) -> None:
    """January to February 2022: the consultation window closes; the Risk
    Board approves the final draft with a condition, the officer meets it, the
    Risk Board confirms the revised text, and the Management Board, asked
    about that version, approves it."""
    people = _people()
    for milestone in Milestone.objects.open().filter(
        strategy=strategy, kind=Milestone.Kind.CONSULTATION
    ):
        _done(milestone, dt.date(2022, 1, 10), people["officer"])
    if SignOffRequest.objects.filter(strategy=strategy).exists():
        return
    officer = people["officer"]
    if strategy.status in (Strategy.Status.DRAFTING, Strategy.Status.CONSULTATION):
        with at(moment(dt.date(2022, 2, 1), 9), officer):
            strategy_transition(
                strategy=strategy, to_status=Strategy.Status.SIGN_OFF, by=officer,
                note="Final draft for sign-off.",
            )
    if strategy.status != Strategy.Status.SIGN_OFF:
        return
    boards = _boards(strategy)
    with at(moment(dt.date(2022, 2, 1), 9, 30), officer):
        risk, management = signoff_request(
            boards=[boards["risk-board"], boards["management-board"]],
            strategy=strategy,
            by=officer,
            meeting_date=dt.date(2022, 2, 10),
            note="The final draft of the Community Safety Strategy 2022–2025.",
        )
    _reviews(risk, people, [
        ("rb-chair", ReviewPosition.SUPPORT, ""),
        ("rb-police", ReviewPosition.SUPPORT, ""),
        ("riskboard", ReviewPosition.SUPPORT_WITH_COMMENTS, RISK_BOARD_CONDITION),
    ], moment(dt.date(2022, 2, 4), 10))
    _decide(risk, people["rb-chair"], dt.date(2022, 2, 10), "RB/2022/02/4",
            conditions=RISK_BOARD_CONDITION)
    strategy.refresh_from_db()
    with at(moment(dt.date(2022, 2, 11), 9), officer):
        strategy_update(
            strategy=strategy, by=officer,
            pcc_alignment=f"{strategy.pcc_alignment} {PCC_SENTENCE}".strip(),
        )
        signoff_sync_version(strategy=strategy, by=officer)
    # An approval binds the text approved: the Risk Board confirms that the
    # revised text meets its condition, so both boards approved what Safer MK
    # adopts.
    with at(moment(dt.date(2022, 2, 11), 9, 30), officer):
        (confirmation,) = signoff_request(
            boards=[boards["risk-board"]], strategy=strategy, by=officer,
            meeting_date=dt.date(2022, 2, 17),
            note="The final draft with the Risk Board's condition met, for its confirmation.",
        )
    _reviews(confirmation, people, [
        ("rb-chair", ReviewPosition.SUPPORT, ""),
        ("rb-police", ReviewPosition.SUPPORT, ""),
        ("riskboard", ReviewPosition.SUPPORT, "The condition is met."),
    ], moment(dt.date(2022, 2, 14), 9))
    _decide(confirmation, people["rb-chair"], dt.date(2022, 2, 17), "RB/2022/02/9")
    management.refresh_from_db()
    _reviews(management, people, [
        ("mb-police", ReviewPosition.SUPPORT, ""),
        ("mb-fire", ReviewPosition.SUPPORT, ""),
        ("mb-health", ReviewPosition.SUPPORT_WITH_COMMENTS,
         "Health partners will lead the objectives on substance misuse."),
    ], moment(dt.date(2022, 2, 14), 10))
    _decide(management, people["chair"], dt.date(2022, 2, 24), "MB/2022/02/7")


def adoption_2022(strategy: Strategy) -> None:
    """24 March 2022: Safer MK adopts the strategy; its milestone is done."""
    for milestone in Milestone.objects.open().filter(
        strategy=strategy, kind=Milestone.Kind.ADOPTION
    ):
        if strategy.status in (Strategy.Status.ADOPTED, Strategy.Status.PUBLISHED,
                               Strategy.Status.SUPERSEDED):
            _done(milestone, ADOPTION_2022, _people()["officer"],
                  "Adopted by the Safer MK Partnership.")


# The current cycle ------------------------------------------------------------------

def current_approvals(strategy: Strategy) -> None:
    """The current strategy's final draft, approved by the Risk Board and
    the Management Board in February and March before Safer MK adopted it."""
    if strategy.status != Strategy.Status.SIGN_OFF:
        return
    if SignOffRequest.objects.filter(strategy=strategy).exists():
        return
    people = _people()
    boards = _boards(strategy)
    start = strategy.period_start
    asked = start - dt.timedelta(weeks=7)
    with at(moment(asked, 9, 30), people["officer"]):
        risk, management = signoff_request(
            boards=[boards["risk-board"], boards["management-board"]],
            strategy=strategy, by=people["officer"],
            meeting_date=asked + dt.timedelta(weeks=1),
            note=f"The final draft of the {strategy.title}.",
        )
    _reviews(risk, people, [
        ("rb-chair", ReviewPosition.SUPPORT, ""),
        ("rb-police", ReviewPosition.SUPPORT, ""),
        ("riskboard", ReviewPosition.SUPPORT, ""),
    ], moment(asked + dt.timedelta(days=3), 10))
    _decide(risk, people["rb-chair"], asked + dt.timedelta(weeks=1),
            f"RB/{asked.year}/{asked.month:02d}/3")
    management.refresh_from_db()
    _reviews(management, people, [
        ("mb-police", ReviewPosition.SUPPORT, ""),
        ("mb-fire", ReviewPosition.SUPPORT, ""),
        ("mb-health", ReviewPosition.SUPPORT, ""),
    ], moment(asked + dt.timedelta(days=10), 10))
    decided = asked + dt.timedelta(weeks=2)
    _decide(management, people["chair"], decided, f"MB/{decided.year}/{decided.month:02d}/5")


def refresh_steps(
    today: dt.date, adoption: dt.date, opens: dt.date, closes: dt.date
) -> list[tuple]:
    """The refresh's plan: (title, kind, board slug, starts, due)."""
    week = dt.timedelta(weeks=1)
    return [
        ("Early findings of the strategic assessment to MK Together Management Board",
         MilestoneKind.DISCUSSION, "management-board", None, today - 16 * week),
        ("Risk Board sign off strategic assessment", MilestoneKind.ASSESSMENT_SIGN_OFF,
         "risk-board", None, today - 12 * week),
        ("Strategic assessment presented to Safer MK", MilestoneKind.DISCUSSION, "safer-mk",
         None, today - 11 * week),
        ("Risk Board agree the refreshed priorities", MilestoneKind.SIGN_OFF, "risk-board",
         None, today - 9 * week),
        ("Public consultation on the draft refresh", MilestoneKind.CONSULTATION, "",
         opens, closes),
        ("Draft refresh approved in principle by Risk Board", MilestoneKind.SIGN_OFF,
         "risk-board", None, today - 3 * week),
        ("Draft refresh agreed in principle by MK Together Management Board",
         MilestoneKind.SIGN_OFF, "management-board", None, today + week),
        ("Consultation findings and “you said, we did” to Risk Board",
         MilestoneKind.DISCUSSION, "risk-board", None, closes + 3 * week),
        ("Final refresh signed off by Risk Board", MilestoneKind.SIGN_OFF, "risk-board", None,
         adoption - 7 * week),
        ("Final refresh agreed by MK Together Management Board", MilestoneKind.SIGN_OFF,
         "management-board", None, adoption - 5 * week),
        ("Refresh adopted by Safer MK", MilestoneKind.ADOPTION, "safer-mk", None, adoption),
    ]


# Which step (by index in refresh_steps) each step follows: the consultation
# and the approvals in principle both follow the Risk Board's priorities.
REFRESH_DEPENDS_ON = [None, 0, 1, 2, 3, 3, 5, 4, 7, 8, 9]


def refresh_plan(refresh: Strategy, today: dt.date, opens: dt.date, closes: dt.date) -> None:
    """The annual refresh under way: steps before today done, the consultation
    open, the draft with the Management Board for its meeting next week."""
    if Milestone.objects.filter(strategy=refresh).exists():
        return
    people = _people()
    officer = people["officer"]
    boards = _boards(refresh)
    adoption = refresh.period_start - dt.timedelta(days=8)
    created = []
    with at(moment(today - dt.timedelta(weeks=17), 10), officer):
        for order, (title, kind, board, starts, due) in enumerate(
            refresh_steps(today, adoption, opens, closes)
        ):
            milestone = Milestone(
                partnership_id=refresh.partnership_id, strategy=refresh, title=title,
                kind=kind, board=boards.get(board), owner=officer, starts_on=starts,
                due_date=due, order=order,
            )
            milestone.full_clean()
            milestone._change_reason = "Planned for the annual refresh"
            milestone.save()
            created.append(milestone)
        for milestone, before in zip(created, REFRESH_DEPENDS_ON, strict=True):
            if before is not None:
                milestone.depends_on.add(created[before])
    _done(created[0], created[0].due_date, officer)
    _refresh_assessment_signed_off(refresh, people, created[1].due_date)
    _done(created[2], created[2].due_date, officer)
    _done(created[3], created[3].due_date, officer, "Priorities agreed at the Risk Board.")
    with at(moment(created[4].starts_on, 9), officer):
        milestone_set_status(milestone=created[4], status=Milestone.Status.IN_PROGRESS,
                             note="The consultation is open.")
    _draft_with_the_management_board(refresh, people, created[5].due_date, created[6].due_date)


def _refresh_assessment_signed_off(refresh: Strategy, people, on: dt.date) -> None:
    assessment = refresh.assessments.order_by("-year").first()
    if assessment is None or SignOffRequest.objects.filter(assessment=assessment).exists():
        return
    with at(moment(on - dt.timedelta(days=14), 9), people["officer"]):
        (request,) = signoff_request(
            boards=[_boards(refresh)["risk-board"]], assessment=assessment,
            by=people["officer"], meeting_date=on,
            note=f"The strategic assessment {assessment.year}, for sign-off.",
        )
    _reviews(request, people, [
        ("rb-chair", ReviewPosition.SUPPORT, ""),
        ("rb-police", ReviewPosition.SUPPORT, ""),
        ("riskboard", ReviewPosition.SUPPORT, ""),
    ], moment(on - dt.timedelta(days=7), 10))
    _decide(request, people["rb-chair"], on, f"RB/{on.year}/{on.month:02d}/2")


REFRESH_RISK_BOARD_COMMENT = (
    "Support the new priority on fraud. The consultation should ask older residents about it "
    "directly, through the libraries and the parish councils."
)


def _draft_with_the_management_board(refresh, people, risk_on: dt.date, meeting: dt.date):
    """The draft refresh, approved in principle by the Risk Board three weeks
    ago (riskboard reviewed it), awaits the Management Board's decision at
    next week's meeting; three members have reviewed it, so its chair can
    decide."""
    if SignOffRequest.objects.filter(strategy=refresh).exists():
        return
    officer = people["officer"]
    boards = _boards(refresh)
    with at(moment(risk_on - dt.timedelta(days=10), 9), officer):
        risk, management = signoff_request(
            boards=[boards["risk-board"], boards["management-board"]],
            strategy=refresh, by=officer, meeting_date=risk_on,
            note="The draft refresh, for approval in principle while the public consultation "
                 "runs; the final refresh comes back after it closes.",
        )
    _reviews(risk, people, [
        ("rb-chair", ReviewPosition.SUPPORT, ""),
        ("rb-police", ReviewPosition.SUPPORT, ""),
        ("riskboard", ReviewPosition.SUPPORT_WITH_COMMENTS, REFRESH_RISK_BOARD_COMMENT),
    ], moment(risk_on - dt.timedelta(days=5), 10))
    _decide(risk, people["rb-chair"], risk_on, f"RB/{risk_on.year}/{risk_on.month:02d}/4")
    management.refresh_from_db()
    _reviews(management, people, [
        ("mb-police", ReviewPosition.SUPPORT, ""),
        ("mb-fire", ReviewPosition.SUPPORT, ""),
        ("mb-health", ReviewPosition.SUPPORT_WITH_COMMENTS,
         "Health partners will join the fraud work through the safeguarding teams."),
    ], moment(risk_on + dt.timedelta(days=4), 10))
    # The officer booked the item for the board's next meeting.
    SignOffRequest.objects.filter(pk=management.pk).update(meeting_date=meeting)


# Serious violence: sign-off by each specified authority ----------------------

def serious_violence_signoffs(strategy: Strategy) -> None:
    """The serious violence strategy sent to each specified authority at the
    Safer MK Partnership, one after another, and each one's approval recorded
    by its representative there."""
    if SignOffRequest.objects.filter(strategy=strategy).exists():
        return
    from partnerships.models import BoardMembership, Organisation
    from strategy.duties import profile

    board = _boards(strategy)["safer-mk"]
    kinds = profile(strategy.duty).authority_kinds
    organisations = sorted(
        Organisation.objects.filter(partnership=strategy.partnership_id, kind__in=kinds),
        key=lambda o: kinds.index(o.kind),
    )
    representatives = {
        bm.organisation_id: bm.user
        for bm in BoardMembership.objects.filter(board=board).exclude(
            role=BoardMembership.Role.OBSERVER
        ).select_related("user")
    }
    officer = get_user_model().objects.filter(username="officer").first()
    sent = strategy.period_start - dt.timedelta(days=28)
    with at(moment(sent, 11), officer):
        requests = signoff_request(
            boards=[board], strategy=strategy, authorities=organisations, by=officer,
            note="Each specified authority signs off the final draft.",
        )
    for day, request in enumerate(requests):
        request.refresh_from_db()
        _decide(request, representatives[request.authority_id],
                strategy.period_start - dt.timedelta(days=25 - day), f"SV/{day + 1}")

"""National volume: about 300 partnerships on one installation, for measuring
speed at the scale the design budgets for (see `manage.py load_volume`).

At scale 1.0: 300 partnerships (beside any already there, such as the demo),
each with two three-year strategies (the earlier one superseded by the one in
force), 40 measures a strategy with twelve quarterly figures each, a board
that approved each version from its minutes, the current strategy's plan
from the installation's default template; and in the first partnership an
annual refresh out to public consultation with 50,000 responses and the
refresh's own plan ahead. `scale` shrinks the counts of partnerships and
responses for quick runs.

Everything a person does goes through the services (partnerships' boards
and people, lifecycle steps with the days they happened, versions, board
decisions, plans, consultations); only rows that the services would write one
at a time in the same shape are bulk-created: the golden thread under a
strategy that is still being planned, the figures, and the responses.

Each partnership is made in its own transaction and recognised by its web
address name, so a second run adds nothing and an interrupted one resumes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from milestones.models import Milestone, MilestoneTemplate, SignOffOutcome
from milestones.services import milestone_set_status, plan_generate, signoff_record_past
from partnerships import services as partnership_services
from partnerships.models import Board, BoardMembership, Membership, Organisation, Partnership
from strategy import services as strategy_services
from strategy import signals as strategy_signals
from strategy.models import Measure, Measurement, Objective, Priority, Strategy, StrategyVersion

SLUG_PREFIX = "volume-"
PARTNERSHIPS = 300
PRIORITIES = 4
OBJECTIVES = 2
MEASURES = 5  # per objective: 40 a strategy
QUARTERS = 12
RESPONSES = 50_000
OFFICER = "volume-officer"
CHAIR = "volume-chair"
CONSULTATION_SLUG = "volume-refresh-consultation"
CHANGE_REASON = "Loaded with the national volume"
PASSWORD = "volume"  # local benchmark databases only; the users have no e-mail
# The two cycles of every partnership: (start year, decided, adopted, published).
CYCLES = (
    (2021, dt.date(2021, 2, 10), dt.date(2021, 3, 20), dt.date(2021, 3, 28)),
    (2024, dt.date(2024, 2, 12), dt.date(2024, 3, 18), dt.date(2024, 3, 26)),
)
ORGANISATIONS = (
    (Organisation.Kind.COUNCIL, "Council"),
    (Organisation.Kind.POLICE, "Police"),
    (Organisation.Kind.FIRE, "Fire and Rescue Service"),
    (Organisation.Kind.PROBATION, "Probation Service"),
    (Organisation.Kind.HEALTH, "Integrated Care Board"),
)


@dataclass
class Made:
    partnerships: int = 0
    strategies: int = 0
    measures: int = 0
    measurements: int = 0
    milestones: int = 0
    responses: int = 0


def load(*, scale: float = 1.0, responses: int | None = None, log=print) -> Made:
    made = Made()
    count = max(1, round(PARTNERSHIPS * scale))
    rng = random.Random(20261201)
    # Rendering 600 PDFs is the worker's job, not the loader's: versions
    # published here get their PDF when first downloaded (the public
    # download starts the render), as for any version published before the
    # documents part was installed.
    receivers = strategy_signals.version_published.receivers
    strategy_signals.version_published.receivers = []
    try:
        for n in range(count):
            if _partnership(n, rng, made):
                made.partnerships += 1
                if made.partnerships % 25 == 0:
                    log(f"  {made.partnerships} partnerships")
        first = Partnership.objects.get(slug=f"{SLUG_PREFIX}000")
        wanted = responses if responses is not None else max(100, round(RESPONSES * scale))
        made.responses = _consultation(first, responses=wanted, rng=rng, made=made)
    finally:
        strategy_signals.version_published.receivers = receivers
    return made


@transaction.atomic
def _partnership(n: int, rng: random.Random, made: Made) -> bool:
    slug = f"{SLUG_PREFIX}{n:03d}"
    if Partnership.objects.filter(slug=slug).exists():
        return False
    User = get_user_model()
    partnership = Partnership(
        name=f"Volume Town {n} Community Safety Partnership", slug=slug,
        short_code=f"V{n:03d}", area=f"Volume Town {n}",
        aim="To make the town a safe place to live, work and visit.",
    )
    partnership.full_clean()
    partnership.save()
    orgs = [
        partnership_services.organisation_create(
            partnership=partnership, name=f"Volume Town {n} {label}", kind=kind)
        for kind, label in ORGANISATIONS
    ]
    board = partnership_services.board_create(
        partnership=partnership, name="Partnership Board", slug="partnership-board", quorum=1)
    chair = User.objects.create_user(
        username=CHAIR if n == 0 else f"{slug}-chair", password=PASSWORD,
        first_name="Chair", last_name=f"of Volume Town {n}")
    partnership_services.membership_set(
        partnership=partnership, user=chair, role=Membership.Role.PARTNER, organisation=orgs[0])
    partnership_services.board_member_add(
        board=board, user=chair, role=BoardMembership.Role.CHAIR, organisation=orgs[0])
    officer = User.objects.create_user(
        username=OFFICER if n == 0 else f"{slug}-officer", password=PASSWORD,
        first_name="Officer", last_name=f"of Volume Town {n}")
    partnership_services.membership_set(
        partnership=partnership, user=officer, role=Membership.Role.OFFICER,
        organisation=orgs[0])
    template = MilestoneTemplate.objects.default_for(partnership)
    for index, (year, decided, adopted, published) in enumerate(CYCLES):
        strategy = _strategy(partnership, orgs, year, rng, made)
        if index == len(CYCLES) - 1 and template is not None:
            made.milestones += len(plan_generate(
                strategy=strategy, template=template, adoption=adopted, owner=officer))
        _through_lifecycle(strategy, board=board, chair=chair, officer=officer,
                           decided=decided, adopted=adopted, published=published)
        made.strategies += 1
    # Steps of the plan that no event completes (the assessment signed off,
    # the priorities agreed) were done on their due dates.
    for milestone in Milestone.objects.filter(
        partnership=partnership, status=Milestone.Status.PLANNED,
        due_date__lt=timezone.localdate(),
    ):
        milestone_set_status(milestone=milestone, status=Milestone.Status.DONE,
                             on=milestone.due_date, note="Done at the meeting.")
    return True


def _strategy(partnership, orgs, year, rng, made: Made) -> Strategy:
    strategy = strategy_services.strategy_create(
        partnership=partnership,
        title=f"{partnership.area} Community Safety Strategy {year}–{year + 3}",
        slug=f"{partnership.slug}-strategy-{year}-{year + 3}",
        period_start=dt.date(year, 4, 1), period_end=dt.date(year + 3, 3, 31),
        aim=partnership.aim,
        foreword="The partners' commitment to a safer town, in a few sentences. " * 3,
    )
    # The golden thread of a strategy being planned: what priority_create,
    # objective_create and measure_create write one by one, with their history.
    priorities = bulk_create_with_history([
        Priority(strategy=strategy, title=f"Priority {p + 1}: reduce harm in area {p + 1}",
                 description="Why this matters and what the partners will do. " * 2, order=p)
        for p in range(PRIORITIES)
    ], Priority, default_change_reason=CHANGE_REASON)
    objectives = bulk_create_with_history([
        Objective(priority=priority, title=f"Objective {p + 1}.{o + 1}",
                  description="How the objective is delivered.",
                  lead_organisation=orgs[(p + o) % len(orgs)], order=o)
        for p, priority in enumerate(priorities) for o in range(OBJECTIVES)
    ], Objective, default_change_reason=CHANGE_REASON)
    baseline_date = dt.date(year, 3, 31)
    measures = bulk_create_with_history([
        Measure(objective=objective, title=f"{objective.title}.{m + 1} recorded incidents",
                unit="incidents", baseline_value=Decimal(1000 + 50 * m),
                baseline_date=baseline_date, target_value=Decimal(850 + 50 * m),
                target_date=dt.date(year + 3, 3, 31),
                direction=Measure.Direction.LOWER, frequency=Measure.Frequency.QUARTERLY,
                data_source="Police recorded crime",
                owner_organisation=orgs[m % len(orgs)], order=m)
        for objective in objectives for m in range(MEASURES)
    ], Measure, default_change_reason=CHANGE_REASON)
    today = timezone.localdate()
    rows = []
    for measure in measures:
        for q in range(QUARTERS):
            period_end = _quarter_end(baseline_date, q + 1)
            if period_end >= today:
                break
            rows.append(Measurement(
                measure=measure, period_end=period_end,
                value=measure.baseline_value - 12 * (q + 1) + rng.randint(-40, 40)))
    bulk_create_with_history(rows, Measurement, batch_size=2000,
                             default_change_reason=CHANGE_REASON)
    made.measures += len(measures)
    made.measurements += len(rows)
    return strategy


def _through_lifecycle(strategy, *, board, chair, officer, decided, adopted, published):
    start = decided - dt.timedelta(days=150)
    for status, on in (
        (Strategy.Status.DRAFTING, start),
        (Strategy.Status.CONSULTATION, start + dt.timedelta(days=30)),
        (Strategy.Status.SIGN_OFF, decided - dt.timedelta(days=14)),
    ):
        strategy_services.strategy_transition(
            strategy=strategy, to_status=status, by=officer, happened_on=on)
    version = strategy.versions.filter(reason=StrategyVersion.Reason.SIGN_OFF).latest("number")
    signoff_record_past(board=board, version=version, by=chair,
                        outcome=SignOffOutcome.APPROVED, decided_on=decided,
                        minute_reference=f"PB/{decided:%Y/%m}/4")
    strategy_services.strategy_transition(
        strategy=strategy, to_status=Strategy.Status.ADOPTED, by=officer, happened_on=adopted)
    strategy_services.strategy_transition(
        strategy=strategy, to_status=Strategy.Status.PUBLISHED, by=officer,
        happened_on=published)


def _consultation(partnership, *, responses: int, rng, made: Made) -> int:
    """The first partnership's annual refresh, out to consultation, with
    `responses` responses; made once, topped up to the number if a run was
    interrupted while adding them."""
    from consultation.models import Consultation, Response

    consultation = Consultation.objects.filter(slug=CONSULTATION_SLUG).first()
    if consultation is None:
        consultation = _open_refresh(partnership, made)
    have = Response.objects.filter(consultation=consultation).count()
    if have >= responses:
        return 0
    _responses(consultation, count=responses - have, start=have, rng=rng)
    return responses - have


@transaction.atomic
def _open_refresh(partnership, made: Made):
    from consultation import services as consultation_services

    current = Strategy.objects.get(partnership=partnership, status=Strategy.Status.PUBLISHED)
    officer = get_user_model().objects.get(username=OFFICER)
    today = timezone.localdate()
    refresh = strategy_services.strategy_create(
        partnership=partnership, kind=Strategy.Kind.REFRESH, parent=current,
        title=f"{partnership.area} Community Safety Strategy: {today.year} refresh",
        slug=f"{partnership.slug}-refresh-{today.year}",
        period_start=dt.date(today.year, 4, 1), period_end=current.period_end,
        aim=partnership.aim,
    )
    for priority in current.priorities.order_by("order"):
        strategy_services.priority_create(
            strategy=refresh, title=priority.title, description=priority.description)
    template = MilestoneTemplate.objects.filter(
        partnership__isnull=True, name="Annual refresh").first()
    if template is not None:
        made.milestones += len(plan_generate(
            strategy=refresh, template=template, adoption=today + dt.timedelta(days=120),
            owner=officer))
    strategy_services.strategy_transition(
        strategy=refresh, to_status=Strategy.Status.DRAFTING, by=officer)
    now = timezone.now()
    consultation = consultation_services.consultation_create(
        strategy=refresh, title=f"Have your say on the {today.year} refresh",
        slug=CONSULTATION_SLUG, summary="Tell us what you think of our priorities.",
        background="Why we consult and what happens next.",
        opens_at=now - dt.timedelta(weeks=6), closes_at=now + dt.timedelta(weeks=6),
        lead_officer=officer,
    )
    consultation_services.consultation_schedule(consultation=consultation, by=officer)
    made.strategies += 1
    return consultation


def _responses(consultation, *, count: int, start: int, rng: random.Random) -> None:
    """Responses as response_submit writes them (a reference, answers to
    the questions of the respondent's audience, comments, equality
    monitoring), in batches, each batch in one transaction."""
    from consultation import services as consultation_services
    from consultation.models import (
        Answer,
        DraftComment,
        EqualityResponse,
        Question,
        Response,
        Section,
    )

    consultation.refresh_from_db()
    codes = list(consultation.class_codes.all()) or [
        consultation_services.class_code_issue(consultation=consultation,
                                               school=f"Volume School {i}")
        for i in range(10)
    ]
    questions = list(Question.objects.filter(section__consultation=consultation)
                     .select_related("section"))
    priorities = [str(p["id"]) for p in consultation.draft_priorities]
    words = ("lighting paths police patrols drugs speeding buses parks youth clubs "
             "harassment noise litter cameras underpass town centre station").split()
    opened = consultation.opened_at or consultation.opens_at
    span = max(1.0, (timezone.now() - opened).total_seconds())
    alphabet = consultation_services.REFERENCE_ALPHABET
    made = 0
    while made < count:
        size = min(2000, count - made)
        with transaction.atomic():
            batch = []
            for i in range(size):
                audience = rng.choices(["public", "stakeholder", "young_people"],
                                       [70, 8, 22])[0]
                n = start + made + i
                batch.append(Response(
                    consultation=consultation,
                    reference=_reference(consultation.partnership.short_code, n, alphabet),
                    channel="school" if audience == "young_people"
                    else rng.choices(["online", "paper", "event"], [80, 12, 8])[0],
                    audience=audience,
                    class_code=rng.choice(codes) if audience == "young_people" else None,
                    age_band=rng.choice(["11_13", "14_15"]) if audience == "young_people"
                    else "",
                    consent=True,
                    submitted_at=opened + dt.timedelta(seconds=rng.random() * span),
                ))
            Response.objects.bulk_create(batch)
            answers, comments, equality = [], [], []
            for r in batch:
                allowed = Section.FOR_AUDIENCE[r.audience]
                for q in questions:
                    if q.section.audience not in allowed:
                        continue
                    if q.kind in ("single", "scale"):
                        answers.append(Answer(response=r, question=q,
                                              value=rng.choice(q.option_pairs())[0]))
                    elif q.kind == "multiple":
                        for choice in rng.sample(q.choices, min(2, len(q.choices))):
                            answers.append(Answer(response=r, question=q, value=choice))
                    elif q.kind == "safety":
                        for part in ("day", "dark"):
                            answers.append(Answer(
                                response=r, question=q, part=part,
                                value=rng.choice(Question.SAFETY_CHOICES)[0]))
                    elif q.kind == "ranking":
                        for rank, pid in enumerate(rng.sample(priorities, len(priorities)), 1):
                            answers.append(Answer(response=r, question=q, value=pid,
                                                  rank=rank))
                    elif rng.random() < 0.4:
                        answers.append(Answer(response=r, question=q,
                                              text=" ".join(rng.sample(words, 8))))
                if r.audience != "young_people":
                    if rng.random() < 0.2:
                        comments.append(DraftComment(
                            consultation=consultation, response=r, priority_ref="general",
                            target_label="The draft as a whole",
                            text=" ".join(rng.sample(words, 10))))
                    if rng.random() < 0.6:
                        equality.append(EqualityResponse(
                            consultation=consultation, response=r,
                            sex=rng.choice(["female", "male", "no_answer"]),
                            age_band=rng.choice(["18_24", "25_34", "35_44", "45_54",
                                                 "65_plus"]),
                            ethnicity=rng.choice(["white", "asian", "black", "mixed"]),
                            disability=rng.choice(["yes", "no"]),
                        ))
            Answer.objects.bulk_create(answers, batch_size=5000)
            DraftComment.objects.bulk_create(comments)
            EqualityResponse.objects.bulk_create(equality)
        made += size


def _reference(code: str, n: int, alphabet: str) -> str:
    """A reference in new_reference's shape, unique by construction
    (new_reference draws at random and relies on the unique constraint)."""
    chars = []
    for _ in range(8):
        n, digit = divmod(n, len(alphabet))
        chars.append(alphabet[digit])
    chars = "".join(reversed(chars))
    return f"{code}-{chars[:4]}-{chars[4:]}"


def _quarter_end(start: dt.date, quarters: int) -> dt.date:
    month = start.month + 3 * quarters
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))


def counts() -> dict[str, int]:
    from consultation.models import Response

    return {
        "partnerships": Partnership.objects.count(),
        "strategies": Strategy.objects.count(),
        "measures": Measure.objects.count(),
        "measurements": Measurement.objects.count(),
        "responses": Response.objects.count(),
        "milestones": Milestone.objects.count(),
        "boards": Board.objects.count(),
    }

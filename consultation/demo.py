"""Demo consultations of SaferMK.

- The 2021-22 consultation on the draft strategy for 2022: October 2021 to
  January 2022 (report of 2021, 1.3 and the milestones table), using existing
  networks and a specific piece of work with under-16s through schools;
  closed, coded into themes, with "you said, we did" published.
- The consultation on the annual refresh under way: open on the day the demo
  is loaded (twelve weeks, four of them still to run), with the responses so
  far, online, on paper and from a school class whose code `make run` prints.

Each step runs inside safermk.democlock.at(). Responses are generated with a
fixed seed, so every load gives the same figures. Idempotent: a second load
finds each consultation by its slug and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from consultation import services
from consultation.models import (
    Answer,
    Audience,
    Channel,
    Consultation,
    DraftComment,
    EqualityResponse,
    Question,
    Response,
    SchoolClassCode,
    Theme,
)
from safermk.democlock import at
from strategy import services as strategy_services
from strategy.models import Priority, Strategy

SLUG = "safermk-strategy-2022-consultation"
LONDON = ZoneInfo("Europe/London")
OPENS = dt.datetime(2021, 10, 11, 9, 0, tzinfo=LONDON)
CLOSES = dt.datetime(2022, 1, 10, 17, 0, tzinfo=LONDON)
SEED = 2022

# Used only when the 2022 draft has no priorities of its own yet: the areas
# the 2021 strategic assessment pointed to.
DRAFT_PRIORITIES = [
    ("Reducing violence, including violence against women and girls",
     "Preventing serious violence and domestic abuse, and making public spaces safer for women "
     "and girls."),
    ("Tackling drug-related harm and exploitation",
     "Disrupting drug supply and county lines, and supporting people into treatment."),
    ("Reducing anti-social behaviour and the fear of crime",
     "Working with communities so that people feel safe where they live."),
    ("Protecting people from exploitation, including modern slavery",
     "Identifying and supporting victims of modern slavery and exploitation."),
]

SCHOOLS = [
    # school, class, class code (fixed so the demo can be tried with a known code)
    ("Campbell Park Academy", "Year 9", "CPA9MK"),
    ("Wolverton Vale School", "Year 10", "WVS10K"),
    ("Stantonbury Fields School", "Year 8", "SFS8MK"),
]

# Theme -> (things people wrote, you said, we did, the priority of the 2022
# strategy it changed (its title) or None, why not)
THEMES = [
    (
        "Street lighting and feeling safe after dark",
        ["The redways are too dark at night and I avoid walking home.",
         "Better lighting in the underpasses would make a big difference.",
         "I don't feel safe walking from the bus stop after dark."],
        "Many people, especially women and young people, told us they feel unsafe on redways "
        "and in underpasses after dark.",
        "We added an objective to review lighting on the redways and underpasses with the "
        "council, starting with the routes people named most.",
        "Tackling violence against women and girls", "",
    ),
    (
        "Anti-social behaviour in the town centre",
        ["There is a lot of anti-social behaviour around the shopping centre in the evenings.",
         "Groups hanging around the station make people feel intimidated.",
         "Noise and nuisance from the same people every weekend."],
        "Anti-social behaviour around the town centre and the station came up often.",
        "Anti-social behaviour stays a priority, with a new measure for repeat locations.",
        "Building safer, more confident communities", "",
    ),
    (
        "Drugs and county lines",
        ["Drug dealing happens openly in our estate.",
         "Young people are being drawn into county lines.",
         "Cannabis smell everywhere in the park."],
        "People see drug dealing in their area and worry about young people being exploited.",
        "The drugs priority now names county lines and the exploitation of children.",
        "Reducing the harm caused by drugs and alcohol", "",
    ),
    (
        "Speeding and road safety",
        ["Speeding on the grid roads is dangerous.",
         "Cars racing at night near the estates.",
         "Road safety should still be a priority."],
        "Some people asked for road safety to remain a priority, as in the 2018 strategy.",
        "Road safety is led by the Road Safety Partnership, which reports to Safer MK.",
        None,
        "We did not add road safety as a priority because the Road Safety Partnership plans "
        "that work; its reports come to the partnership each year.",
    ),
    (
        "Violence against women and girls",
        ["Women need to feel safe in the evenings in the city centre.",
         "Harassment on public transport is common.",
         "More support for victims of domestic abuse."],
        "Women and girls told us about harassment in public places and on transport.",
        "Violence against women and girls is now a priority of its own, with a safe spaces "
        "scheme in the night-time economy.",
        "Tackling violence against women and girls", "",
    ),
    (
        "More visible policing and things for young people to do",
        ["We never see police officers on foot any more.",
         "There is nothing for young people to do in the evenings.",
         "Youth clubs closed and now kids hang around."],
        "People asked for more visible policing and more activities for young people.",
        "Partners will target patrols at the places named in the consultation, and youth "
        "services joined the anti-social behaviour work.",
        "Building safer, more confident communities", "",
    ),
]


def _draft_priorities(strategy: Strategy) -> list[Priority]:
    priorities = list(strategy.priorities.order_by("order", "pk"))
    if priorities:
        return priorities
    return [
        Priority.objects.create(strategy=strategy, title=title, description=description,
                                order=order)
        for order, (title, description) in enumerate(DRAFT_PRIORITIES)
    ]


@transaction.atomic
def consultation_2022(strategy_2022: Strategy) -> Consultation:
    existing = Consultation.objects.filter(slug=SLUG).first()
    if existing:
        return existing
    officer = get_user_model().objects.filter(username="officer").first()
    # Written after partners' proposals were decided (23 September 2021).
    with at(OPENS - dt.timedelta(days=14), officer):
        priorities = _draft_priorities(strategy_2022)
        consultation = services.consultation_create(
            strategy=strategy_2022,
            title="Have your say on the draft Community Safety Strategy 2022–2025",
            slug=SLUG,
            summary=(
                "SaferMK is writing its Community Safety Strategy for 2022 to 2025. Tell us "
                "whether the draft priorities are the right ones, and what would make you feel "
                "safer."
            ),
            background=(
                "Community Safety Partnerships must agree and publish a strategy for reducing "
                "crime and disorder, combating substance misuse and reducing re-offending.\n\n"
                "The draft priorities come from the 2021 strategic assessment, which reviewed "
                "the current priorities and looked at violence against women and girls, modern "
                "day slavery and the impact of the pandemic on crime and disorder. This "
                "consultation is also the partnership's annual engagement on crime and "
                "community safety."
            ),
            opens_at=OPENS,
            closes_at=CLOSES,
            holidays_note="Includes the October half term and the Christmas holidays, so the "
            "period runs for 13 weeks.",
            lead_officer=officer,
            # The demo keeps its comments so the analysis pages have text to show.
            retention_days=3650,
        )
        services.consultation_schedule(consultation=consultation, by=officer)
        codes = [
            services.class_code_issue(consultation=consultation, school=school,
                                      class_name=name, by=officer, code=code)
            for school, name, code in SCHOOLS
        ]
    with at(OPENS, None):
        services.consultation_advance(consultation=consultation)
    consultation.refresh_from_db()
    _generate_responses(consultation, codes, officer, opens=OPENS, until=CLOSES,
                        plan=PLAN_2022, seed=SEED)
    with at(CLOSES, None):
        services.consultation_advance(consultation=consultation)
    with at(CLOSES + dt.timedelta(days=10), officer):
        _code_themes(consultation, priorities)
    with at(CLOSES + dt.timedelta(days=28), officer):
        services.consultation_publish_feedback(consultation=consultation, by=officer)
    consultation.refresh_from_db()
    return consultation


PLAN_2022 = (
    [(Audience.PUBLIC, Channel.ONLINE)] * 190
    + [(Audience.STAKEHOLDER, Channel.ONLINE)] * 25
    + [(Audience.PUBLIC, Channel.PAPER)] * 35
    + [(Audience.PUBLIC, Channel.EVENT)] * 25
    + [(Audience.YOUNG_PEOPLE, Channel.SCHOOL)] * 75
)

# The open consultation so far: eight weeks of twelve.
PLAN_CURRENT = (
    [(Audience.PUBLIC, Channel.ONLINE)] * 96
    + [(Audience.STAKEHOLDER, Channel.ONLINE)] * 9
    + [(Audience.PUBLIC, Channel.PAPER)] * 14
    + [(Audience.YOUNG_PEOPLE, Channel.SCHOOL)] * 23
)
CURRENT_SCHOOLS = [
    # school, class, class code (fixed: `make run` prints the first)
    ("Campbell Park Academy", "Year 9", "MK9CPA"),
    ("Stantonbury Fields School", "Year 8", "MK8STF"),
]
CURRENT_WEEKS_OPEN, CURRENT_WEEKS_LEFT = 8, 4


def current_slug(refresh: Strategy) -> str:
    return f"{refresh.slug}-consultation"


def current_window(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Opened eight weeks before `today`, closes four weeks after it."""
    opens = dt.datetime.combine(today - dt.timedelta(weeks=CURRENT_WEEKS_OPEN),
                                dt.time(9, 0), tzinfo=LONDON)
    closes = dt.datetime.combine(today + dt.timedelta(weeks=CURRENT_WEEKS_LEFT),
                                 dt.time(17, 0), tzinfo=LONDON)
    return opens, closes


@transaction.atomic
def consultation_current(refresh: Strategy, today: dt.date) -> Consultation:
    """The public consultation on the draft refresh, open now."""
    existing = Consultation.objects.filter(slug=current_slug(refresh)).first()
    if existing:
        return existing
    officer = get_user_model().objects.filter(username="officer").first()
    opens, closes = current_window(today)
    year = refresh.period_start.year
    with at(opens - dt.timedelta(days=6), officer):
        consultation = services.consultation_create(
            strategy=refresh,
            title=f"Have your say on community safety in Milton Keynes {year}/"
                  f"{year + 1 - 2000:02d}",
            slug=current_slug(refresh),
            summary=(
                "SaferMK is refreshing its Community Safety Strategy for next year. Tell us "
                "whether the priorities are still the right ones, including a new one on fraud "
                "and online harm, and what would make you feel safer."
            ),
            background=(
                "Each year the partnership reviews its strategy with the latest strategic "
                "assessment and asks people who live and work in Milton Keynes what they "
                "think. This year the assessment found fraud and online harm rising fastest, "
                "so partners propose a new priority on it.\n\n"
                "This consultation is also the partnership's annual engagement on crime and "
                "community safety. Paper copies are in every library."
            ),
            opens_at=opens,
            closes_at=closes,
            lead_officer=officer,
        )
        services.consultation_schedule(consultation=consultation, by=officer)
        codes = [
            services.class_code_issue(consultation=consultation, school=school,
                                      class_name=name, by=officer, code=code)
            for school, name, code in CURRENT_SCHOOLS
        ]
    with at(opens, None):
        services.consultation_advance(consultation=consultation)
    if refresh.status == Strategy.Status.DRAFTING:
        with at(opens + dt.timedelta(minutes=5), officer):
            strategy_services.strategy_transition(
                strategy=refresh, to_status=Strategy.Status.CONSULTATION, by=officer,
                note="Public consultation on the draft refresh.",
            )
    consultation.refresh_from_db()
    until = dt.datetime.combine(today, dt.time(7, 0), tzinfo=LONDON)
    _generate_responses(consultation, codes, officer, opens=opens, until=until,
                        plan=PLAN_CURRENT, seed=year)
    return consultation


def _generate_responses(
    consultation: Consultation, codes: list[SchoolClassCode], officer, *, opens, until, plan,
    seed: int,
):
    rng = random.Random(seed)
    questions = list(
        Question.objects.filter(section__consultation=consultation).select_related("section")
    )
    priorities = consultation.draft_priorities
    span = (until - opens).total_seconds()
    responses, pending_answers, comments, equality = [], [], [], []
    used = set()
    for index, (audience, channel) in enumerate(plan):
        reference = _reference(rng)
        while reference in used:
            reference = _reference(rng)
        used.add(reference)
        # Early weeks and the last week draw the most responses, as usual.
        fraction = min(rng.betavariate(0.8, 0.9), 0.999)
        code = codes[index % len(codes)] if audience == Audience.YOUNG_PEOPLE else None
        response = Response(
            consultation=consultation,
            reference=reference,
            channel=channel,
            audience=audience,
            organisation_name=rng.choice(
                ["MK Community Foundation", "Age UK Milton Keynes", "Parish council",
                 "Residents' association"]) if audience == Audience.STAKEHOLDER else "",
            class_code=code,
            age_band=rng.choice(["11_13", "14_15", "14_15"]) if code else "",
            consent=True,
            entered_by=officer if channel in (Channel.PAPER, Channel.EVENT) else None,
            submitted_at=opens + dt.timedelta(seconds=fraction * span),
        )
        responses.append(response)
        pending_answers.append(_answers_for(rng, questions, audience, priorities))
        if audience != Audience.YOUNG_PEOPLE and rng.random() < 0.25:
            target = rng.choice(priorities + [None])
            theme = rng.choice(THEMES)
            comments.append((index, target, rng.choice(theme[1])))
        if audience != Audience.YOUNG_PEOPLE and rng.random() < 0.6:
            equality.append((index, {
                "age_band": rng.choice([c for c, _ in EqualityResponse.AgeBand.choices][1:]),
                "sex": rng.choice(["female", "female", "male", "no_answer"]),
                "ethnicity": rng.choice(["white"] * 6 + ["asian", "black", "mixed", "other",
                                                         "no_answer"]),
                "disability": rng.choice(["no"] * 5 + ["yes", "no_answer"]),
                "postcode_district": rng.choice(["MK1", "MK2", "MK3", "MK6", "MK9", "MK10",
                                                 "MK12", "MK13", "MK14", "MK15"]),
            }))
    Response.objects.bulk_create(responses)
    answers = []
    for response, rows in zip(responses, pending_answers, strict=True):
        for row in rows:
            row.response = response
            answers.append(row)
    Answer.objects.bulk_create(answers, batch_size=2000)
    DraftComment.objects.bulk_create([
        DraftComment(
            consultation=consultation, response=responses[i],
            priority_ref=f"priority:{p['id']}" if p else "general",
            target_label=p["title"] if p else "The draft strategy as a whole", text=text,
        )
        for i, p, text in comments
    ])
    EqualityResponse.objects.bulk_create([
        EqualityResponse(consultation=consultation, response=responses[i], **values)
        for i, values in equality
    ])


def _reference(rng) -> str:
    chars = "".join(rng.choice(services.REFERENCE_ALPHABET) for _ in range(8))
    return f"SMK-{chars[:4]}-{chars[4:]}"


def _answers_for(rng, questions, audience, priorities) -> list[Answer]:
    from consultation.models import Section

    rows = []
    allowed_sections = Section.FOR_AUDIENCE[audience]
    for q in questions:
        if q.section.audience not in allowed_sections:
            continue
        if not q.required and rng.random() < 0.2:
            continue
        if q.kind == Question.Kind.SCALE:
            value = rng.choices([v for v, _ in Question.SCALE_CHOICES], [30, 40, 15, 10, 5])[0]
            rows.append(Answer(question=q, value=value))
        elif q.kind == Question.Kind.SAFETY:
            values = [v for v, _ in Question.SAFETY_CHOICES]
            rows.append(Answer(question=q, part="day",
                               value=rng.choices(values, [35, 45, 10, 7, 3])[0]))
            rows.append(Answer(question=q, part="dark",
                               value=rng.choices(values, [8, 27, 20, 30, 15])[0]))
        elif q.kind == Question.Kind.SINGLE:
            rows.append(Answer(question=q, value=rng.choice(q.choices)))
        elif q.kind == Question.Kind.MULTIPLE:
            for choice in rng.sample(q.choices, rng.randint(1, 3)):
                rows.append(Answer(question=q, value=choice))
        elif q.kind == Question.Kind.RANKING and priorities:
            weights = list(range(len(priorities), 0, -1))
            order = []
            pool = list(priorities)
            w = list(weights)
            while pool:
                pick = rng.choices(range(len(pool)), w)[0]
                order.append(pool.pop(pick))
                w.pop(pick)
            for rank, p in enumerate(order, start=1):
                rows.append(Answer(question=q, value=str(p["id"]), rank=rank))
        elif q.kind == Question.Kind.TEXT and rng.random() < 0.55:
            theme = rng.choice(THEMES)
            rows.append(Answer(question=q, text=rng.choice(theme[1])))
    return rows


def _code_themes(consultation: Consultation, priorities: list[Priority]) -> None:
    """Code every generated comment into the theme its words came from, as
    an officer would after reading them."""
    by_text = {}
    by_title = {p.title: p for p in priorities}
    for order, (name, texts, you_said, we_did, priority_title, why_not) in enumerate(THEMES):
        theme = Theme.objects.create(
            consultation=consultation, name=name, you_said=you_said, we_did=we_did,
            priority=by_title.get(priority_title) if priority_title else None,
            why_not=why_not or ("" if by_title.get(priority_title) else
                                "The strategy did not need to change."),
            order=order,
        )
        for text in texts:
            by_text[text] = theme
    answer_links = [
        Theme.answers.through(theme_id=by_text[text].pk, answer_id=pk)
        for pk, text in Answer.objects.filter(
            question__section__consultation=consultation, question__kind=Question.Kind.TEXT
        ).values_list("pk", "text")
        if text in by_text
    ]
    Theme.answers.through.objects.bulk_create(answer_links, batch_size=2000)
    comment_links = [
        Theme.comments.through(theme_id=by_text[text].pk, draftcomment_id=pk)
        for pk, text in DraftComment.objects.filter(consultation=consultation).values_list(
            "pk", "text")
        if text in by_text
    ]
    Theme.comments.through.objects.bulk_create(comment_links)


# Serious violence: the consultees the duty names -----------------------------

SV_CONSULTEES = [
    # (kind, who, days before the strategy began, how, evidence)
    ("education", "Milton Keynes secondary heads' forum and the council's education team", 50,
     "meeting", "Heads asked for the knife crime sessions to start in year 7. Minutes of the "
     "forum, item 4."),
    ("prison", "HMP Woodhill, head of reducing reoffending", 46, "letter",
     "Supports the priority on violence after release; asked to join the delivery group. "
     "Letter ref. SV-C-02."),
    ("youth_custody", "Youth Custody Service, Thames Valley resettlement lead", 42, "meeting",
     "Asked that resettlement plans for young people returning to Milton Keynes name the "
     "violence intervention programme. Note of the meeting, ref. SV-C-03."),
]


def consultees_serious_violence(strategy: Strategy) -> None:
    """Each consultee the Serious Violence Duty names, consulted on the
    draft and recorded in the strategy's log."""
    from consultation.consultees import consultee_record_create
    from consultation.models import ConsulteeRecord

    if ConsulteeRecord.objects.filter(strategy=strategy).exists():
        return
    officer = get_user_model().objects.filter(username="officer").first()
    for kind, who, days, method, evidence in SV_CONSULTEES:
        on = strategy.period_start - dt.timedelta(days=days)
        with at(on, officer):
            consultee_record_create(strategy=strategy, consultee_kind=kind, consultee=who,
                                    consulted_on=on, method=method, evidence=evidence,
                                    by=officer)

"""Demo: the 2021-22 consultation on the draft SaferMK strategy for 2022.

The partnership consulted from October 2021 to January 2022 (report of
2021, 1.3 and the milestones table), using existing networks and a specific
piece of work with under-16s through schools. The responses are generated
with a fixed seed, so every load gives the same figures. Idempotent: a
second load finds the consultation by its slug and changes nothing.
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

# Theme -> (things people wrote, you said, we did, priority index or None, why not)
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
        0, "",
    ),
    (
        "Anti-social behaviour in the town centre",
        ["There is a lot of anti-social behaviour around the shopping centre in the evenings.",
         "Groups hanging around the station make people feel intimidated.",
         "Noise and nuisance from the same people every weekend."],
        "Anti-social behaviour around the town centre and the station came up often.",
        "Anti-social behaviour stays a priority, with a new measure for repeat locations.",
        2, "",
    ),
    (
        "Drugs and county lines",
        ["Drug dealing happens openly in our estate.",
         "Young people are being drawn into county lines.",
         "Cannabis smell everywhere in the park."],
        "People see drug dealing in their area and worry about young people being exploited.",
        "The drugs priority now names county lines and the exploitation of children.",
        1, "",
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
        "The violence priority now includes violence against women and girls explicitly, with "
        "a safe spaces scheme in the night-time economy.",
        0, "",
    ),
    (
        "More visible policing and things for young people to do",
        ["We never see police officers on foot any more.",
         "There is nothing for young people to do in the evenings.",
         "Youth clubs closed and now kids hang around."],
        "People asked for more visible policing and more activities for young people.",
        "Partners will target patrols at the places named in the consultation, and youth "
        "services joined the anti-social behaviour work.",
        2, "",
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
def load(strategy_2022: Strategy) -> Consultation:
    existing = Consultation.objects.filter(slug=SLUG).first()
    if existing:
        return existing
    officer = get_user_model().objects.filter(username="officer").first()
    priorities = _draft_priorities(strategy_2022)
    consultation = services.consultation_create(
        strategy=strategy_2022,
        title="Have your say on the draft Community Safety Strategy 2022–2025",
        slug=SLUG,
        summary=(
            "SaferMK is writing its Community Safety Strategy for 2022 to 2025. Tell us whether "
            "the draft priorities are the right ones, and what would make you feel safer."
        ),
        background=(
            "Community Safety Partnerships must agree and publish a strategy for reducing crime "
            "and disorder, combating substance misuse and reducing re-offending.\n\n"
            "The draft priorities come from the 2021 strategic assessment, which reviewed the "
            "current priorities and looked at violence against women and girls, modern day "
            "slavery and the impact of the pandemic on crime and disorder. This consultation is "
            "also the partnership's annual engagement on crime and community safety."
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
        services.class_code_issue(consultation=consultation, school=school, class_name=name,
                                  by=officer, code=code)
        for school, name, code in SCHOOLS
    ]
    _generate_responses(consultation, codes, officer)
    _code_themes(consultation, priorities)
    services.consultation_publish_feedback(consultation=consultation, by=officer)
    # The services stamp "now"; in the story these happened in 2021-22. Only
    # the times change (a queryset update), never what was said.
    Consultation.objects.filter(pk=consultation.pk).update(
        created_at=OPENS - dt.timedelta(days=21),
        opened_at=OPENS,
        closed_at=CLOSES,
        feedback_published_at=CLOSES + dt.timedelta(days=28),
    )
    consultation.refresh_from_db()
    return consultation


def _generate_responses(consultation: Consultation, codes: list[SchoolClassCode], officer):
    rng = random.Random(SEED)
    questions = list(
        Question.objects.filter(section__consultation=consultation).select_related("section")
    )
    priorities = consultation.draft_priorities
    span = (CLOSES - OPENS).total_seconds()
    plan = (
        [(Audience.PUBLIC, Channel.ONLINE)] * 190
        + [(Audience.STAKEHOLDER, Channel.ONLINE)] * 25
        + [(Audience.PUBLIC, Channel.PAPER)] * 35
        + [(Audience.PUBLIC, Channel.EVENT)] * 25
        + [(Audience.YOUNG_PEOPLE, Channel.SCHOOL)] * 75
    )
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
            submitted_at=OPENS + dt.timedelta(seconds=fraction * span),
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
    for order, (name, texts, you_said, we_did, priority_index, why_not) in enumerate(THEMES):
        theme = Theme.objects.create(
            consultation=consultation, name=name, you_said=you_said, we_did=we_did,
            priority=priorities[min(priority_index, len(priorities) - 1)]
            if priority_index is not None and priorities else None,
            why_not=why_not or ("" if priority_index is not None and priorities else
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

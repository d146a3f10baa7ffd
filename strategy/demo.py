"""Demo strategies for SaferMK, from the partnership's reports, and its
current cycle dated from the day the demo is loaded.

- The 2018/21 strategy and its four priorities (report of 2017, section 1),
  with objectives, performance measures and three years of measurements,
  adopted in March 2018 and published in April.
- The 2021 strategic assessment and its lines of enquiry (report of 2021, 1.2).
- The 2022/25 strategy: the draft priorities partners proposed (report of
  2017, 5.3), the final draft after the consultation, adopted in March 2022.
- The current three-year strategy, in its second year, and the annual
  refresh under way (see current_period and refresh_year_start).

Each step runs inside safermk.democlock.at(), so versions, transitions,
history and measurements carry the story's dates and actors. The figures are
illustrative, not SaferMK's own statistics. Idempotent: rows are found by
natural keys; nothing is created twice.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from partnerships.models import Organisation, Partnership
from safermk.democlock import at, moment
from strategy import services
from strategy.models import (
    LineOfEnquiry,
    Measure,
    Objective,
    Priority,
    StatutoryResponsibility,
    StrategicAssessment,
    Strategy,
    StrategyVersion,
)

SLUG_2018 = "safermk-strategy-2018-2021"
SLUG_2022 = "safermk-strategy-2022"

RESPONSIBILITIES = [
    # code, name, description
    ("asb", "Anti-Social Behaviour",
     "Tackling anti-social behaviour adversely affecting the local environment."),
    ("reoffending", "Reducing Re-offending",
     "A strategy for the reduction of re-offending in the area."),
    ("prevent", "Prevent", "Preventing people from being drawn into terrorism."),
    ("pcc", "Police and Crime Commissioner",
     "Having regard to the police and crime plan for the area."),
    ("substance-misuse", "Substance Misuse",
     "Combating the misuse of drugs, alcohol and other substances."),
    ("serious-violence", "Serious Violence", "The serious violence duty."),
    (
        "s17",
        "Section 17 of the Crime and Disorder Act 1998",
        "An item that supports the delivery of crime reduction and addresses community safety "
        "concerns.",
    ),
]

PRIORITIES_2018 = [
    (
        "Improving road safety by reducing the number of accidents and the severity of the "
        "collisions to individuals",
        ["s17"],
    ),
    ("Reducing the number of violent incidences", ["serious-violence", "pcc"]),
    ("Tackling and enforcing substance misuse", ["substance-misuse", "reoffending"]),
    ("Enhance community engagement to reduce fear of crime", ["asb", "prevent"]),
]

BASELINE_2018 = dt.date(2018, 3, 31)
TARGET_2021 = dt.date(2021, 3, 31)

# Per priority (in the order above): objectives, each with its lead
# organisation (short name) and measures:
# (title, unit, baseline, target, direction, frequency, data source, owner,
#  latest value, periods left unreported at the end)
THREAD_2018 = [
    [
        ("Reduce the number of people killed or seriously injured on Milton Keynes roads",
         "MK Council", [
             ("People killed or seriously injured in road collisions", "people", 142, 120,
              "lower", "annually", "Department for Transport collision data (STATS19)",
              "MK Council", 117, 0),
         ]),
        ("Enforce speed limits and target dangerous and careless driving", "TVP", [
             ("Road traffic collisions resulting in injury", "collisions", 155, 135, "lower",
              "quarterly", "Thames Valley Police collision records", "TVP", 136, 0),
         ]),
        ("Teach children and young drivers to stay safe on the roads", "BFRS", [
             ("Young people reached by road safety education", "young people", 4000, 6000,
              "higher", "annually", "Fire and rescue service education records", "BFRS",
              4800, 0),
         ]),
    ],
    [
        ("Reduce violence with injury in the night-time economy", "TVP", [
             ("Violence with injury offences", "offences", 760, 690, "lower", "quarterly",
              "Police recorded crime", "TVP", 697, 0),
         ]),
        ("Reduce knife crime and serious youth violence", "TVP", [
             ("Knife crime offences", "offences", 62, 50, "lower", "quarterly",
              "Police recorded crime", "TVP", 66, 0),
         ]),
        ("Protect and support victims of domestic abuse", "MK Council", [
             ("Repeat victims referred to the domestic abuse risk conference", "%", 31, 27,
              "lower", "annually", "MARAC records", "MK Council", 27, 0),
         ]),
    ],
    [
        ("Help more people recover from drug and alcohol misuse", "MK CCG", [
             ("Successful completions of drug treatment (non-opiate users)", "%", 34, 40,
              "higher", "quarterly", "National Drug Treatment Monitoring System",
              "MK Council", Decimal("39.5"), 0),
         ]),
        ("Disrupt drug supply and county lines", "TVP", [
             ("County lines disrupted", "lines", 6, 12, "higher", "annually",
              "Thames Valley Police operations", "TVP", 13, 0),
         ]),
        ("Reduce re-offending by offenders who misuse drugs", "Probation", [
             ("Proven re-offending rate of offenders in treatment", "%", 38, 33, "lower",
              "annually", "Ministry of Justice proven re-offending statistics", "Probation",
              Decimal("35.5"), 0),
         ]),
    ],
    [
        ("Increase the share of residents who feel safe", "MK Council", [
             ("Residents who feel safe in their area after dark", "%", 62, 70, "higher",
              "annually", "Milton Keynes resident survey", "MK Council", Decimal("69.5"), 0),
         ]),
        ("Tackle anti-social behaviour with local communities", "TVP", [
             ("Anti-social behaviour incidents reported to police", "incidents", 2100, 1850,
              "lower", "quarterly", "Thames Valley Police incident records", "TVP", 1840, 1),
         ]),
    ],
]

FOREWORD_2018 = (
    "Milton Keynes is a safe place to live, work and visit, and the partners of SaferMK "
    "mean to keep it so. This strategy sets out the four priorities the Partnership agreed "
    "after its strategic assessment and a twelve-week public consultation, what each partner "
    "will do about them, and the targets we will report against every quarter.\n\n"
    "Chair of the SaferMK Partnership"
)

LINES_OF_ENQUIRY_2021 = [
    (
        "Existing priority areas",
        "Review of the priority areas identified in the current strategy. Road casualties "
        "fell towards the 2021 target; violence with injury fell during the lockdowns but is "
        "returning to earlier levels as the night-time economy reopens; knife crime remains "
        "above its baseline; drug treatment completions improved.",
    ),
    (
        "Emerging priorities",
        "Identification and analysis of any emerging priorities. Partners report growing "
        "exploitation of children and vulnerable adults through county lines, and more "
        "reports of online fraud and harassment.",
    ),
    (
        "Violence against women and girls",
        "Reports of domestic abuse rose during the pandemic, and the resident survey shows "
        "women feel markedly less safe after dark than men, particularly in the city centre "
        "and on redways. Recommend a dedicated priority with the council, police and health.",
    ),
    (
        "Modern day slavery",
        "Referrals to the National Referral Mechanism from Milton Keynes have increased, "
        "mostly labour exploitation in car washes and criminal exploitation linked to county "
        "lines. Awareness among frontline staff is uneven.",
    ),
    (
        "Impact of the pandemic on crime and disorder",
        "Acquisitive crime and night-time violence fell during lockdowns while domestic abuse, "
        "anti-social behaviour reports and online crime rose. Recovery should watch for "
        "rebounds as restrictions end.",
    ),
]

# The 2022 draft: priorities the officer drafted from the assessment.
DRAFT_PRIORITIES_2022 = [
    ("Reducing serious violence and knife crime", ["serious-violence", "pcc"],
     "Tackle the causes of serious violence with the new serious violence duty partners."),
    ("Reducing the harm caused by drugs and alcohol", ["substance-misuse", "reoffending"],
     "Treatment, recovery and enforcement against supply, including county lines."),
    ("Building safer, more confident communities", ["asb", "prevent", "s17"],
     "Anti-social behaviour, hate crime and fear of crime as communities recover from the "
     "pandemic."),
]

# Proposals from partner organisations (short name, title, rationale, decision,
# reason, merge target title).
PROPOSALS_2022 = [
    ("TVP", "Tackling violence against women and girls",
     "Domestic abuse and sexual offences rose during the pandemic; women report feeling "
     "unsafe at night.",
     "accept", "The strategic assessment makes this a line of enquiry and recommends a "
     "dedicated priority.", None),
    ("PCC", "Tackling exploitation, including modern slavery and county lines",
     "The police and crime plan 2021–2025 prioritises exploitation of vulnerable people.",
     "accept", "Supported by the assessment's findings on modern day slavery.", None),
    ("Probation", "Reducing re-offending through drug and alcohol treatment",
     "Most prolific offenders in Milton Keynes have a substance misuse need.",
     "merge", "Treatment for offenders is part of the drugs and alcohol priority, with "
     "Probation leading an objective.", "Reducing the harm caused by drugs and alcohol"),
    ("BFRS", "Reducing deaths and serious injuries on the roads",
     "Road safety was a priority of the 2018/21 strategy.",
     "decline", "Road casualties met their target and road safety is led by the Road Safety "
     "Partnership; the Partnership will keep it under review under section 17.", None),
    ("MK CCG", "Mental health and vulnerability in the night-time economy",
     "People in mental health crisis are over-represented among victims and offenders in "
     "the city centre at night.",
     "decline", "The Health and Wellbeing Board leads on mental health crisis care; the "
     "Partnership's night-time economy work will refer people in crisis to it.", None),
]



# The 2022 final draft: what the partnership wrote after the consultation,
# so that every "you said, we did" answer is in the text the boards approved.
# Priority title -> (new description or None, objectives); each objective:
# (title, lead, [(measure title, unit, baseline, target, direction, frequency,
#   data source, owner organisation, how far ahead of the straight line to
#   the target the series runs: 1 on track, above ahead, below behind)])
THREAD_2022 = {
    "Reducing serious violence and knife crime": (None, [
        ("Reduce knife crime among people under 25", "TVP", []),
        ("Reduce violence with injury in the night-time economy", "TVP", [
            ("Violence with injury offences", "offences", 720, 650, "lower", "quarterly",
             "Police recorded crime", "TVP", Decimal("1.1")),
        ]),
    ]),
    "Reducing the harm caused by drugs and alcohol": (
        "Treatment, recovery and enforcement against supply, including county lines and the "
        "exploitation of children by drug dealers.",
        [
            ("Help more people complete drug and alcohol treatment", "MK CCG", [
                ("Successful completions of drug treatment (non-opiate users)", "%", 38, 45,
                 "higher", "quarterly", "National Drug Treatment Monitoring System",
                 "MK Council", Decimal("0.9")),
            ]),
            ("Reduce re-offending by offenders with a substance misuse need", "Probation", [
                ("Proven re-offending rate of offenders in treatment", "%", 36, 31, "lower",
                 "annually", "Ministry of Justice proven re-offending statistics", "Probation",
                 Decimal("0.6")),
            ]),
        ],
    ),
    "Building safer, more confident communities": (None, [
        ("Reduce anti-social behaviour at the places it keeps returning to", "TVP", [
            ("Anti-social behaviour incidents at the ten repeat locations", "incidents", 620,
             500, "lower", "quarterly", "Thames Valley Police incident records", "TVP",
             Decimal("1.0")),
        ]),
        ("Target patrols and youth activities at the places people named", "MK Council", [
            ("Residents who feel safe in their area after dark", "%", 64, 70, "higher",
             "annually", "Milton Keynes resident survey", "MK Council", Decimal("0.8")),
        ]),
    ]),
    "Tackling violence against women and girls": (None, [
        ("Review lighting on the redways and underpasses, starting with the routes people "
         "named", "MK Council", [
             ("Redway and underpass routes with lighting reviewed", "routes", 0, 40, "higher",
              "annually", "Council highways records", "MK Council", Decimal("1.0")),
         ]),
        ("Run a safe spaces scheme in the night-time economy", "TVP", [
            ("Venues in the safe spaces scheme", "venues", 0, 60, "higher", "quarterly",
             "Thames Valley Police licensing records", "TVP", Decimal("1.2")),
        ]),
    ]),
    "Tackling exploitation, including modern slavery and county lines": (None, [
        ("Identify and support victims of modern slavery", "MK Council", [
            ("Referrals to the National Referral Mechanism", "referrals", 45, 70, "higher",
             "annually", "Home Office National Referral Mechanism statistics", "MK Council",
             Decimal("1.0")),
        ]),
        ("Disrupt county lines that exploit children", "TVP", [
            ("County lines disrupted", "lines", 8, 15, "higher", "annually",
             "Thames Valley Police operations", "TVP", Decimal("1.1")),
        ]),
    ]),
}

# The current three-year strategy: its priorities, objectives and measures, in
# the same shape as THREAD_2022. One measure is left a quarter behind on
# purpose (LATE_MEASURE): the one late item of the demo.
PRIORITIES_CURRENT = [
    ("Reducing serious violence", ["serious-violence", "pcc"],
     "Preventing knife crime and violence with injury, with the partners of the serious "
     "violence duty."),
    ("Tackling violence against women and girls", ["serious-violence", "pcc"],
     "Safer streets, transport and night-time venues for women and girls, and support for "
     "victims of domestic abuse."),
    ("Reducing the harm caused by drugs, alcohol and exploitation",
     ["substance-misuse", "reoffending"],
     "Treatment and recovery, and disrupting county lines and the exploitation of children."),
    ("Safer, more confident communities", ["asb", "prevent", "s17"],
     "Anti-social behaviour, hate crime and fear of crime, with the communities affected."),
]
THREAD_CURRENT = {
    "Reducing serious violence": [
        ("Reduce knife crime among people under 25", "TVP", [
            ("Knife crime offences", "offences", 58, 48, "lower", "quarterly",
             "Police recorded crime", "TVP", Decimal("1.1")),
        ]),
        ("Reduce violence with injury in the night-time economy", "TVP", [
            ("Violence with injury offences in the night-time economy", "offences", 240, 200,
             "lower", "monthly", "Police recorded crime", "TVP", Decimal("0.9")),
        ]),
    ],
    "Tackling violence against women and girls": [
        ("Make the redways and underpasses safer after dark", "MK Council", [
            ("Redway and underpass routes with improved lighting", "routes", 40, 90, "higher",
             "quarterly", "Council highways records", "MK Council", Decimal("1.0")),
        ]),
        ("Support repeat victims of domestic abuse", "MK Council", [
            ("Repeat referrals to the domestic abuse risk conference", "%", 30, 26, "lower",
             "quarterly", "MARAC records", "MK Council", Decimal("0.5")),
        ]),
    ],
    "Reducing the harm caused by drugs, alcohol and exploitation": [
        ("Help more people complete drug and alcohol treatment", "MK CCG", [
            ("Successful completions of drug treatment (non-opiate users)", "%", 42, 48,
             "higher", "quarterly", "National Drug Treatment Monitoring System",
             "MK Council", Decimal("0.9")),
        ]),
        ("Disrupt county lines that exploit children", "TVP", [
            ("County lines disrupted", "lines", 12, 20, "higher", "annually",
             "Thames Valley Police operations", "TVP", Decimal("1.2")),
        ]),
    ],
    "Safer, more confident communities": [
        ("Reduce anti-social behaviour at the places it keeps returning to", "TVP", [
            ("Anti-social behaviour incidents reported to police", "incidents", 1900, 1650,
             "lower", "monthly", "Thames Valley Police incident records", "TVP",
             Decimal("1.0")),
        ]),
        ("Increase the share of residents who feel safe after dark", "MK Council", [
            ("Residents who feel safe in their area after dark", "%", 66, 72, "higher",
             "annually", "Milton Keynes resident survey", "MK Council", Decimal("0.7")),
            ("Hate crimes reported", "offences", 310, 280, "lower", "quarterly",
             "Police recorded crime", "TVP", Decimal("0.8")),
        ]),
    ],
}
# The measure whose latest quarter has not been entered: "late", on purpose.
LATE_MEASURE = "Repeat referrals to the domestic abuse risk conference"

# What the annual refresh under way changes (its draft, under consultation).
REFRESH_NEW_PRIORITY = (
    "Protecting people from fraud and online harm", ["s17"],
    "Partners proposed this priority after the strategic assessment showed fraud and online "
    "harassment rising fastest, especially against older and younger residents.",
)


def _users() -> dict:
    return {u.username: u for u in get_user_model().objects.filter(
        username__in=["officer", "police"])}


def _orgs(partnership: Partnership) -> dict:
    return {o.short_name: o for o in Organisation.objects.filter(partnership=partnership)}


def responsibilities_load() -> dict:
    found = {}
    for order, (code, name, description) in enumerate(RESPONSIBILITIES):
        found[code], _ = StatutoryResponsibility.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    return found


def _transition(strategy: Strategy, status: str, when: dt.datetime, by, note: str = "") -> None:
    with at(when, by):
        services.strategy_transition(strategy=strategy, to_status=status, by=by, note=note)


# 2017-18 ---------------------------------------------------------------------

def strategy_2018_to_sign_off(partnership: Partnership) -> Strategy:
    """The 2018/21 strategy from drafting to its final draft for the boards
    (February 2018). Runs once on a new database."""
    responsibilities = responsibilities_load()
    officer = _users().get("officer")
    with at(dt.datetime(2017, 9, 20, 10), officer):
        strategy, created = Strategy.objects.get_or_create(
            slug=SLUG_2018,
            defaults={
                "partnership": partnership,
                "title": "SaferMK Community Safety Strategy 2018–2021",
                "period_start": dt.date(2018, 4, 1),
                "period_end": TARGET_2021,
                "aim": partnership.aim,
                "foreword": FOREWORD_2018,
                "pcc_plan_reference": "Thames Valley Police and Crime Plan 2017–2021",
                "pcc_alignment": (
                    "The partner authorities have had regard to the Police and Crime "
                    "Commissioner's police and crime plan for Thames Valley in formulating this "
                    "strategy."
                ),
            },
        )
        if created:
            strategy.responsibilities.set(responsibilities.values())
            for order, (title, codes) in enumerate(PRIORITIES_2018):
                priority = Priority.objects.create(strategy=strategy, title=title, order=order)
                priority.responsibilities.set([responsibilities[c] for c in codes])
    if strategy.status == Strategy.Status.PLANNING:
        _to_sign_off_2018(strategy, partnership, officer)
    elif strategy.status in (Strategy.Status.PUBLISHED, Strategy.Status.SUPERSEDED) and not (
        Objective.objects.filter(priority__strategy=strategy).exists()
    ):
        # A database loaded before objectives and measures were part of the demo:
        # add them and freeze a new publication version that says so, rather
        # than rewrite the version that was published.
        _thread_2018(strategy, _orgs(partnership))
        services.version_create(
            strategy=strategy,
            reason=StrategyVersion.Reason.PUBLICATION,
            by=officer,
            note="Objectives and performance measures added to the published strategy.",
        )
    return strategy


def _to_sign_off_2018(strategy: Strategy, partnership: Partnership, officer) -> None:
    _transition(strategy, "drafting", dt.datetime(2017, 9, 20, 10), officer,
                "Priorities proposed by partners.")
    with at(dt.datetime(2017, 11, 20, 10), officer):
        _thread_2018(strategy, _orgs(partnership))
    _transition(strategy, "consultation", dt.datetime(2017, 12, 4, 9), officer,
                "Twelve-week public consultation.")
    _transition(strategy, "sign_off", dt.datetime(2018, 2, 27, 14), officer,
                "Final draft to the Risk Board and the Management Board.")


def strategy_2018_in_force(strategy: Strategy) -> None:
    """Adopted by Safer MK in March 2018 and published in April, after both
    boards approved it (milestones.demo records their decisions first)."""
    officer = _users().get("officer")
    if strategy.status == Strategy.Status.SIGN_OFF:
        _transition(strategy, "adopted", dt.datetime(2018, 3, 22, 15), officer,
                    "Adopted by the SaferMK Partnership.")
        _transition(strategy, "published", dt.datetime(2018, 4, 3, 9), officer)
    _measurements(strategy, _rows_2018(), BASELINE_2018, TARGET_2021)


def _rows_2018() -> dict:
    """Measure title -> (latest value, periods left unreported) of THREAD_2018."""
    return {
        row[0]: (Decimal(row[8]), row[9])
        for objectives in THREAD_2018
        for _title, _lead, measures in objectives
        for row in measures
    }


def _thread_2018(strategy: Strategy, orgs: dict) -> None:
    priorities = list(strategy.priorities.order_by("order", "pk"))
    for priority, objectives in zip(priorities, THREAD_2018, strict=False):
        for o_order, (title, lead, measures) in enumerate(objectives):
            objective, _ = Objective.objects.get_or_create(
                priority=priority, title=title,
                defaults={"lead_organisation": orgs[lead], "order": o_order},
            )
            for m_order, row in enumerate(measures):
                (m_title, unit, baseline, target, direction, frequency, source, owner,
                 _latest, _gap) = row
                Measure.objects.get_or_create(
                    objective=objective, title=m_title,
                    defaults={
                        "unit": unit,
                        "baseline_value": Decimal(baseline),
                        "baseline_date": BASELINE_2018,
                        "target_value": Decimal(target),
                        "target_date": TARGET_2021,
                        "direction": direction,
                        "frequency": frequency,
                        "data_source": source,
                        "owner_organisation": orgs[owner],
                        "order": m_order,
                    },
                )


# Measurements -----------------------------------------------------------------

def _period_ends(frequency: str, after: dt.date, until: dt.date) -> list[dt.date]:
    """Every period end of the frequency in (after, until]."""
    months = {"monthly": range(1, 13), "quarterly": (3, 6, 9, 12), "annually": (3,)}[frequency]
    ends = []
    for year in range(after.year, until.year + 1):
        for month in months:
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
            if after < end <= until:
                ends.append(end)
    return ends


# A fixed wobble, so quarterly series look measured rather than drawn with a ruler.
WOBBLE = [0.6, -0.4, 0.9, -0.2, 0.5, -0.7, 0.3, 0.8, -0.5, 0.4, -0.3, 0.0]
# Values are entered about three weeks after each period ends.
ENTERED_AFTER = dt.timedelta(days=20)


def _measurements(
    strategy: Strategy, rows: dict, start: dt.date, until: dt.date, today: dt.date | None = None
) -> None:
    """Enter each measure's values, by its owner's organisation, three weeks
    after each period. `rows` maps a title to (latest value, periods left
    unreported) or to a pace (Decimal) against the straight line to the
    target. Measures that already have values are left alone."""
    users = _users()
    measures = Measure.objects.filter(objective__priority__strategy=strategy).select_related(
        "owner_organisation"
    )
    for measure in measures:
        row = rows.get(measure.title)
        if row is None or measure.measurements.exists():
            continue
        ends = _period_ends(measure.frequency, max(start, measure.baseline_date), until)
        if isinstance(row, tuple):
            latest, gap = row
            ends_entered = ends[: len(ends) - gap] if gap else ends
            step = (latest - measure.baseline_value) / max(len(ends), 1)

            def value_at(i, end, step=step, measure=measure):
                return measure.baseline_value + step * (i + 1)
        else:
            ends_entered = ends
            span = (measure.target_date - measure.baseline_date).days

            def value_at(i, end, pace=row, span=span, measure=measure):
                done = Decimal((end - measure.baseline_date).days) / Decimal(span)
                return measure.baseline_value + (
                    measure.target_value - measure.baseline_value) * done * pace
        spread = abs(measure.target_value - measure.baseline_value) / 10
        by = users.get("police") if measure.owner_organisation.kind == "police" else None
        by = by or users.get("officer")
        places = Decimal("0.1") if measure.unit == "%" else Decimal("1")
        for i, end in enumerate(ends_entered):
            value = value_at(i, end)
            if i < len(ends_entered) - 1:
                value += spread * Decimal(str(WOBBLE[i % len(WOBBLE)]))
            value = max(value, Decimal(0))
            entered = end + ENTERED_AFTER
            if today is not None:
                entered = min(entered, today - dt.timedelta(days=1))
            with at(moment(entered, 11), by):
                services.measurement_create(
                    measure=measure, period_end=end, value=value.quantize(places), by=by
                )


# 2021-22 ---------------------------------------------------------------------

def assessment_2021(partnership: Partnership) -> StrategicAssessment:
    officer = _users().get("officer")
    with at(dt.datetime(2021, 7, 12, 10), officer):
        assessment, _ = StrategicAssessment.objects.get_or_create(
            partnership=partnership,
            year=2021,
            defaults={
                "title": "SaferMK Strategic Assessment 2021",
                "summary": (
                    "The annual strategic assessment informing the new Community Safety "
                    "Strategy for 2022 and beyond. It reviews the priorities of the current "
                    "strategy, identifies emerging priorities, and answers three key lines of "
                    "enquiry: violence against women and girls, modern day slavery and the "
                    "impact of the pandemic on crime and disorder."
                ),
                "existing_priorities_review": (
                    "Road safety: casualties met the 2021 target. Violence: violence with "
                    "injury is close to target but knife crime is not. Substance misuse: "
                    "treatment completions improved; re-offending by offenders in treatment "
                    "remains high. Community engagement: more residents feel safe, though not "
                    "yet 70%."
                ),
                "emerging_priorities": (
                    "Violence against women and girls; exploitation, including modern slavery "
                    "and county lines; serious violence (the new duty); recovery from the "
                    "pandemic."
                ),
                "data_sources": (
                    "Police recorded crime and incidents; council anti-social behaviour "
                    "records; drug treatment monitoring; probation re-offending data; the "
                    "resident survey 2020; partner workshops."
                ),
            },
        )
        for order, (title, findings) in enumerate(LINES_OF_ENQUIRY_2021):
            LineOfEnquiry.objects.get_or_create(
                assessment=assessment, title=title,
                defaults={"findings": findings, "order": order},
            )
    return assessment


def strategy_2022_draft(partnership: Partnership, assessment: StrategicAssessment) -> Strategy:
    """June to September 2021: the process agreed, the draft priorities from
    the assessment, and partners' proposals decided by the officer."""
    responsibilities = responsibilities_load()
    users = _users()
    officer = users.get("officer")
    with at(dt.datetime(2021, 6, 30, 12), officer):
        strategy, created = Strategy.objects.get_or_create(
            slug=SLUG_2022,
            defaults={
                "partnership": partnership,
                "title": "SaferMK Community Safety Strategy 2022–2025",
                "period_start": dt.date(2022, 4, 1),
                "period_end": dt.date(2025, 3, 31),
                "aim": partnership.aim,
                "pcc_plan_reference": "Thames Valley Police and Crime Plan 2021–2025",
                "pcc_alignment": (
                    "The draft priorities follow the plan's themes: strong local policing, "
                    "fighting serious organised crime, tackling violence against women and "
                    "girls, and protecting vulnerable people from exploitation."
                ),
            },
        )
        if created:
            strategy.assessments.add(assessment)
            strategy.responsibilities.set(responsibilities.values())
    if strategy.status == Strategy.Status.PLANNING:
        _transition(strategy, "drafting", dt.datetime(2021, 6, 30, 12), officer,
                    "MK Together Management Board agreed the process for the new strategy.")
    _draft_2022(strategy, responsibilities, _orgs(partnership), users)
    return strategy


def _draft_2022(strategy: Strategy, responsibilities, orgs, users) -> None:
    """Draft priorities and partners' proposals, once: later runs leave what
    officers have changed since."""
    if strategy.proposals.exists() or strategy.priorities.exists():
        return
    if strategy.status not in services.PROPOSING:
        return
    officer, police = users.get("officer"), users.get("police")
    with at(dt.datetime(2021, 8, 31, 10), officer):
        for title, codes, description in DRAFT_PRIORITIES_2022:
            services.priority_create(
                strategy=strategy, title=title, description=description,
                responsibilities=[responsibilities[c] for c in codes],
            )
        violence = strategy.priorities.get(title=DRAFT_PRIORITIES_2022[0][0])
        objective = services.objective_create(
            priority=violence, title="Reduce knife crime among people under 25",
            lead_organisation=orgs["TVP"],
        )
        services.measure_create(
            objective=objective, title="Knife crime offences", unit="offences",
            baseline_value=Decimal(66), baseline_date=TARGET_2021, target_value=Decimal(55),
            target_date=dt.date(2025, 3, 31), direction="lower", frequency="quarterly",
            data_source="Police recorded crime", owner_organisation=orgs["TVP"], owner=police,
        )
        # The first draft, frozen before partners' proposals were decided, so the
        # versions can be compared.
        services.version_create(
            strategy=strategy, reason=StrategyVersion.Reason.MANUAL, by=officer,
            note="First draft of the priorities, from the strategic assessment.",
        )
    for short, title, rationale, decision, reason, into in PROPOSALS_2022:
        by = police if short == "TVP" else officer
        # The proposals came in for the Risk Board of September 2021.
        with at(dt.datetime(2021, 9, 1, 10), by):
            proposal = services.proposal_submit(
                strategy=strategy, organisation=orgs[short], title=title, rationale=rationale,
                by=by,
            )
        with at(dt.datetime(2021, 9, 23, 15), officer):
            if decision == "accept":
                services.proposal_accept(proposal=proposal, reason=reason, by=officer)
            elif decision == "merge":
                target = strategy.priorities.get(title=into)
                services.proposal_merge(proposal=proposal, into=target, reason=reason,
                                        by=officer)
            elif decision == "decline":
                services.proposal_decline(proposal=proposal, reason=reason, by=officer)


def strategy_2022_final_draft(strategy: Strategy) -> None:
    """January 2022: after the consultation, every priority gets its
    objectives and measures, including what "you said, we did" promised."""
    if strategy.status != Strategy.Status.DRAFTING:
        return
    if Measure.objects.filter(objective__priority__strategy=strategy).count() > 1:
        return
    users = _users()
    _write_thread(strategy, THREAD_2022, dt.datetime(2022, 1, 24, 10), users,
                  baseline=TARGET_2021, target=dt.date(2025, 3, 31))


def _write_thread(strategy, thread: dict, when, users, *, baseline, target) -> None:
    officer, police = users.get("officer"), users.get("police")
    orgs = _orgs(strategy.partnership)
    with at(when, officer):
        for priority in strategy.priorities.order_by("order", "pk"):
            entry = thread.get(priority.title)
            if entry is None:
                continue
            if isinstance(entry, tuple):
                description, objectives = entry
                if description:
                    services.priority_update(priority=priority, title=priority.title,
                                             description=description)
            else:
                objectives = entry
            for title, lead, measures in objectives:
                objective = priority.objectives.filter(title=title).first()
                if objective is None:
                    objective = services.objective_create(
                        priority=priority, title=title, lead_organisation=orgs[lead]
                    )
                for row in measures:
                    (m_title, unit, base, goal, direction, frequency, source, owner,
                     _pace) = row
                    services.measure_create(
                        objective=objective, title=m_title, unit=unit,
                        baseline_value=Decimal(base), baseline_date=baseline,
                        target_value=Decimal(goal), target_date=target,
                        direction=direction, frequency=frequency, data_source=source,
                        owner_organisation=orgs[owner],
                        owner=police if owner == "TVP" else officer,
                    )


def _paces(thread: dict) -> dict:
    paces = {}
    for entry in thread.values():
        objectives = entry[1] if isinstance(entry, tuple) else entry
        for _title, _lead, measures in objectives:
            for row in measures:
                paces[row[0]] = row[8]
    return paces


def strategy_2022_in_force(strategy: Strategy) -> None:
    """Adopted by Safer MK on 24 March 2022 (after both boards approved the
    final draft) and published in April, superseding 2018/21; then three
    years of measurements."""
    officer = _users().get("officer")
    if strategy.status == Strategy.Status.SIGN_OFF:
        _transition(strategy, "adopted", dt.datetime(2022, 3, 24, 15), officer,
                    "Adopted by the Safer MK Partnership.")
        _transition(strategy, "published", dt.datetime(2022, 4, 4, 9), officer)
    paces = _paces(THREAD_2022)
    paces["Knife crime offences"] = Decimal("0.7")
    if strategy.status in (Strategy.Status.PUBLISHED, Strategy.Status.SUPERSEDED):
        _measurements(strategy, paces, dt.date(2022, 4, 1), dt.date(2025, 3, 31))


# The current cycle -------------------------------------------------------------

def refresh_year_start(today: dt.date) -> dt.date:
    """The 1 April the refresh under way will take effect: the first one at
    least 100 days away, so that its consultation, sign-off and adoption all
    fit before it."""
    start = dt.date(today.year, 4, 1)
    while start < today + dt.timedelta(days=100):
        start = dt.date(start.year + 1, 4, 1)
    return start


def current_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The current three-year strategy is in its second year on `today`."""
    start = dt.date(refresh_year_start(today).year - 2, 4, 1)
    return start, dt.date(start.year + 3, 3, 31)


def current_slugs(today: dt.date) -> dict[str, str]:
    start, end = current_period(today)
    refresh = refresh_year_start(today)
    return {
        "strategy": f"safermk-strategy-{start.year}-{end.year}",
        "refresh": f"safermk-strategy-refresh-{refresh.year}-{refresh.year + 1 - 2000:02d}",
    }


def current_strategy_draft(partnership: Partnership, today: dt.date) -> Strategy:
    """The current three-year strategy, drafted in the year before it began
    and sent to the boards seven weeks before its start."""
    start, end = current_period(today)
    slug = current_slugs(today)["strategy"]
    existing = Strategy.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    responsibilities = responsibilities_load()
    users = _users()
    officer = users.get("officer")
    assessment = _assessment(partnership, start.year - 1, moment(
        dt.date(start.year - 1, 8, 26), 16), signed_off=True)
    drafted = moment(dt.date(start.year - 1, 9, 28), 10)
    with at(drafted, officer):
        strategy = services.strategy_create(
            partnership=partnership,
            title=f"SaferMK Community Safety Strategy {start.year}–{end.year}",
            slug=slug,
            period_start=start,
            period_end=end,
            aim=partnership.aim,
            foreword=(
                "Three years ago we promised to tackle violence against women and girls, "
                "exploitation and the places where anti-social behaviour keeps returning. "
                "This strategy keeps those promises going and sets new targets for the next "
                "three years, from what residents, young people and partners told us.\n\n"
                "Chair of the SaferMK Partnership"
            ),
            pcc_plan_reference=f"Thames Valley Police and Crime Plan {start.year - 1}–"
                               f"{start.year + 3}",
            pcc_alignment=(
                "The partner authorities have had regard to the Thames Valley Police and Crime "
                "Plan in setting these priorities, and report progress against it to the Risk "
                "Board every quarter."
            ),
            responsibilities=responsibilities.values(),
            assessments=[assessment],
            by=officer,
        )
    _transition(strategy, "drafting", drafted, officer,
                "Risk Board agreed the priorities from the strategic assessment.")
    with at(drafted + dt.timedelta(days=1), officer):
        for title, codes, description in PRIORITIES_CURRENT:
            services.priority_create(
                strategy=strategy, title=title, description=description,
                responsibilities=[responsibilities[c] for c in codes],
            )
    _write_thread(strategy, THREAD_CURRENT, moment(dt.date(start.year - 1, 12, 8), 10), users,
                  baseline=dt.date(start.year, 3, 31), target=end)
    _transition(strategy, "sign_off", moment(start - dt.timedelta(weeks=7), 9), officer,
                "Final draft to the Risk Board and the Management Board.")
    return strategy


def _assessment(partnership, year: int, signed: dt.datetime, *, signed_off: bool):
    officer = _users().get("officer")
    with at(signed - dt.timedelta(days=40), officer):
        assessment, _ = StrategicAssessment.objects.get_or_create(
            partnership=partnership, year=year, duty=StrategicAssessment.Duty.COMMUNITY_SAFETY,
            defaults={
                "title": f"SaferMK Strategic Assessment {year}",
                "summary": (
                    f"The annual strategic assessment of {year}: crime and disorder in Milton "
                    "Keynes over the last year, progress against the strategy's targets, and "
                    "emerging risks."
                ),
                "existing_priorities_review": (
                    "Knife crime and violence with injury are falling; repeat domestic abuse "
                    "referrals are not. Drug treatment completions are close to target."
                ),
                "emerging_priorities": (
                    "Fraud and online harm, rising fastest among older and younger residents."
                ),
                "data_sources": (
                    "Police recorded crime and incidents; council records; drug treatment "
                    "monitoring; the resident survey; partner workshops."
                ),
            },
        )
        for order, (title, findings) in enumerate([
            ("Existing priority areas", "Progress on each priority of the current strategy."),
            ("Fraud and online harm",
             "Reports of fraud and online harassment rose by a quarter in a year."),
        ]):
            LineOfEnquiry.objects.get_or_create(
                assessment=assessment, title=title,
                defaults={"findings": findings, "order": order},
            )
    if signed_off and assessment.status != StrategicAssessment.Status.SIGNED_OFF:
        with at(signed, officer):
            assessment.status = StrategicAssessment.Status.SIGNED_OFF
            assessment.signed_off_on = signed.date()
            assessment.signed_off_by = "Risk Board"
            assessment.full_clean()
            assessment.save()
    return assessment


def current_strategy_in_force(strategy: Strategy, today: dt.date) -> None:
    """Adopted by Safer MK a week before it began, published on its second
    working day (superseding 2022–2025), and measured since."""
    officer = _users().get("officer")
    start = strategy.period_start
    if strategy.status == Strategy.Status.SIGN_OFF:
        _transition(strategy, "adopted", moment(start - dt.timedelta(days=8), 15), officer,
                    "Adopted by the Safer MK Partnership.")
        _transition(strategy, "published", moment(start + dt.timedelta(days=1), 9), officer)
    _current_measurements(strategy, today)


def _current_measurements(strategy: Strategy, today: dt.date) -> None:
    """Values up to the last complete period: a period that ended less than
    two weeks ago is due now (some entered, some not); the LATE_MEASURE is a
    quarter behind."""
    paces = _paces(THREAD_CURRENT)
    grace = dt.timedelta(days=14)
    for measure in Measure.objects.filter(objective__priority__strategy=strategy):
        if measure.measurements.exists():
            continue
        until = _last_end(today, measure.frequency)
        if today - until < grace and measure.pk % 2 == 0 or (
            measure.frequency == "monthly" and today - until < grace
        ):
            until = _last_end(until, measure.frequency)
        if measure.title == LATE_MEASURE:
            until = _last_end(_last_end(today - grace, measure.frequency), measure.frequency)
        _measurements(strategy, {measure.title: paces[measure.title]},
                      strategy.period_start - dt.timedelta(days=1), until, today)


def _last_end(day: dt.date, frequency: str) -> dt.date:
    """The last period end strictly before `day` (periods end with a month,
    a quarter, or a financial year on 31 March)."""
    months = {"monthly": range(1, 13), "quarterly": (3, 6, 9, 12), "annually": (3,)}[frequency]
    ends = [
        dt.date(year, month, calendar.monthrange(year, month)[1])
        for year in (day.year - 1, day.year) for month in months
    ]
    return max(e for e in ends if e < day)


def refresh_draft(current: Strategy, today: dt.date) -> Strategy:
    """The annual refresh for next year, drafted from the current strategy
    and this year's assessment: a new priority proposed by the police and
    accepted, a tougher target."""
    slug = current_slugs(today)["refresh"]
    existing = Strategy.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    users = _users()
    officer, police = users.get("officer"), users.get("police")
    partnership = current.partnership
    year_start = refresh_year_start(today)
    assessment = _assessment(partnership, year_start.year - 1,
                             moment(today - dt.timedelta(weeks=12), 16), signed_off=False)
    drafted = moment(today - dt.timedelta(weeks=10), 10)
    responsibilities = responsibilities_load()
    with at(drafted, officer):
        refresh = services.strategy_create(
            partnership=partnership,
            title=f"{current.title}: refresh for {year_start.year}/"
                  f"{year_start.year + 1 - 2000:02d}",
            slug=slug,
            kind=Strategy.Kind.REFRESH,
            parent=current,
            period_start=year_start,
            period_end=dt.date(year_start.year + 1, 3, 31),
            aim=current.aim,
            foreword=current.foreword,
            pcc_plan_reference=current.pcc_plan_reference,
            pcc_alignment=current.pcc_alignment,
            responsibilities=current.responsibilities.all(),
            assessments=[assessment],
            by=officer,
        )
    _transition(refresh, "drafting", drafted, officer,
                "The annual refresh, from the strategic assessment.")
    with at(drafted + dt.timedelta(hours=1), officer):
        for priority in current.priorities.order_by("order", "pk"):
            services.priority_create(
                strategy=refresh, title=priority.title, description=priority.description,
                responsibilities=priority.responsibilities.all(),
            )
    _write_thread(refresh, THREAD_CURRENT, drafted + dt.timedelta(hours=2), users,
                  baseline=dt.date(current.period_start.year, 3, 31),
                  target=current.period_end)
    with at(drafted + dt.timedelta(hours=3), officer):
        services.version_create(
            strategy=refresh, reason=StrategyVersion.Reason.MANUAL, by=officer,
            note="First draft of the refresh: the strategy as it stands.",
        )
    with at(drafted + dt.timedelta(days=3), officer):
        measure = Measure.objects.get(objective__priority__strategy=refresh,
                                      title="Knife crime offences")
        services.measure_update(measure=measure, target_value=Decimal(45))
    title, codes, rationale = REFRESH_NEW_PRIORITY
    with at(drafted + dt.timedelta(days=4), police):
        proposal = services.proposal_submit(
            strategy=refresh, organisation=_orgs(partnership)["TVP"], title=title,
            rationale=rationale, by=police,
        )
    with at(drafted + dt.timedelta(days=9), officer):
        priority = services.proposal_accept(
            proposal=proposal, by=officer,
            reason="The strategic assessment shows fraud and online harm rising fastest.",
        )
        services.priority_update(
            priority=priority, title=priority.title, description=priority.description,
            responsibilities=[responsibilities[c] for c in codes],
        )
        objective = services.objective_create(
            priority=priority, title="Help residents recognise and report fraud",
            lead_organisation=_orgs(partnership)["TVP"],
        )
        services.measure_create(
            objective=objective, title="Fraud reports from residents over 65", unit="reports",
            baseline_value=Decimal(410), baseline_date=dt.date(year_start.year - 1, 3, 31),
            target_value=Decimal(480), target_date=dt.date(year_start.year + 1, 3, 31),
            direction="higher", frequency="quarterly",
            data_source="Action Fraud reports for Milton Keynes",
            owner_organisation=_orgs(partnership)["TVP"], owner=police,
        )
    return refresh


# Serious violence (the Serious Violence Duty) -------------------------------

SV_PRIORITIES = [
    ("Fewer young people hurt or killed with knives",
     "Stop knife crime among under-25s through schools, youth services and targeted policing.",
     ("Reach young people at risk before they carry a knife", "YOT",
      ("Young people at risk supported by the violence intervention programme", "people",
       "120", "300", "higher", "TVP"))),
    ("Safer town centre at night",
     "Reduce violence with injury in the night-time economy.",
     ("Make the town centre safer after dark", "TVP",
      ("Violence with injury in the town centre, 6pm to 6am", "offences",
       "640", "520", "lower", "TVP"))),
]


def serious_violence_start(today: dt.date) -> dt.date:
    """The serious violence strategy began at the start of the month about
    six months before `today`, so that it reads as the one in force."""
    return (today - dt.timedelta(days=183)).replace(day=1)


def serious_violence_slug(today: dt.date) -> str:
    return f"safermk-serious-violence-strategy-{serious_violence_start(today).year}"


def needs_assessment_current(partnership: Partnership, today: dt.date) -> StrategicAssessment:
    """The strategic needs assessment behind the serious violence strategy,
    with the local definition and a public summary; signed off by the Safer
    MK Partnership about two and a half months before the strategy began."""
    officer = _users().get("officer")
    signed = moment(serious_violence_start(today) - dt.timedelta(days=75), 14)
    with at(signed - dt.timedelta(days=40), officer):
        assessment, _ = StrategicAssessment.objects.get_or_create(
            partnership=partnership, year=signed.year,
            duty=StrategicAssessment.Duty.SERIOUS_VIOLENCE,
            defaults={
                "title": f"Milton Keynes Serious Violence Strategic Needs Assessment "
                         f"{signed.year}",
                "local_definition": (
                    "Serious violence in Milton Keynes is homicide; violence causing injury, "
                    "including knife and gun crime; robbery; and violence in the night-time "
                    "economy. It includes domestic abuse and violence against women and girls "
                    "where a weapon is used or serious injury is caused."
                ),
                "public_summary": (
                    "Serious violence fell slightly over the last year but is concentrated: "
                    "two in five offences with injury happen in the town centre between 6pm "
                    "and 6am, and knife possession among under-25s has risen. Early help "
                    "through schools and youth services, and safer nights in the town centre, "
                    "are where partners can do most."
                ),
                "summary": (
                    "Restricted. Hotspot analysis by street and hour, with the cohort of young "
                    "people known to two or more agencies, drawn from police, health, youth "
                    "justice and education records shared under the Serious Violence Duty."
                ),
                "data_sources": (
                    "Police recorded crime; hospital emergency department attendances for "
                    "assault; youth justice caseloads; school exclusions."
                ),
            },
        )
        LineOfEnquiry.objects.get_or_create(
            assessment=assessment, title="Young people known to two or more agencies",
            defaults={"findings": "Restricted: a cohort of 40 young people, by school and ward.",
                      "order": 0},
        )
    if assessment.status != StrategicAssessment.Status.SIGNED_OFF:
        with at(signed, officer):
            assessment.status = StrategicAssessment.Status.SIGNED_OFF
            assessment.signed_off_on = signed.date()
            assessment.signed_off_by = "Safer MK Partnership"
            assessment.full_clean()
            assessment.save()
    return assessment


def serious_violence_draft(partnership: Partnership, needs: StrategicAssessment,
                           today: dt.date) -> Strategy:
    """The serious violence strategy, drafted from the needs assessment and
    sent for sign-off a month before it began."""
    slug = serious_violence_slug(today)
    existing = Strategy.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    officer = _users().get("officer")
    orgs = _orgs(partnership)
    start = serious_violence_start(today)
    end = dt.date(start.year + 3, start.month, 1) - dt.timedelta(days=1)
    drafted = moment(start - dt.timedelta(days=70), 10)
    with at(drafted, officer):
        strategy = services.strategy_create(
            partnership=partnership,
            title=f"SaferMK Serious Violence Strategy {start.year}–{end.year}",
            slug=slug,
            duty=Strategy.Duty.SERIOUS_VIOLENCE,
            period_start=start,
            period_end=end,
            aim="To prevent and reduce serious violence in Milton Keynes.",
            foreword=(
                "Under the Serious Violence Duty the police, fire and rescue, health, the "
                "council, youth justice and probation share what they know and act together. "
                "This strategy sets out what we will do first.\n\n"
                "Chair of the SaferMK Partnership"
            ),
            pcc_plan_reference=f"Thames Valley Police and Crime Plan {start.year - 1}–"
                               f"{start.year + 3}",
            assessments=[needs],
            by=officer,
        )
    _transition(strategy, "drafting", drafted, officer,
                "Priorities agreed from the strategic needs assessment.")
    with at(drafted + dt.timedelta(days=1), officer):
        for title, description, (o_title, lead, measure) in SV_PRIORITIES:
            priority = services.priority_create(strategy=strategy, title=title,
                                                description=description)
            objective = services.objective_create(priority=priority, title=o_title,
                                                  lead_organisation=orgs[lead])
            m_title, unit, base, goal, direction, owner = measure
            services.measure_create(
                objective=objective, title=m_title, unit=unit,
                baseline_value=Decimal(base), baseline_date=start - dt.timedelta(days=1),
                target_value=Decimal(goal), target_date=end, direction=direction,
                frequency="quarterly", data_source="Partners' records under the duty",
                owner_organisation=orgs[owner],
            )
    _transition(strategy, "sign_off", moment(start - dt.timedelta(days=30), 9), officer,
                "Final draft to each specified authority.")
    return strategy


def serious_violence_in_force(strategy: Strategy) -> None:
    """Adopted a fortnight before it began, once each authority had signed
    it off and every required consultee was consulted; published ten days
    before it began."""
    officer = _users().get("officer")
    start = strategy.period_start
    if strategy.status == Strategy.Status.SIGN_OFF:
        _transition(strategy, "adopted", moment(start - dt.timedelta(days=14), 15), officer,
                    "Adopted by the Safer MK Partnership for the specified authorities.")
        _transition(strategy, "published", moment(start - dt.timedelta(days=10), 9), officer)


# How each serious violence measure is doing against the straight line to its
# target: the intervention programme ahead of it, the town centre behind.
SV_PACES = {
    SV_PRIORITIES[0][2][2][0]: Decimal("1.15"),
    SV_PRIORITIES[1][2][2][0]: Decimal("0.55"),
}


def serious_violence_figures(strategy: Strategy, today: dt.date) -> None:
    """Each quarter's figures since the strategy began, entered three weeks
    after the quarter ended (a quarter that ended less than a fortnight ago is
    not due yet), so the strategy reads as being monitored."""
    grace = dt.timedelta(days=14)
    until = _last_end(today - grace, "quarterly")
    _measurements(strategy, SV_PACES, strategy.period_start - dt.timedelta(days=1), until, today)

"""Demo strategies for SaferMK, from the partnership's reports.

- The 2018/21 strategy and its four priorities (report of 2017, section 1),
  with objectives, performance measures and three years of measurements,
  published in April 2018.
- The 2021 strategic assessment and its lines of enquiry (report of 2021, 1.2).
- The 2022 strategy, in drafting, informed by that assessment, with the
  priorities partners proposed (report of 2017, 5.3) and the officer's
  decisions on them.

The figures are illustrative, not SaferMK's own statistics.
Idempotent: rows are found by natural keys; nothing is created twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from partnerships.models import Organisation, Partnership
from strategy import lifecycle, services
from strategy.models import (
    LineOfEnquiry,
    Measure,
    Measurement,
    Objective,
    Priority,
    PriorityProposal,
    StatutoryResponsibility,
    StrategicAssessment,
    Strategy,
    StrategyTransition,
    StrategyVersion,
)

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
     None, "", None),
]


def load(partnership: Partnership) -> dict:
    responsibilities = {}
    for order, (code, name, description) in enumerate(RESPONSIBILITIES):
        responsibilities[code], _ = StatutoryResponsibility.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["officer", "police"])}
    officer = users.get("officer")
    orgs = {o.short_name: o for o in Organisation.objects.filter(partnership=partnership)}

    strategy_2018 = _strategy_2018(partnership, responsibilities, orgs, officer)
    _measurements_2018(strategy_2018, users)

    assessment = _assessment_2021(partnership)

    strategy_2022, created = Strategy.objects.get_or_create(
        slug="safermk-strategy-2022",
        defaults={
            "partnership": partnership,
            "title": "SaferMK Community Safety Strategy 2022–2025",
            "period_start": dt.date(2022, 4, 1),
            "period_end": dt.date(2025, 3, 31),
            "aim": partnership.aim,
            "pcc_plan_reference": "Thames Valley Police and Crime Plan 2021–2025",
            "pcc_alignment": (
                "The draft priorities follow the plan's themes: strong local policing, "
                "fighting serious organised crime, tackling violence against women and girls, "
                "and protecting vulnerable people from exploitation."
            ),
        },
    )
    if created:
        strategy_2022.assessments.add(assessment)
        strategy_2022.responsibilities.set(responsibilities.values())
    if strategy_2022.status == Strategy.Status.PLANNING:
        transition = services.strategy_transition(
            strategy=strategy_2022, to_status="drafting", by=officer,
            note="MK Together Management Board agreed the process for the new strategy.",
        )
        _backdate(strategy_2022, transition, dt.datetime(2021, 6, 30, 12))
    _draft_2022(strategy_2022, responsibilities, orgs, users)

    return {
        "strategy_2018": strategy_2018,
        "strategy_2022": strategy_2022,
        "assessment": assessment,
    }


def _strategy_2018(partnership, responsibilities, orgs, officer) -> Strategy:
    strategy, created = Strategy.objects.get_or_create(
        slug="safermk-strategy-2018-2021",
        defaults={
            "partnership": partnership,
            "title": "SaferMK Community Safety Strategy 2018–2021",
            "period_start": dt.date(2018, 4, 1),
            "period_end": TARGET_2021,
            "aim": partnership.aim,
            "foreword": FOREWORD_2018,
            "pcc_plan_reference": "Thames Valley Police and Crime Plan 2017–2021",
            "pcc_alignment": (
                "The partner authorities have had regard to the Police and Crime Commissioner's "
                "police and crime plan for Thames Valley in formulating this strategy."
            ),
        },
    )
    if created:
        strategy.responsibilities.set(responsibilities.values())
        for order, (title, codes) in enumerate(PRIORITIES_2018):
            priority = Priority.objects.create(strategy=strategy, title=title, order=order)
            priority.responsibilities.set([responsibilities[c] for c in codes])

    has_thread = Objective.objects.filter(priority__strategy=strategy).exists()
    if strategy.status == Strategy.Status.PLANNING:
        # A new database: build the golden thread, then take the strategy through
        # its lifecycle to sign-off; adopt_and_publish_2018 takes it on once the
        # boards' approvals are recorded, so the published version holds all of it.
        _thread_2018(strategy, orgs)
        when = [
            ("drafting", dt.datetime(2017, 9, 20, 10), "Priorities proposed by partners."),
            ("consultation", dt.datetime(2017, 12, 4, 9), "Twelve-week public consultation."),
            ("sign_off", dt.datetime(2018, 3, 1, 14), "Final draft to the Partnership."),
        ]
        for status, at, note in when:
            transition = services.strategy_transition(
                strategy=strategy, to_status=status, by=officer, note=note
            )
            _backdate(strategy, transition, at)
    elif not has_thread and strategy.status == Strategy.Status.PUBLISHED:
        # A database loaded before objectives and measures were part of the demo:
        # add them and freeze a new publication version that says so, rather
        # than rewrite the version that was published.
        _thread_2018(strategy, orgs)
        services.version_create(
            strategy=strategy,
            reason=StrategyVersion.Reason.PUBLICATION,
            by=officer,
            note="Objectives and performance measures added to the published strategy.",
        )
    return strategy


ADOPTION_2018 = [
    ("adopted", dt.datetime(2018, 3, 22, 15), "Adopted by the SaferMK Partnership."),
    ("published", dt.datetime(2018, 4, 3, 9), ""),
]


def adopt_and_publish_2018(strategy: Strategy, officer) -> None:
    """Adopt and publish the 2018–2021 strategy. A strategy is adopted only as
    its boards approved it, so milestones.demo calls this after recording
    their approvals."""
    for status, at, note in ADOPTION_2018:
        if lifecycle.can_move(strategy.status, status):
            transition = services.strategy_transition(
                strategy=strategy, to_status=status, by=officer, note=note
            )
            _backdate(strategy, transition, at)


def _backdate(strategy: Strategy, transition: StrategyTransition, at: dt.datetime) -> None:
    """Give the demo's 2017/18 events their historical dates. Only the time a
    version was made changes, never its content or hash."""
    aware = timezone.make_aware(at)
    StrategyTransition.objects.filter(pk=transition.pk).update(at=aware)
    if transition.to_status in ("consultation", "sign_off", "published"):
        latest = strategy.versions.order_by("-number").first()
        StrategyVersion.objects.filter(pk=latest.pk).update(created_at=aware)


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


def _period_ends(frequency: str) -> list[dt.date]:
    if frequency == "annually":
        return [dt.date(y, 3, 31) for y in (2019, 2020, 2021)]
    ends = []
    for year in (2018, 2019, 2020, 2021):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            d = dt.date(year, month, day)
            if BASELINE_2018 < d <= TARGET_2021:
                ends.append(d)
    return ends


# A fixed wobble, so quarterly series look measured rather than drawn with a ruler.
WOBBLE = [0.6, -0.4, 0.9, -0.2, 0.5, -0.7, 0.3, 0.8, -0.5, 0.4, -0.3, 0.0]


def _measurements_2018(strategy: Strategy, users: dict) -> None:
    rows = {
        row[0]: row
        for objectives in THREAD_2018
        for _title, _lead, measures in objectives
        for row in measures
    }
    measures = Measure.objects.filter(objective__priority__strategy=strategy).select_related(
        "owner_organisation"
    )
    for measure in measures:
        row = rows.get(measure.title)
        if row is None or measure.measurements.exists():
            continue
        latest, gap = Decimal(row[8]), row[9]
        ends = _period_ends(measure.frequency)
        n = len(ends)
        step = (latest - measure.baseline_value) / n
        spread = abs(measure.target_value - measure.baseline_value) / 10
        by = users.get("police") if measure.owner_organisation.kind == "police" else None
        by = by or users.get("officer")
        for i, end in enumerate(ends[: n - gap] if gap else ends):
            value = measure.baseline_value + step * (i + 1)
            if i < n - 1:
                value += spread * Decimal(str(WOBBLE[i % len(WOBBLE)]))
            places = Decimal("0.1") if measure.unit == "%" else Decimal("1")
            Measurement.objects.create(
                measure=measure, period_end=end, value=value.quantize(places), entered_by=by
            )


def _assessment_2021(partnership: Partnership) -> StrategicAssessment:
    assessment, _ = StrategicAssessment.objects.update_or_create(
        partnership=partnership,
        year=2021,
        defaults={
            "title": "SaferMK Strategic Assessment 2021",
            "summary": (
                "The annual strategic assessment informing the new Community Safety Strategy "
                "for 2022 and beyond. It reviews the priorities of the current strategy, "
                "identifies emerging priorities, and answers three key lines of enquiry: "
                "violence against women and girls, modern day slavery and the impact of the "
                "pandemic on crime and disorder."
            ),
            "existing_priorities_review": (
                "Road safety: casualties met the 2021 target. Violence: violence with injury is "
                "close to target but knife crime is not. Substance misuse: treatment "
                "completions improved; re-offending by offenders in treatment remains high. "
                "Community engagement: more residents feel safe, though not yet 70%."
            ),
            "emerging_priorities": (
                "Violence against women and girls; exploitation, including modern slavery and "
                "county lines; serious violence (the new duty); recovery from the pandemic."
            ),
            "data_sources": (
                "Police recorded crime and incidents; council anti-social behaviour records; "
                "drug treatment monitoring; probation re-offending data; the resident survey "
                "2020; partner workshops."
            ),
        },
    )
    for order, (title, findings) in enumerate(LINES_OF_ENQUIRY_2021):
        LineOfEnquiry.objects.update_or_create(
            assessment=assessment, title=title, defaults={"findings": findings, "order": order}
        )
    return assessment


def _draft_2022(strategy: Strategy, responsibilities, orgs, users) -> None:
    """Draft priorities and partners' proposals, once: later runs leave what
    officers have changed since."""
    if strategy.proposals.exists() or strategy.priorities.exists():
        return
    if strategy.status not in services.PROPOSING:
        return
    officer, police = users.get("officer"), users.get("police")
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
        proposal = services.proposal_submit(
            strategy=strategy, organisation=orgs[short], title=title, rationale=rationale,
            by=police if short == "TVP" else officer,
        )
        # The proposals came in for the Risk Board of September 2021.
        PriorityProposal.objects.filter(pk=proposal.pk).update(
            created_at=timezone.make_aware(dt.datetime(2021, 9, 1, 10))
        )
        if decision == "accept":
            services.proposal_accept(proposal=proposal, reason=reason, by=officer)
        elif decision == "merge":
            target = strategy.priorities.get(title=into)
            services.proposal_merge(proposal=proposal, into=target, reason=reason, by=officer)
        elif decision == "decline":
            services.proposal_decline(proposal=proposal, reason=reason, by=officer)
        if decision:
            PriorityProposal.objects.filter(pk=proposal.pk).update(
                decided_at=timezone.make_aware(dt.datetime(2021, 9, 23, 15))
            )

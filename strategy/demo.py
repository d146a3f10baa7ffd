"""Demo strategies for SaferMK, from the partnership's reports.

- The 2018/21 strategy and its four priorities (report of 2017, section 1).
- The 2021 strategic assessment and its lines of enquiry (report of 2021, 1.2).
- The 2022 strategy, in drafting, informed by that assessment.
Idempotent: rows are found by natural keys.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from partnerships.models import Partnership
from strategy import services
from strategy.models import (
    LineOfEnquiry,
    Priority,
    StatutoryResponsibility,
    StrategicAssessment,
    Strategy,
)

RESPONSIBILITIES = [
    # code, name, description
    ("asb", "Anti-Social Behaviour", "Tackling anti-social behaviour adversely affecting the local environment."),
    ("reoffending", "Reducing Re-offending", "A strategy for the reduction of re-offending in the area."),
    ("prevent", "Prevent", "Preventing people from being drawn into terrorism."),
    ("pcc", "Police and Crime Commissioner", "Having regard to the police and crime plan for the area."),
    ("substance-misuse", "Substance Misuse", "Combating the misuse of drugs, alcohol and other substances."),
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

LINES_OF_ENQUIRY_2021 = [
    (
        "Existing priority areas",
        "Review of the priority areas identified in the current strategy.",
    ),
    (
        "Emerging priorities",
        "Identification and analysis of any emerging priorities.",
    ),
    ("Violence against women and girls", ""),
    ("Modern day slavery", ""),
    ("Impact of the pandemic on crime and disorder", ""),
]


def load(partnership: Partnership) -> dict:
    responsibilities = {}
    for order, (code, name, description) in enumerate(RESPONSIBILITIES):
        responsibilities[code], _ = StatutoryResponsibility.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    officer = get_user_model().objects.filter(username="officer").first()

    strategy_2018, created = Strategy.objects.get_or_create(
        slug="safermk-strategy-2018-2021",
        defaults={
            "partnership": partnership,
            "title": "SaferMK Community Safety Strategy 2018–2021",
            "period_start": dt.date(2018, 4, 1),
            "period_end": dt.date(2021, 3, 31),
            "aim": partnership.aim,
            "pcc_plan_reference": "Thames Valley Police and Crime Plan 2017–2021",
            "pcc_alignment": (
                "The partner authorities have had regard to the Police and Crime Commissioner's "
                "police and crime plan for Thames Valley in formulating this strategy."
            ),
        },
    )
    if created:
        strategy_2018.responsibilities.set(responsibilities.values())
        for order, (title, codes) in enumerate(PRIORITIES_2018):
            priority = Priority.objects.create(strategy=strategy_2018, title=title, order=order)
            priority.responsibilities.set([responsibilities[c] for c in codes])

    assessment, _ = StrategicAssessment.objects.update_or_create(
        partnership=partnership,
        year=2021,
        defaults={
            "title": "SaferMK Strategic Assessment 2021",
            "summary": (
                "The annual strategic assessment informing the new Community Safety Strategy "
                "for 2022 and beyond."
            ),
        },
    )
    for order, (title, findings) in enumerate(LINES_OF_ENQUIRY_2021):
        LineOfEnquiry.objects.update_or_create(
            assessment=assessment, title=title, defaults={"findings": findings, "order": order}
        )

    strategy_2022, created = Strategy.objects.get_or_create(
        slug="safermk-strategy-2022",
        defaults={
            "partnership": partnership,
            "title": "SaferMK Community Safety Strategy 2022–2025",
            "period_start": dt.date(2022, 4, 1),
            "period_end": dt.date(2025, 3, 31),
            "aim": partnership.aim,
            "pcc_plan_reference": "Thames Valley Police and Crime Plan 2021–2025",
        },
    )
    if created:
        strategy_2022.assessments.add(assessment)
        strategy_2022.responsibilities.set(responsibilities.values())

    if strategy_2018.status == Strategy.Status.PLANNING:
        for status in ("drafting", "consultation", "sign_off", "adopted", "published"):
            services.strategy_transition(strategy=strategy_2018, to_status=status, by=officer)
    if strategy_2022.status == Strategy.Status.PLANNING:
        services.strategy_transition(strategy=strategy_2022, to_status="drafting", by=officer)

    return {"strategy_2018": strategy_2018, "strategy_2022": strategy_2022, "assessment": assessment}

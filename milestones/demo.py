"""The default milestone template (the 2021 SaferMK process) and the 2022 plan."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from milestones.models import Milestone, MilestoneKind, MilestoneTemplate, MilestoneTemplateStep
from milestones.services import plan_generate
from strategy.models import Strategy

# The key milestones of "Development of a Community Safety Strategy for 2022",
# counted back from adoption in March.
SEED_STEPS = [
    # title, kind, board slug, months before adoption, duration in months
    ("MK Together Management Board discussion of early findings of strategic assessment",
     MilestoneKind.DISCUSSION, "management-board", 8, 0),
    ("Risk Board sign off strategic assessment", MilestoneKind.SIGN_OFF, "risk-board", 7, 0),
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


def default_template() -> MilestoneTemplate:
    template, _ = MilestoneTemplate.objects.update_or_create(
        partnership=None,
        name="Three-year strategy (SaferMK 2021 process)",
        defaults={
            "is_default": True,
            "description": (
                "From the early findings of the strategic assessment in July to adoption by the "
                "Partnership in March, with a stakeholder consultation from October to January."
            ),
        },
    )
    for order, (title, kind, board_slug, months, duration) in enumerate(SEED_STEPS):
        MilestoneTemplateStep.objects.update_or_create(
            template=template,
            order=order,
            defaults={
                "title": title,
                "kind": kind,
                "board_slug": board_slug,
                "months_before_adoption": months,
                "duration_months": duration,
            },
        )
    return template


def load(strategy_2022: Strategy) -> None:
    template = default_template()
    if Milestone.objects.filter(strategy=strategy_2022).exists():
        return
    officer = get_user_model().objects.filter(username="officer").first()
    milestones = plan_generate(
        strategy=strategy_2022, template=template, adoption=ADOPTION_2022, owner=officer
    )
    # July to September 2021 happened as planned.
    for milestone in milestones[:4]:
        milestone.status = Milestone.Status.DONE
        milestone.completed_on = milestone.due_date
        milestone.save(update_fields=["status", "completed_on"])

"""Writes to milestone plans."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from milestones.models import Milestone, MilestoneTemplate
from milestones.plans import step_dates
from partnerships.models import Board
from strategy.models import Strategy


@transaction.atomic
def plan_generate(
    *, strategy: Strategy, template: MilestoneTemplate, adoption: dt.date, owner=None
) -> list[Milestone]:
    """Create the strategy's milestones from a template, counted back from the
    target adoption date. Each step depends on the one before it."""
    boards = {b.slug: b for b in Board.objects.filter(partnership=strategy.partnership_id)}
    created: list[Milestone] = []
    for step in template.steps.order_by("order", "pk"):
        starts_on, due = step_dates(
            adoption=adoption,
            months_before=step.months_before_adoption,
            duration_months=step.duration_months,
        )
        milestone = Milestone(
            partnership_id=strategy.partnership_id,
            strategy=strategy,
            title=step.title,
            kind=step.kind,
            board=boards.get(step.board_slug) if step.board_slug else None,
            owner=owner,
            starts_on=starts_on,
            due_date=due,
            template_step=step,
            order=step.order,
        )
        milestone.full_clean()
        milestone.save()
        if created:
            milestone.depends_on.add(created[-1])
        created.append(milestone)
    return created

"""Writes to plan templates: a partnership copies one, names it, edits its
steps and chooses its default. Templates that come with the product (no
partnership) are read-only here: a partnership copies them to change them.

Kept apart from milestones.services (plans and sign-offs) because it is a
concept of its own: what a plan is made from, not a plan.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from milestones.models import MilestoneTemplate, MilestoneTemplateStep, StepBoardRole
from partnerships.models import Board, Partnership

STEP_FIELDS = (
    "title",
    "description",
    "kind",
    "board",
    "months_before_adoption",
    "weeks_before_adoption",
    "duration_months",
    "duration_weeks",
)


def _require_own(template: MilestoneTemplate) -> None:
    if template.partnership_id is None:
        raise PermissionDenied(
            "Templates that come with the service cannot be changed: copy it into the "
            "partnership first."
        )


def _free_name(partnership: Partnership, name: str) -> str:
    taken = set(
        MilestoneTemplate.objects.filter(partnership=partnership).values_list("name", flat=True)
    )
    if name not in taken:
        return name
    candidate, n = f"Copy of {name}"[:200], 2
    while candidate in taken:
        candidate = f"Copy of {name} ({n})"[:200]
        n += 1
    return candidate


@transaction.atomic
def plan_template_copy(
    *, template: MilestoneTemplate, partnership: Partnership
) -> MilestoneTemplate:
    """Copy one of the product's templates, or one of the partnership's own,
    into the partnership, steps and all. A step's board is kept when the
    copy stays in the same partnership; a board role is always kept."""
    if template.partnership_id not in (None, partnership.pk):
        raise ValidationError("Choose one of the service's templates or one of your own.")
    copy = MilestoneTemplate(
        partnership=partnership,
        name=_free_name(partnership, template.name),
        description=template.description,
        copied_from=template,
    )
    copy.full_clean()
    copy.save()
    same = template.partnership_id == partnership.pk
    MilestoneTemplateStep.objects.bulk_create(
        MilestoneTemplateStep(
            template=copy,
            title=step.title,
            description=step.description,
            kind=step.kind,
            board_id=step.board_id if same else None,
            board_role=step.board_role,
            months_before_adoption=step.months_before_adoption,
            weeks_before_adoption=step.weeks_before_adoption,
            duration_months=step.duration_months,
            duration_weeks=step.duration_weeks,
            order=index,
        )
        for index, step in enumerate(template.steps.order_by("order", "pk"))
    )
    return copy


@transaction.atomic
def plan_template_update(
    *, template: MilestoneTemplate, name: str, description: str
) -> MilestoneTemplate:
    _require_own(template)
    template.name = name.strip()
    template.description = description.strip()
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def plan_template_set_default(*, template: MilestoneTemplate) -> MilestoneTemplate:
    """Make the template the one offered first when a plan is generated."""
    _require_own(template)
    MilestoneTemplate.objects.select_for_update().filter(
        partnership_id=template.partnership_id, is_default=True
    ).exclude(pk=template.pk).update(is_default=False)
    template.is_default = True
    template.full_clean()
    template.save(update_fields=["is_default"])
    return template


def _check_step(template: MilestoneTemplate, fields: dict) -> None:
    unknown = set(fields) - set(STEP_FIELDS)
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))}")
    board: Board | None = fields.get("board")
    if board is not None and board.partnership_id != template.partnership_id:
        raise ValidationError({"board": "Choose one of the partnership's boards"})
    if fields.get("duration_months") and fields.get("duration_weeks"):
        raise ValidationError(
            {"duration_weeks": "Give how long the window runs in months or in weeks, not both"}
        )


@transaction.atomic
def template_step_create(*, template: MilestoneTemplate, **fields) -> MilestoneTemplateStep:
    _require_own(template)
    _check_step(template, fields)
    last = template.steps.aggregate(n=Max("order"))["n"]
    step = MilestoneTemplateStep(
        template=template, order=0 if last is None else last + 1, **fields
    )
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def template_step_update(*, step: MilestoneTemplateStep, **fields) -> MilestoneTemplateStep:
    template = step.template
    _require_own(template)
    _check_step(template, fields)
    for name, value in fields.items():
        setattr(step, name, value)
    if step.board_id is not None:
        # A chosen board replaces a role the step had from a shared template.
        step.board_role = StepBoardRole.NONE
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def template_step_delete(*, step: MilestoneTemplateStep) -> None:
    _require_own(step.template)
    step.delete()


@transaction.atomic
def template_step_move(*, step: MilestoneTemplateStep, up: bool) -> None:
    """Swap the step with its neighbour; orders are renumbered 0..n first so
    that equal orders (from older data) cannot make a swap a no-op."""
    _require_own(step.template)
    steps = list(
        MilestoneTemplateStep.objects.select_for_update()
        .filter(template_id=step.template_id)
        .order_by("order", "pk")
    )
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(steps):
        return
    steps[index], steps[other] = steps[other], steps[index]
    for order, row in enumerate(steps):
        if row.order != order:
            row.order = order
            row.save(update_fields=["order"])

"""Officer pages for a partnership's plan templates: the service's own
templates and the partnership's, copied, named, their steps edited and
reordered, and the default chosen.

Only the partnership's officers may open them: another partnership's
templates are not found (404); partner officers and board members are
refused (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from milestones import template_services as services
from milestones.forms import PlanTemplateForm, TemplateStepForm
from milestones.models import MilestoneTemplate, MilestoneTemplateStep
from milestones.template_services import STEP_FIELDS
from partnerships.access import get_partnership_for_user


def _get_template_for_user(request, partnership_slug: str, pk: int, *, own: bool = False):
    """(partnership, template): one of the service's templates or the
    partnership's own; with own=True, 403 for the service's templates, which
    are changed by copying them."""
    partnership = get_partnership_for_user(request, partnership_slug, officer=True)
    template = get_object_or_404(
        MilestoneTemplate.objects.available_to(partnership), pk=pk
    )
    if own and template.partnership_id is None:
        raise PermissionDenied(
            "Templates that come with the service cannot be changed: copy it first."
        )
    return partnership, template


def _get_step_for_user(request, partnership_slug: str, pk: int, step_pk: int):
    partnership, template = _get_template_for_user(request, partnership_slug, pk, own=True)
    step = get_object_or_404(
        MilestoneTemplateStep.objects.select_related("board", "template"),
        pk=step_pk,
        template=template,
    )
    return partnership, template, step


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
def plan_templates(request, partnership):
    partnership = get_partnership_for_user(request, partnership, officer=True)
    templates = list(
        MilestoneTemplate.objects.available_to(partnership)
        .annotate(step_count=Count("steps"))
        .order_by("name", "pk")
    )
    default = next((t for t in templates if t.is_default and t.partnership_id), None) or next(
        (t for t in templates if t.is_default), None
    )
    return render(
        request,
        "milestones/plan_templates/list.html",
        {
            "partnership": partnership,
            "own": [t for t in templates if t.partnership_id],
            "shared": [t for t in templates if not t.partnership_id],
            "default": default,
        },
    )


@login_required
def plan_template(request, partnership, plan_template):
    partnership, template = _get_template_for_user(request, partnership, plan_template)
    steps = list(template.steps.select_related("board").order_by("order", "pk"))
    return render(
        request,
        "milestones/plan_templates/detail.html",
        {
            "partnership": partnership,
            "template": template,
            "steps": steps,
            "is_own": template.partnership_id is not None,
            "is_default": template == MilestoneTemplate.objects.default_for(partnership),
        },
    )


@login_required
@require_POST
def plan_template_copy(request, partnership, plan_template):
    partnership, template = _get_template_for_user(request, partnership, plan_template)
    copy = services.plan_template_copy(template=template, partnership=partnership)
    messages.success(request, f"Copied as “{copy.name}”: you can now change it")
    return redirect(
        "milestones:plan_template", partnership=partnership.slug, plan_template=copy.pk
    )


@login_required
@require_POST
def plan_template_default(request, partnership, plan_template):
    partnership, template = _get_template_for_user(request, partnership, plan_template, own=True)
    services.plan_template_set_default(template=template)
    messages.success(request, f"“{template.name}” is now the partnership's default template")
    return redirect(
        "milestones:plan_template", partnership=partnership.slug, plan_template=template.pk
    )


@login_required
def plan_template_edit(request, partnership, plan_template):
    partnership, template = _get_template_for_user(request, partnership, plan_template, own=True)
    form = PlanTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_template_update(
                template=MilestoneTemplate.objects.get(pk=template.pk),
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Template saved")
            return redirect(
                "milestones:plan_template", partnership=partnership.slug,
                plan_template=template.pk,
            )
    return render(
        request,
        "milestones/plan_templates/edit.html",
        {"partnership": partnership, "template": template, "form": form},
    )


@login_required
def template_step_new(request, partnership, plan_template):
    partnership, template = _get_template_for_user(request, partnership, plan_template, own=True)
    form = TemplateStepForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_step_create(
                template=template, **{f: form.cleaned_data[f] for f in STEP_FIELDS}
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Step added")
            return redirect(
                "milestones:plan_template", partnership=partnership.slug,
                plan_template=template.pk,
            )
    return render(
        request,
        "milestones/plan_templates/step_form.html",
        {"partnership": partnership, "template": template, "form": form, "step": None},
    )


@login_required
def template_step_edit(request, partnership, plan_template, step):
    partnership, template, step = _get_step_for_user(request, partnership, plan_template, step)
    form = TemplateStepForm(request.POST or None, instance=step, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_step_update(
                step=MilestoneTemplateStep.objects.select_related("template").get(pk=step.pk),
                **{f: form.cleaned_data[f] for f in STEP_FIELDS},
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Step saved")
            return redirect(
                "milestones:plan_template", partnership=partnership.slug,
                plan_template=template.pk,
            )
    return render(
        request,
        "milestones/plan_templates/step_form.html",
        {"partnership": partnership, "template": template, "form": form, "step": step},
    )


@login_required
def template_step_delete(request, partnership, plan_template, step):
    partnership, template, step = _get_step_for_user(request, partnership, plan_template, step)
    if request.method == "POST":
        services.template_step_delete(step=step)
        messages.success(request, f"Step “{step.title}” removed")
        return redirect(
            "milestones:plan_template", partnership=partnership.slug, plan_template=template.pk
        )
    return render(
        request,
        "milestones/plan_templates/step_delete.html",
        {"partnership": partnership, "template": template, "step": step},
    )


@login_required
@require_POST
def template_step_move(request, partnership, plan_template, step):
    partnership, template, step = _get_step_for_user(request, partnership, plan_template, step)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404("Not found")
    services.template_step_move(step=step, up=direction == "up")
    return redirect(
        "milestones:plan_template", partnership=partnership.slug, plan_template=template.pk
    )

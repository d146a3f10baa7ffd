"""Pages for strategies: the officer pages (signed in) and the public pages.

Who may do what (partnerships.access): anything of a partnership you do not
belong to answers 404; partnership officers change everything; partner
officers and board members read; partner officers also propose priorities
and record measurements of the measures their organisation owns.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from partnerships.access import get_partnership_for_user, require
from partnerships.models import Organisation, Partnership, policing_body_on
from safermk.links import slug_link
from strategy import lifecycle, public_cache, public_extras, services
from strategy.assessment_panels import assessment_panels
from strategy.charts import measure_trend_svg, trend_svg
from strategy.diff import diff_contents
from strategy.duties import StrategyDuty, profile
from strategy.forms import (
    AssessmentForm,
    ConfirmTransitionForm,
    DecisionForm,
    LineOfEnquiryForm,
    MeasureForm,
    MeasurementForm,
    ObjectiveForm,
    PriorityForm,
    ProposalForm,
    PublicListForm,
    RecordTransitionForm,
    StrategyForm,
    TransitionForm,
    VersionForm,
    add_service_errors,
)
from strategy.history import strategy_history
from strategy.models import (
    LineOfEnquiry,
    Measure,
    Measurement,
    Objective,
    Priority,
    PriorityProposal,
    StrategicAssessment,
    Strategy,
    StrategyVersion,
)
from strategy.performance import STATUS_TAG, MeasureStatus, assess, assess_measure

# Strategies a page of the public list shows.
PUBLIC_LIST_SIZE = 20

# Lookups ---------------------------------------------------------------------


def _get_strategy_for_user(request, slug: str, *, officer: bool = False) -> Strategy:
    strategy = get_object_or_404(Strategy.objects.select_related("partnership", "parent"),
                                 slug=slug)
    require(request.access, strategy.partnership_id, officer=officer)
    return strategy


def _get_priority_for_user(request, strategy: Strategy, pk: int) -> Priority:
    return get_object_or_404(Priority, pk=pk, strategy=strategy)


def _get_objective_for_user(request, strategy: Strategy, pk: int) -> Objective:
    return get_object_or_404(
        Objective.objects.select_related("priority", "lead_organisation"),
        pk=pk,
        priority__strategy=strategy,
    )


def _get_measure_for_user(request, strategy: Strategy, pk: int) -> Measure:
    return get_object_or_404(
        Measure.objects.select_related("objective__priority", "owner_organisation", "owner"),
        pk=pk,
        objective__priority__strategy=strategy,
    )


def _get_measurement_for_user(request, strategy: Strategy, pk: int) -> Measurement:
    return get_object_or_404(
        Measurement.objects.select_related("measure__objective__priority"),
        pk=pk,
        measure__objective__priority__strategy=strategy,
    )


def _get_proposal_for_user(request, strategy: Strategy, pk: int) -> PriorityProposal:
    return get_object_or_404(
        PriorityProposal.objects.select_related("organisation"), pk=pk, strategy=strategy
    )


def _get_version_for_user(request, strategy: Strategy, number: int) -> StrategyVersion:
    return get_object_or_404(
        StrategyVersion.objects.select_related("created_by"), strategy=strategy, number=number
    )


def _get_assessment_for_user(
    request, partnership_slug: str, year: int, *, officer: bool = False,
    duty: str = StrategyDuty.COMMUNITY_SAFETY,
) -> StrategicAssessment:
    # The full text of a strategic needs assessment is restricted to the
    # partnership's officers; everyone else reads its public summary.
    officer = officer or duty == StrategyDuty.SERIOUS_VIOLENCE
    partnership = get_partnership_for_user(request, partnership_slug, officer=officer)
    return get_object_or_404(
        StrategicAssessment.objects.select_related("partnership"),
        partnership=partnership,
        duty=duty,
        year=year,
    )


def _get_line_for_user(request, assessment: StrategicAssessment, pk: int) -> LineOfEnquiry:
    return get_object_or_404(LineOfEnquiry, pk=pk, assessment=assessment)


def _require_measurement_rights(request, strategy: Strategy, measure: Measure) -> None:
    """Officers record any measure; partner officers only those their
    organisation owns; everyone else in the partnership is refused (403)."""
    if not request.access.can_update_for_organisation(
        strategy.partnership_id, measure.owner_organisation_id
    ):
        raise PermissionDenied("Only the organisation that owns this measure can update it.")


def _content_locked(request, strategy: Strategy):
    """Redirect with a message when the strategy's content can no longer change."""
    if strategy.is_editable:
        return None
    messages.info(
        request,
        f"This strategy is {strategy.get_status_display().lower()}: its priorities, "
        "objectives and measures can no longer change.",
    )
    return redirect(strategy.get_absolute_url())


def _posted(request):
    """The submitted data on a POST (even an empty one), None on a GET."""
    return request.POST if request.method == "POST" else None


def _form_page(request, form, *, title, heading, caption="", submit="Save", back_url="",
               intro="", template="strategy/form.html", extra=None):
    context = {"form": form, "title": title, "heading": heading, "caption": caption,
               "submit": submit, "back_url": back_url, "intro": intro}
    context.update(extra or {})
    return render(request, template, context)


# Strategies ------------------------------------------------------------------


@login_required
def strategy_list(request):
    access = request.access
    partnerships = list(access.partnerships().order_by("name"))
    rows = (
        Strategy.objects.for_partnerships([p.pk for p in partnerships])
        .select_related("partnership")
        .annotate(priority_count=Count("priorities"))
        .order_by("partnership__name", "-period_start", "title")
    )
    by_partnership = {p.pk: [] for p in partnerships}
    for s in rows:
        by_partnership[s.partnership_id].append(s)
    groups = [
        {"partnership": p, "strategies": by_partnership[p.pk], "is_officer": access.is_officer(p)}
        for p in partnerships
    ]
    return render(request, "strategy/strategy_list.html", {"groups": groups})


@login_required
def strategy_create(request, partnership: str):
    partnership = get_partnership_for_user(request, partnership, officer=True)
    form = StrategyForm(_posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            strategy = services.strategy_create(partnership=partnership, by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{strategy.title} created.")
            return redirect(strategy.get_absolute_url())
    return _form_page(
        request, form, title="Create a strategy", heading="Create a strategy",
        caption=partnership.name, submit="Create strategy",
        back_url=reverse("strategy:list"),
    )


@login_required
def strategy_detail(request, strategy: str):
    strategy = _get_strategy_for_user(request, strategy)
    access = request.access
    priorities = list(Priority.objects.filter(strategy=strategy).with_golden_thread())
    for priority in priorities:
        for objective in priority.objectives.all():
            for measure in objective.measures.all():
                points = list(measure.measurements.all())
                measure.result = assess_measure(measure, points)
                measure.rows = [(m.period_end, m.value, m.note) for m in points]
                measure.chart = measure_trend_svg(measure, points)
                measure.can_update = access.can_update_for_organisation(
                    strategy.partnership_id, measure.owner_organisation_id
                )
    can_upload = any(m.can_update for p in priorities for o in p.objectives.all()
                     for m in o.measures.all())
    is_officer = access.is_officer(strategy.partnership_id)
    options = lifecycle.options(strategy) if is_officer else []
    transitions = list(strategy.transitions.select_related("by").order_by("-at", "-pk"))
    versions = list(strategy.versions.select_related("created_by").order_by("-number")[:5])
    proposal_counts = dict(
        strategy.proposals.values_list("status").annotate(n=Count("pk")).order_by()
    )
    return render(request, "strategy/strategy_detail.html", {
        "strategy": strategy,
        "policing_body": policing_body_on(strategy.partnership_id, strategy.period_start),
        "priorities": priorities,
        "is_officer": is_officer,
        "can_upload": can_upload,
        "editable": is_officer and strategy.is_editable,
        "options": options,
        # Adoption and publication are confirmed on their own page; the others
        # are buttons of one form with a note.
        "confirm_steps": [o for o in options if o.offered and o.irreversible],
        "direct_steps": [o for o in options if o.offered and not o.irreversible],
        "refused": [o for o in options if not o.offered],
        "transitions": transitions,
        "versions": versions,
        "responsibilities": list(strategy.responsibilities.all()),
        "assessments": list(strategy.assessments.order_by("-year")),
        "proposals_open": proposal_counts.get(PriorityProposal.Status.PROPOSED, 0),
        "proposals_total": sum(proposal_counts.values()),
        "transition_form": TransitionForm(),
    })


@login_required
def strategy_edit(request, strategy: str):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    if locked := _content_locked(request, strategy):
        return locked
    form = StrategyForm(_posted(request), instance=strategy, partnership=strategy.partnership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        responsibilities = data.pop("responsibilities")
        assessments = data.pop("assessments")
        try:
            services.strategy_update(strategy=strategy, responsibilities=responsibilities,
                                     assessments=assessments, by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Strategy details saved.")
            return redirect(strategy.get_absolute_url())
    return _form_page(
        request, form, title=f"Edit {strategy.title}", heading="Edit the strategy's details",
        caption=strategy.title, back_url=strategy.get_absolute_url(),
    )


@login_required
@require_POST
def strategy_transition(request, strategy: str):
    """The reversible moves, straight from the strategy page. Adoption and
    publication cannot be undone: they are confirmed on a page of their own."""
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a next step for the strategy.")
        return redirect(strategy.get_absolute_url())
    to_status = form.cleaned_data["to_status"]
    if to_status not in dict(lifecycle.next_steps(strategy.status)):
        messages.error(request, "That step is not open to this strategy now.")
        return redirect(strategy.get_absolute_url())
    if to_status in lifecycle.IRREVERSIBLE:
        return redirect("strategy:transition_confirm", strategy=strategy.slug, to_status=to_status)
    try:
        services.strategy_transition(strategy=strategy, to_status=to_status, by=request.user,
                                     note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"The strategy is now at: {strategy.get_status_display().lower()}."
        )
    return redirect(strategy.get_absolute_url())


@login_required
def strategy_transition_confirm(request, strategy: str, to_status: str):
    """Confirm adopting or publishing: what will happen, then Confirm (POST)
    or cancel. When the step is refused the page says why and offers no
    button; the service checks again when it is confirmed."""
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    if to_status not in lifecycle.IRREVERSIBLE:
        raise Http404("Only adoption and publication are confirmed on their own page.")
    form = ConfirmTransitionForm(_posted(request))
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_transition(strategy=strategy, to_status=to_status,
                                         by=request.user, note=form.cleaned_data["note"],
                                         happened_on=form.cleaned_data["happened_on"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "happened_on" in exc.error_dict:
                add_service_errors(form, exc)
            else:
                refused = exc.messages
        else:
            messages.success(
                request, f"The strategy is now {strategy.get_status_display().lower()}."
            )
            return redirect(strategy.get_absolute_url())
    latest = services.version_latest(strategy=strategy)
    superseding = []
    if to_status == Strategy.Status.PUBLISHED:
        superseding = list(
            Strategy.objects.published()
            .filter(partnership=strategy.partnership_id)
            .exclude(pk=strategy.pk)
            .order_by("title")
        )
    return render(request, "strategy/transition_confirm.html", {
        "strategy": strategy,
        "to_status": to_status,
        "label": lifecycle.action_label(strategy.status, to_status)
        if lifecycle.can_move(strategy.status, to_status) else "",
        "refusals": refused or lifecycle.refusals(strategy, to_status),
        "refused_on_confirm": bool(refused),
        "version": services.version_matching_current(strategy=strategy),
        "next_number": latest.number + 1 if latest else 1,
        "superseding": superseding,
        "form": form,
    })


@login_required
def strategy_transition_record(request, strategy: str):
    """Record a reversible step with the day it really happened (a step taken
    before the partnership used the service, or not recorded at the time).
    Adoption and publication are dated on their own confirmation page."""
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    steps = [(o.to_status, f"{o.label} ({strategy.get_status_display().lower()} to "
                           f"{Strategy.Status(o.to_status).label.lower()})")
             for o in lifecycle.options(strategy) if o.offered and not o.irreversible]
    form = RecordTransitionForm(_posted(request), steps=steps)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transition = services.strategy_transition(
                strategy=strategy, to_status=data["to_status"], by=request.user,
                note=data["note"], happened_on=data["happened_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Recorded: {transition.get_to_status_display().lower()} on "
                f"{transition.happened_on:%-d %B %Y}.",
            )
            return redirect(strategy.get_absolute_url())
    irreversible = [o for o in lifecycle.options(strategy) if o.offered and o.irreversible]
    return _form_page(
        request, form, title=f"Record an earlier step: {strategy.title}",
        heading="Record a step with the date it happened", caption=strategy.title,
        submit="Record the step", back_url=strategy.get_absolute_url(),
        template="strategy/transition_record.html",
        extra={"strategy": strategy, "steps": steps, "irreversible": irreversible},
    )


@login_required
def strategy_history_page(request, strategy: str):
    strategy = _get_strategy_for_user(request, strategy)
    organisations = dict(
        Organisation.objects.filter(partnership=strategy.partnership_id).values_list("pk", "name")
    )
    changes = strategy_history(strategy, organisations)
    return render(request, "strategy/history.html", {"strategy": strategy, "changes": changes})


# Priorities ------------------------------------------------------------------


@login_required
def priority_create(request, strategy: str):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    if locked := _content_locked(request, strategy):
        return locked
    form = PriorityForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_create(strategy=strategy, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Priority added.")
            return redirect(strategy.get_absolute_url())
    return _form_page(request, form, title=f"Add a priority – {strategy.title}",
                      heading="Add a priority", caption=strategy.title, submit="Add priority",
                      back_url=strategy.get_absolute_url())


@login_required
def priority_edit(request, strategy: str, priority: int):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    priority = _get_priority_for_user(request, strategy, priority)
    if locked := _content_locked(request, strategy):
        return locked
    form = PriorityForm(_posted(request), instance=priority)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_update(priority=priority, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Priority saved.")
            return redirect(strategy.get_absolute_url() + f"#priority-{priority.pk}")
    return _form_page(request, form, title=f"Edit priority – {strategy.title}",
                      heading="Edit the priority", caption=strategy.title,
                      back_url=strategy.get_absolute_url())


@login_required
def priority_delete(request, strategy: str, priority: int):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    priority = _get_priority_for_user(request, strategy, priority)
    if locked := _content_locked(request, strategy):
        return locked
    if request.method == "POST":
        services.priority_delete(priority=priority)
        messages.success(request, f"Priority deleted: {priority.title}")
        return redirect(strategy.get_absolute_url())
    return render(request, "strategy/confirm_delete.html", {
        "strategy": strategy, "thing": "priority", "name": priority.title,
        "warning": "Its objectives, measures and measurements will be deleted too.",
        "back_url": strategy.get_absolute_url(),
    })


@login_required
@require_POST
def priority_move(request, strategy: str, priority: int):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    priority = _get_priority_for_user(request, strategy, priority)
    if locked := _content_locked(request, strategy):
        return locked
    try:
        services.priority_move(priority=priority, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(strategy.get_absolute_url() + f"#priority-{priority.pk}")


# Objectives ------------------------------------------------------------------


@login_required
def objective_create(request, strategy: str, priority: int):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    priority = _get_priority_for_user(request, strategy, priority)
    if locked := _content_locked(request, strategy):
        return locked
    form = ObjectiveForm(_posted(request), partnership=strategy.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_create(priority=priority, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Objective added.")
            return redirect(strategy.get_absolute_url() + f"#objective-{objective.pk}")
    return _form_page(request, form, title=f"Add an objective – {strategy.title}",
                      heading="Add an objective", caption=priority.title,
                      submit="Add objective", back_url=strategy.get_absolute_url())


@login_required
def objective_edit(request, strategy: str, objective: int):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    objective = _get_objective_for_user(request, strategy, objective)
    if locked := _content_locked(request, strategy):
        return locked
    form = ObjectiveForm(_posted(request), instance=objective,
                         partnership=strategy.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(objective=objective, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Objective saved.")
            return redirect(strategy.get_absolute_url() + f"#objective-{objective.pk}")
    return _form_page(request, form, title=f"Edit objective – {strategy.title}",
                      heading="Edit the objective", caption=objective.priority.title,
                      back_url=strategy.get_absolute_url())


@login_required
def objective_delete(request, strategy: str, objective: int):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    objective = _get_objective_for_user(request, strategy, objective)
    if locked := _content_locked(request, strategy):
        return locked
    if request.method == "POST":
        services.objective_delete(objective=objective)
        messages.success(request, f"Objective deleted: {objective.title}")
        return redirect(strategy.get_absolute_url())
    return render(request, "strategy/confirm_delete.html", {
        "strategy": strategy, "thing": "objective", "name": objective.title,
        "warning": "Its measures and their measurements will be deleted too.",
        "back_url": strategy.get_absolute_url(),
    })


# Measures and measurements ---------------------------------------------------


@login_required
def measure_create(request, strategy: str, objective: int):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    objective = _get_objective_for_user(request, strategy, objective)
    if locked := _content_locked(request, strategy):
        return locked
    form = MeasureForm(_posted(request), partnership=strategy.partnership,
                       initial={"owner_organisation": objective.lead_organisation_id})
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(objective=objective, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Performance measure added.")
            return redirect(_measure_url(strategy, measure))
    return _form_page(request, form, title=f"Add a performance measure – {strategy.title}",
                      heading="Add a performance measure", caption=objective.title,
                      submit="Add measure", back_url=strategy.get_absolute_url())


def _measure_url(strategy: Strategy, measure: Measure) -> str:
    return reverse("strategy:measure_detail", args=[strategy.slug, measure.pk])


@login_required
def measure_detail(request, strategy: str, measure: int):
    strategy = _get_strategy_for_user(request, strategy)
    measure = _get_measure_for_user(request, strategy, measure)
    points = list(measure.measurements.select_related("entered_by").order_by("period_end"))
    access = request.access
    return render(request, "strategy/measure_detail.html", {
        "strategy": strategy,
        "measure": measure,
        "points": points,
        "result": assess_measure(measure, points),
        "chart": measure_trend_svg(measure, points),
        "can_update": access.can_update_for_organisation(
            strategy.partnership_id, measure.owner_organisation_id
        ),
        "editable": access.is_officer(strategy.partnership_id) and strategy.is_editable,
    })


@login_required
def measure_edit(request, strategy: str, measure: int):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    measure = _get_measure_for_user(request, strategy, measure)
    if locked := _content_locked(request, strategy):
        return locked
    form = MeasureForm(_posted(request), instance=measure, partnership=strategy.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(measure=measure, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Performance measure saved.")
            return redirect(_measure_url(strategy, measure))
    return _form_page(request, form, title=f"Edit performance measure – {strategy.title}",
                      heading="Edit the performance measure", caption=measure.objective.title,
                      back_url=_measure_url(strategy, measure))


@login_required
def measure_delete(request, strategy: str, measure: int):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    measure = _get_measure_for_user(request, strategy, measure)
    if locked := _content_locked(request, strategy):
        return locked
    if request.method == "POST":
        services.measure_delete(measure=measure)
        messages.success(request, f"Performance measure deleted: {measure.title}")
        return redirect(strategy.get_absolute_url())
    return render(request, "strategy/confirm_delete.html", {
        "strategy": strategy, "thing": "performance measure", "name": measure.title,
        "warning": "Its measurements will be deleted too.",
        "back_url": _measure_url(strategy, measure),
    })


@login_required
def measurement_create(request, strategy: str, measure: int):
    strategy = _get_strategy_for_user(request, strategy)
    measure = _get_measure_for_user(request, strategy, measure)
    _require_measurement_rights(request, strategy, measure)
    form = MeasurementForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_create(measure=measure, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Measurement recorded.")
            return redirect(_measure_url(strategy, measure))
    return _form_page(request, form, title=f"Record a measurement – {measure.title}",
                      heading="Record a measurement", caption=measure.title,
                      submit="Save measurement", back_url=_measure_url(strategy, measure),
                      intro=f"Unit: {measure.unit}. Updated "
                      f"{measure.get_frequency_display().lower()}.",
                      extra={"strategy": strategy})


@login_required
def measurement_edit(request, strategy: str, measurement: int):
    strategy = _get_strategy_for_user(request, strategy)
    measurement = _get_measurement_for_user(request, strategy, measurement)
    measure = measurement.measure
    _require_measurement_rights(request, strategy, measure)
    form = MeasurementForm(_posted(request), instance=measurement)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_update(measurement=measurement, by=request.user,
                                        **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Measurement saved.")
            return redirect(_measure_url(strategy, measure))
    return _form_page(request, form, title=f"Edit a measurement – {measure.title}",
                      heading="Edit a measurement", caption=measure.title,
                      back_url=_measure_url(strategy, measure), extra={"strategy": strategy})


# Priority proposals ----------------------------------------------------------


@login_required
def proposal_list(request, strategy: str):
    strategy = _get_strategy_for_user(request, strategy)
    access = request.access
    proposals = sorted(
        strategy.proposals.select_related("organisation", "priority", "proposed_by",
                                          "decided_by").order_by("created_at", "pk"),
        # Those still to decide come first.
        key=lambda p: p.status != PriorityProposal.Status.PROPOSED,
    )
    return render(request, "strategy/proposal_list.html", {
        "strategy": strategy,
        "proposals": proposals,
        "is_officer": access.is_officer(strategy.partnership_id),
        "can_propose": access.is_staff_of(strategy.partnership_id)
        and strategy.status in services.PROPOSING,
    })


@login_required
def proposal_create(request, strategy: str):
    strategy = _get_strategy_for_user(request, strategy)
    access = request.access
    if not access.is_staff_of(strategy.partnership_id):
        raise PermissionDenied("Only officers of partner organisations propose priorities.")
    back = reverse("strategy:proposal_list", args=[strategy.slug])
    if strategy.status not in services.PROPOSING:
        messages.info(request, "Priorities can be proposed only while the strategy is being "
                               "planned or drafted.")
        return redirect(back)
    own = None
    if not access.is_officer(strategy.partnership_id):
        own_id = access.organisation_id(strategy.partnership_id)
        own = Organisation.objects.filter(pk=own_id).first()
        if own is None:
            raise PermissionDenied("Your membership is not linked to an organisation.")
    form = ProposalForm(_posted(request), partnership=strategy.partnership, organisation=own)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_submit(
                strategy=strategy, organisation=own or data["organisation"], title=data["title"],
                rationale=data["rationale"], by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you: your proposed priority has been sent to the "
                                      "partnership officers.")
            return redirect(back)
    intro = f"You are proposing on behalf of {own.name}." if own else ""
    return _form_page(request, form, title=f"Propose a priority – {strategy.title}",
                      heading="Propose a priority", caption=strategy.title,
                      submit="Send proposal", back_url=back, intro=intro)


@login_required
def proposal_decide(request, strategy: str, proposal: int):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    proposal = _get_proposal_for_user(request, strategy, proposal)
    back = reverse("strategy:proposal_list", args=[strategy.slug])
    if proposal.status != PriorityProposal.Status.PROPOSED:
        messages.info(request, "This proposal has already been decided.")
        return redirect(back)
    form = DecisionForm(_posted(request), strategy=strategy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == DecisionForm.ACCEPT:
                services.proposal_accept(proposal=proposal, reason=data["reason"],
                                         by=request.user)
            elif data["decision"] == DecisionForm.MERGE:
                services.proposal_merge(proposal=proposal, into=data["priority"],
                                        reason=data["reason"], by=request.user)
            else:
                services.proposal_decline(proposal=proposal, reason=data["reason"],
                                          by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(back)
    return _form_page(request, form, title=f"Decide on a proposed priority – {strategy.title}",
                      heading="Decide on a proposed priority", caption=strategy.title,
                      submit="Record decision", back_url=back,
                      template="strategy/proposal_decide.html", extra={"proposal": proposal})


# Versions --------------------------------------------------------------------


@login_required
def version_list(request, strategy: str):
    strategy = _get_strategy_for_user(request, strategy)
    versions = list(strategy.versions.select_related("created_by").order_by("-number"))
    is_officer = request.access.is_officer(strategy.partnership_id)
    return render(request, "strategy/version_list.html", {
        "strategy": strategy,
        "versions": versions,
        "is_officer": is_officer,
        "form": VersionForm() if is_officer else None,
        "current": services.version_matching_current(strategy=strategy) if versions else None,
    })


@login_required
@require_POST
def version_save(request, strategy: str):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    form = VersionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    version = services.version_create(strategy=strategy, reason=StrategyVersion.Reason.MANUAL,
                                      by=request.user, note=note)
    messages.success(request, f"Version {version.number} saved.")
    return redirect("strategy:version_list", strategy.slug)


@login_required
def version_detail(request, strategy: str, number: int):
    strategy = _get_strategy_for_user(request, strategy)
    version = _get_version_for_user(request, strategy, number)
    previous = strategy.versions.filter(number__lt=number).order_by("-number").first()
    return render(request, "strategy/version_detail.html", {
        "strategy": strategy, "version": version, "content": version.content,
        "previous": previous,
    })


@login_required
def version_compare(request, strategy: str):
    strategy = _get_strategy_for_user(request, strategy)
    versions = list(strategy.versions.select_related("created_by").order_by("number"))
    by_number = {v.number: v for v in versions}
    a = _int(request.GET.get("a"))
    b = _int(request.GET.get("b"))
    if a is None and b is None and len(versions) >= 2:
        a, b = versions[-2].number, versions[-1].number
    error = ""
    diff = None
    if a is not None or b is not None:
        if a not in by_number or b not in by_number:
            error = "Choose two versions of this strategy to compare"
        else:
            diff = diff_contents(by_number[a].content, by_number[b].content)
    return render(request, "strategy/version_compare.html", {
        "strategy": strategy, "versions": versions, "a": by_number.get(a),
        "b": by_number.get(b), "diff": diff, "error": error,
    }, status=200)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Strategic assessments -------------------------------------------------------


@login_required
def assessment_list(request):
    access = request.access
    partnerships = list(access.partnerships().order_by("name"))
    rows = (
        StrategicAssessment.objects.for_partnerships([p.pk for p in partnerships])
        .annotate(line_count=Count("lines_of_enquiry"))
        .order_by("partnership_id", "-year")
    )
    by_partnership = {k: list(g) for k, g in groupby(rows, key=lambda a: a.partnership_id)}
    groups = [
        {"partnership": p, "assessments": by_partnership.get(p.pk, []),
         "is_officer": access.is_officer(p)}
        for p in partnerships
    ]
    return render(request, "strategy/assessment_list.html", {"groups": groups})


def _assessment_url(assessment: StrategicAssessment) -> str:
    return assessment.get_absolute_url()


@login_required
def assessment_create(request, partnership: str, duty: str = StrategyDuty.COMMUNITY_SAFETY):
    partnership = get_partnership_for_user(request, partnership, officer=True)
    name = profile(duty).assessment_name
    form = AssessmentForm(_posted(request), duty=duty)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(partnership=partnership, duty=duty,
                                                    **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{name[:1].upper()}{name[1:]} created.")
            return redirect(_assessment_url(assessment))
    return _form_page(request, form, title=f"Create a {name}",
                      heading=f"Create a {name}", caption=partnership.name,
                      submit="Create assessment", back_url=reverse("strategy:assessment_list"),
                      extra={"partnership": partnership})


@login_required
def assessment_detail(request, partnership: str, year: int,
                      duty: str = StrategyDuty.COMMUNITY_SAFETY):
    assessment = _get_assessment_for_user(request, partnership, year, duty=duty)
    return render(request, "strategy/assessment_detail.html", {
        "assessment": assessment,
        "lines": list(assessment.lines_of_enquiry.all()),
        "strategies": list(assessment.strategies.order_by("-period_start")),
        "is_officer": request.access.is_officer(assessment.partnership_id),
        "panels": assessment_panels(request, assessment),
    })


@login_required
def assessment_edit(request, partnership: str, year: int,
                    duty: str = StrategyDuty.COMMUNITY_SAFETY):
    assessment = _get_assessment_for_user(request, partnership, year, officer=True, duty=duty)
    form = AssessmentForm(_posted(request), instance=assessment, duty=duty)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{assessment.profile.assessment_name_capitalised} saved."
            )
            return redirect(_assessment_url(assessment))
    return _form_page(request, form, title=f"Edit {assessment.title}",
                      heading=f"Edit the {assessment.profile.assessment_name}",
                      caption=assessment.title,
                      back_url=_assessment_url(assessment))


@login_required
def line_create(request, partnership: str, year: int,
                duty: str = StrategyDuty.COMMUNITY_SAFETY):
    assessment = _get_assessment_for_user(request, partnership, year, officer=True, duty=duty)
    form = LineOfEnquiryForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.line_of_enquiry_create(assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Line of enquiry added.")
            return redirect(_assessment_url(assessment))
    return _form_page(request, form, title=f"Add a line of enquiry – {assessment.title}",
                      heading="Add a line of enquiry", caption=assessment.title,
                      submit="Add line of enquiry", back_url=_assessment_url(assessment),
                      extra={"assessment": assessment})


@login_required
def line_edit(request, partnership: str, year: int, line: int,
              duty: str = StrategyDuty.COMMUNITY_SAFETY):
    assessment = _get_assessment_for_user(request, partnership, year, officer=True, duty=duty)
    line = _get_line_for_user(request, assessment, line)
    form = LineOfEnquiryForm(_posted(request), instance=line)
    if request.method == "POST" and form.is_valid():
        try:
            services.line_of_enquiry_update(line=line, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Line of enquiry saved.")
            return redirect(_assessment_url(assessment))
    return _form_page(request, form, title=f"Edit a line of enquiry – {assessment.title}",
                      heading="Edit the line of enquiry", caption=assessment.title,
                      back_url=_assessment_url(assessment), extra={"assessment": assessment})


@login_required
def line_delete(request, partnership: str, year: int, line: int,
                duty: str = StrategyDuty.COMMUNITY_SAFETY):
    assessment = _get_assessment_for_user(request, partnership, year, officer=True, duty=duty)
    line = _get_line_for_user(request, assessment, line)
    if request.method == "POST":
        services.line_of_enquiry_delete(line=line)
        messages.success(request, f"Line of enquiry removed: {line.title}")
        return redirect(_assessment_url(assessment))
    return render(request, "strategy/confirm_delete.html", {
        "thing": "line of enquiry", "name": line.title, "verb": "Remove",
        "warning": "Its findings will be removed with it.",
        "back_url": _assessment_url(assessment), "assessment": assessment,
    })


# Strategic needs assessments: the same pages, for the serious violence kind.
SV = StrategyDuty.SERIOUS_VIOLENCE


def needs_assessment_create(request, partnership: str):
    return assessment_create(request, partnership, duty=SV)


def needs_assessment_detail(request, partnership: str, needs_year: int):
    return assessment_detail(request, partnership, needs_year, duty=SV)


def needs_assessment_edit(request, partnership: str, needs_year: int):
    return assessment_edit(request, partnership, needs_year, duty=SV)


def needs_line_create(request, partnership: str, needs_year: int):
    return line_create(request, partnership, needs_year, duty=SV)


def needs_line_edit(request, partnership: str, needs_year: int, needs_line: int):
    return line_edit(request, partnership, needs_year, needs_line, duty=SV)


def needs_line_delete(request, partnership: str, needs_year: int, needs_line: int):
    return line_delete(request, partnership, needs_year, needs_line, duty=SV)


# Public pages ----------------------------------------------------------------


def public_list(request):
    """Every partnership's published strategies, by partnership, each one's
    strategy in force first; searched and filtered by the query string, a
    page at a time, in a fixed number of queries."""
    partnerships = list(Partnership.objects.order_by("name").values_list("slug", "name"))
    form = PublicListForm(request.GET, choices={"partnership": partnerships})
    filters = form.filters
    rows = Strategy.objects.public().with_published_on().select_related("partnership")
    if form.chosen_status == PublicListForm.CURRENT:
        rows = rows.filter(status=Strategy.Status.PUBLISHED)
    elif form.chosen_status == PublicListForm.REPLACED:
        rows = rows.filter(status=Strategy.Status.SUPERSEDED)
    if form.chosen_kind != PublicListForm.ALL:
        rows = rows.filter(duty=form.chosen_kind)
    if "q" in filters:
        rows = rows.matching(filters["q"])
    if "partnership" in filters:
        rows = rows.filter(partnership__slug=filters["partnership"])
    rows = rows.in_public_order(by_partnership=True)
    page = Paginator(rows, PUBLIC_LIST_SIZE).get_page(form.page_number)
    strategy_url = slug_link("strategy:public_detail")
    partnership_url = slug_link("partnership_home")
    strategies = list(page.object_list)
    for strategy in strategies:
        strategy.url = strategy_url(strategy.slug)
        strategy.partnership.url = partnership_url(strategy.partnership.slug)
    groups = [
        {"partnership": p, "strategies": list(group)}
        for p, group in groupby(strategies, key=lambda s: s.partnership)
    ]
    return render(request, "strategy/public_list.html", {
        "form": form,
        "params": form.values,
        "problems": form.problems,
        "query": form.querystring(),
        "partnerships": partnerships,
        "page": page,
        "groups": groups,
    })


def _published(slug: str) -> tuple[Strategy, StrategyVersion]:
    strategy = get_object_or_404(
        Strategy.objects.select_related("partnership").with_published_on().filter(
            status__in=[Strategy.Status.PUBLISHED, Strategy.Status.SUPERSEDED]
        ),
        slug=slug,
    )
    version = (
        strategy.versions.filter(reason=StrategyVersion.Reason.PUBLICATION)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise Http404("This strategy has not been published.")
    return strategy, version


def _public_priorities(strategy: Strategy, version: StrategyVersion, *, only=None,
                       charts: bool = False) -> list[dict]:
    """The published priorities with each measure's current status (from the
    live measurements, matched by id), and with `charts` its trend chart.
    `only` limits them to one priority id. One query for the measurements."""
    priorities = [p for p in version.content["priorities"] if only is None or p["id"] == only]
    ids = [m["id"] for p in priorities for o in p["objectives"] for m in o["measures"]]
    live = {
        m.pk: m
        for m in Measure.objects.filter(pk__in=ids, objective__priority__strategy=strategy)
        .prefetch_related(Prefetch("measurements",
                                   queryset=Measurement.objects.order_by("period_end")))
    } if ids else {}
    result = []
    for p in priorities:
        objectives = []
        counts = {status: 0 for status in MeasureStatus}
        for o in p["objectives"]:
            measures = [_public_measure(m, live.get(m["id"]), chart=charts)
                        for m in o["measures"]]
            for m in measures:
                counts[m["result"].status] += 1
            objectives.append({**o, "measures": measures})
        result.append({
            **p, "objectives": objectives,
            "number": version.content["priorities"].index(p) + 1,
            "status_counts": [(status, STATUS_TAG[status], counts[status])
                              for status in MeasureStatus],
            "measure_count": sum(counts.values()),
        })
    return result


def _public_context(strategy: Strategy, version: StrategyVersion) -> dict:
    content = version.content
    newer = None
    if strategy.status == Strategy.Status.SUPERSEDED:
        newer = (
            Strategy.objects.public().filter(partnership=strategy.partnership_id,
                                             duty=strategy.duty,
                                             status=Strategy.Status.PUBLISHED).first()
        )
    return {
        "strategy": strategy, "version": version, "content": content, "newer": newer,
        # What kind of statutory document it is, as published.
        "kind": profile(content["strategy"].get("duty", StrategyDuty.COMMUNITY_SAFETY)),
        # The published period, from the frozen content (ISO dates in the JSON).
        "period_start": dt.date.fromisoformat(content["strategy"]["period_start"]),
        "period_end": dt.date.fromisoformat(content["strategy"]["period_end"]),
        # Whose police and crime plan it had regard to: the body in force
        # when its period starts, as in the strategy document.
        "policing_body": policing_body_on(
            strategy.partnership_id, dt.date.fromisoformat(content["strategy"]["period_start"])
        ),
    }


def needs_assessment_public(request, partnership: str, needs_year: int):
    """The public summary of a signed-off strategic needs assessment: its
    local definition of serious violence and summary, never the full text."""
    assessment = get_object_or_404(
        StrategicAssessment.objects.select_related("partnership").exclude(public_summary=""),
        partnership__slug=partnership, year=needs_year, duty=StrategyDuty.SERIOUS_VIOLENCE,
        status=StrategicAssessment.Status.SIGNED_OFF,
    )
    return render(request, "strategy/needs_assessment_public.html", {
        "assessment": assessment,
        "strategies": list(assessment.strategies.public().order_by("-period_start")),
    })


def public_detail(request, strategy: str):
    """The published strategy in summary: each priority with its objectives
    and how its measures stand. Charts and tables are a step away, on each
    priority's page."""
    strategy, version = _published(strategy)
    context = _public_context(strategy, version)
    context["pdf_label"] = public_extras.pdf_label(version)
    # The summary of every priority, from the frozen version and the live
    # figures: cached until a figure changes (strategy.public_cache).
    context["priorities_html"] = public_cache.cached_part(
        public_cache.key("detail", strategy, version),
        lambda: render_to_string("strategy/includes/public_priorities.html", {
            **context, "priorities": _public_priorities(strategy, version)}),
    )
    return render(request, "strategy/public_detail.html", context)


def public_priority(request, strategy: str, priority: int):
    """One published priority in full: every measure with its status, trend
    chart and data table."""
    strategy, version = _published(strategy)
    all_priorities = version.content["priorities"]
    index = next((i for i, p in enumerate(all_priorities) if p["id"] == priority), None)
    if index is None:
        raise Http404("This priority is not in the published strategy.")
    context = _public_context(strategy, version)
    context.update({
        "priority": all_priorities[index],
        "number": index + 1,
        "previous_priority": all_priorities[index - 1] if index > 0 else None,
        "next_priority": all_priorities[index + 1] if index + 1 < len(all_priorities) else None,
    })
    # Every target with its chart and figures: cached until a figure changes.
    context["priority_html"] = public_cache.cached_part(
        public_cache.key(f"priority-{priority}", strategy, version),
        lambda: render_to_string("strategy/includes/public_priority_body.html", {
            **context,
            "priority": _public_priorities(strategy, version, only=priority, charts=True)[0],
        }),
    )
    return render(request, "strategy/public_priority.html", context)


def _public_measure(m: dict, measure: Measure | None, *, chart: bool = True) -> dict:
    """A measure as published, with its current status and chart from the live
    measurements (matched by id; a measure since removed has no data)."""
    points = [(x.period_end, x.value) for x in measure.measurements.all()] if measure else []
    baseline = Decimal(m["baseline_value"])
    target = Decimal(m["target_value"])
    baseline_date = dt.date.fromisoformat(m["baseline_date"])
    target_date = dt.date.fromisoformat(m["target_date"])
    latest = points[-1] if points else (None, None)
    result = assess(baseline_value=baseline, baseline_date=baseline_date, target_value=target,
                    target_date=target_date, direction=m["direction"],
                    latest_value=latest[1], latest_period=latest[0])
    svg = trend_svg(title=f"Trend: {m['title']}", unit=m["unit"], baseline_value=baseline,
                    baseline_date=baseline_date, target_value=target, target_date=target_date,
                    direction=m["direction"], points=points,
                    element_id=f"chart-{m['id']}") if chart else None
    return {**m, "baseline": baseline, "target": target, "baseline_date_value": baseline_date,
            "target_date_value": target_date, "result": result, "chart": svg,
            "rows": [(d, v, "") for d, v in points],
            "direction_label": dict(Measure.Direction.choices).get(m["direction"], ""),
            "frequency_label": dict(Measure.Frequency.choices).get(m["frequency"], "")}


def public_json(request, strategy: str):
    strategy, version = _published(strategy)
    response = JsonResponse({
        "strategy": strategy.slug,
        "status": strategy.status,
        "url": request.build_absolute_uri(strategy.get_public_url()),
        # Which statutory document it is (the frozen content says so too,
        # for kinds other than the community safety strategy).
        "kind": version.content["strategy"].get("duty", StrategyDuty.COMMUNITY_SAFETY),
        "kind_name": profile(
            version.content["strategy"].get("duty", StrategyDuty.COMMUNITY_SAFETY)
        ).document_name_capitalised,
        "version": version.number,
        "content_hash": version.content_hash,
        "published_at": version.created_at.isoformat(),
        # The day it was published, which may be before the version was frozen
        # here (a publication recorded afterwards).
        "published_on": strategy.published_on.isoformat() if strategy.published_on else None,
        "content": version.content,
    }, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response

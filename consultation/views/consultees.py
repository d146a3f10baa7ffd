"""Officers: the log proving each consultee a kind of strategy must consult
was consulted (who, when, how, and the evidence)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from consultation.consultees import (
    consultee_record_create,
    consultee_record_remove,
    required_consultees,
)
from consultation.forms import ConsulteeRecordForm
from consultation.models import ConsulteeRecord
from consultation.views.officers import _errors_to_form
from partnerships.access import require
from strategy.models import Strategy


def _get_strategy_for_user(request, slug: str) -> Strategy:
    strategy = get_object_or_404(Strategy.objects.select_related("partnership"), slug=slug)
    require(request.access, strategy.partnership_id, officer=True)
    if not strategy.profile.consultee_kinds:
        raise Http404("This kind of strategy has no required consultees.")
    return strategy


@login_required
def consultees(request, strategy: str):
    """Each required consultee with its entries, and the form to add one."""
    strategy = _get_strategy_for_user(request, strategy)
    rows = required_consultees(strategy)
    form = ConsulteeRecordForm(
        request.POST if request.method == "POST" else None,
        kinds=[(row.kind, row.label[:1].upper() + row.label[1:]) for row in rows],
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = consultee_record_create(strategy=strategy, by=request.user,
                                             **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Recorded: {record.consultee} consulted on "
                             f"{record.consulted_on:%-d %B %Y}")
            return redirect("consultation:consultees", strategy=strategy.slug)
    return render(request, "consultation/officers/consultees.html", {
        "strategy": strategy, "rows": rows, "form": form,
        "missing": [row for row in rows if not row.consulted],
    })


@login_required
@require_POST
def consultee_remove(request, strategy: str, consultee_record: int):
    """Remove an entry recorded in error (the audit log keeps what it said)."""
    strategy = _get_strategy_for_user(request, strategy)
    record = get_object_or_404(ConsulteeRecord, strategy=strategy, pk=consultee_record)
    try:
        consultee_record_remove(record=record, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Removed: {record.consultee} consulted on "
                         f"{record.consulted_on:%-d %B %Y}")
    return redirect("consultation:consultees", strategy=strategy.slug)

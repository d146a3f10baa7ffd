from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnerships.access import get_partnership_for_user
from partnerships.models import (
    body_on,
    policing_bodies_of,
    policing_body_in_sentence,
    policing_body_on,
)
from reminders import duties, services
from reminders.forms import DutyRecordForm, PreferencesForm, ReminderSettingsForm
from reminders.kinds import Kind
from reminders.models import DutyRecord, Notice, ReminderSettings
from safermk.redirects import local_path


def _get_notice_for_user(request, pk: int) -> Notice:
    """Only one's own notices exist, as far as anyone else can tell."""
    return get_object_or_404(Notice, pk=pk, recipient=request.user)


@login_required
def preferences(request):
    current = services.preferences_for(user=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            chosen = set(form.cleaned_data["kinds"])
            services.preferences_update(
                user=request.user,
                disabled_kinds=[k for k in Kind.values if k not in chosen],
                daily_digest=form.cleaned_data["daily_digest"],
            )
            messages.success(request, "Your reminder preferences are saved.")
            return redirect("reminders:preferences")
    else:
        form = PreferencesForm(
            initial={
                "kinds": [k for k in Kind.values if current.wants(k)],
                "daily_digest": "1" if current.daily_digest else "0",
            }
        )
    return render(request, "reminders/preferences.html", {"form": form})


@login_required
@require_POST
def notice_read(request, notice: int):
    services.notice_mark_read(notice=_get_notice_for_user(request, notice))
    return redirect(local_path(request, request.POST.get("next", "")) or "dashboard:home")


@login_required
def compliance(request, partnership: str):
    partnership = get_partnership_for_user(request, partnership)
    today = timezone.localdate()
    rows = duties.duties_for([partnership.pk], today=today)[partnership.pk]
    records = list(
        DutyRecord.objects.for_partnership(partnership).select_related("recorded_by")[:20]
    )
    # A plan sent in 2027 went to the commissioner, one in 2029 to the board.
    bodies = policing_bodies_of([partnership.pk])[partnership.pk]
    for record in records:
        record.name = duties.duty_name(
            record.duty, policing_body_in_sentence(body_on(bodies, record.done_on))
        )
    return render(
        request,
        "reminders/compliance.html",
        {
            "partnership": partnership,
            "duties": rows,
            "records": records,
            "today": today,
            "can_record": request.access.is_officer(partnership),
        },
    )


@login_required
def duty_record(request, partnership: str):
    partnership = get_partnership_for_user(request, partnership, officer=True)
    body = policing_body_in_sentence(policing_body_on(partnership, timezone.localdate()))
    if request.method == "POST":
        form = DutyRecordForm(request.POST, policing_body=body)
        if form.is_valid():
            services.duty_record_create(
                partnership=partnership, by=request.user, **form.cleaned_data
            )
            messages.success(request, "The duty is recorded.")
            return redirect("reminders:compliance", partnership.slug)
    else:
        form = DutyRecordForm(initial={"duty": request.GET.get("duty")}, policing_body=body)
    return render(request, "reminders/duty_record.html", {"form": form, "partnership": partnership})


@login_required
def reminder_settings(request, partnership: str):
    partnership = get_partnership_for_user(request, partnership, officer=True)
    current = ReminderSettings.objects.filter(partnership=partnership).first() or ReminderSettings(
        partnership=partnership
    )
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST, instance=current)
        if form.is_valid():
            services.settings_update(partnership=partnership, **form.cleaned_data)
            messages.success(request, "The reminder settings are saved.")
            return redirect("reminders:compliance", partnership.slug)
    else:
        form = ReminderSettingsForm(instance=current)
    return render(request, "reminders/settings.html", {"form": form, "partnership": partnership})

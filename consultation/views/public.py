"""Public pages: no account, no JavaScript needed.

Each question page keeps its answers in the session (consultation.journey);
the check-your-answers page stores the whole response in one transaction
before the confirmation page is shown.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from consultation import analysis, journey, receipts, rights, saved, services
from consultation.forms import (
    CommentsForm,
    EqualityForm,
    PublicListForm,
    RightsRequestForm,
    SavedLinkEmailForm,
    SchoolConsentForm,
    SchoolStartForm,
    SectionForm,
    StartForm,
    SubmitForm,
)
from consultation.models import (
    Audience,
    Consultation,
    EqualityResponse,
    Question,
    Response,
    SavedJourney,
    SchoolClassCode,
)
from partnerships.models import Partnership, policing_body_on
from safermk.links import slug_link
from safermk.ratelimits import ratelimit

logger = logging.getLogger(__name__)

# Consultations a page of the public list shows.
PUBLIC_LIST_SIZE = 20


def _posted(request):
    # An empty POST (every optional box left empty) must still bind the form.
    return request.POST if request.method == "POST" else None

def _page_rate(group, request) -> str:
    # Generous: a whole school class may answer from one address.
    return getattr(settings, "CONSULTATION_PAGE_RATE", "1000/h")


def _submit_rate(group, request) -> str:
    return getattr(settings, "CONSULTATION_SUBMIT_RATE", "100/h")


def _limited(request):
    return render(request, "consultation/public/rate_limited.html", status=429)


def _get_public_consultation(slug: str) -> Consultation:
    return get_object_or_404(
        Consultation.objects.listed().select_related("partnership", "version", "strategy"),
        slug=slug,
    )


def _not_open(request, consultation: Consultation):
    """A clear page instead of the form when the consultation is not open;
    a POST is refused with 403 so nothing is stored."""
    if consultation.is_open:
        return None
    status = 403 if request.method == "POST" else 200
    return render(
        request, "consultation/public/not_open.html",
        {"consultation": consultation, "state": consultation.effective_status}, status=status,
    )


def consultation_list(request):
    """Every partnership's consultations: open ones first, closing soonest
    first, then those coming, then closed ones; searched and filtered by the
    query string, a page at a time, in a fixed number of queries."""
    now = timezone.now()
    partnerships = list(Partnership.objects.order_by("name").values_list("slug", "name"))
    form = PublicListForm(request.GET, choices={"partnership": partnerships})
    filters = form.filters
    rows = Consultation.objects.select_related("partnership")
    status = form.chosen_status
    if status == PublicListForm.OPEN:
        rows = rows.open_at(now)
    elif status == PublicListForm.COMING:
        rows = rows.upcoming_at(now)
    elif status == PublicListForm.CLOSED:
        rows = rows.closed_at(now)
    else:
        rows = rows.listed()
    if "q" in filters:
        rows = rows.matching(filters["q"])
    if "partnership" in filters:
        rows = rows.filter(partnership__slug=filters["partnership"])
    if "audience" in filters:
        rows = rows.for_audience(filters["audience"])
    page = Paginator(rows.in_public_order(now), PUBLIC_LIST_SIZE).get_page(form.page_number)
    consultations = list(page.object_list)
    counts = Response.objects.count_by_consultation(c.pk for c in consultations)
    links = {name: slug_link(name) for name in (
        "consultation:detail", "consultation:respond", "consultation:results", "partnership_home",
    )}
    for consultation in consultations:
        consultation.response_count = counts.get(consultation.pk, 0)
        consultation.closing_soon = consultation.is_closing_soon(now)
        consultation.url = links["consultation:detail"](consultation.slug)
        consultation.respond_url = links["consultation:respond"](consultation.slug)
        consultation.results_url = links["consultation:results"](consultation.slug)
        consultation.partnership_url = links["partnership_home"](consultation.partnership.slug)
    return render(request, "consultation/public/list.html", {
        "form": form,
        "params": form.values,
        "problems": form.problems,
        "query": form.querystring(),
        "partnerships": partnerships,
        "page": page,
        "consultations": consultations,
    })


def consultation_detail(request, consultation):
    consultation = _get_public_consultation(consultation)
    content = consultation.version.content if consultation.version_id else {}
    return render(request, "consultation/public/detail.html", {
        "consultation": consultation,
        "draft": content,
        "documents": list(consultation.documents.public()),
        "priorities": content.get("priorities", []),
        # Whose plan the draft has regard to: the body in force when its period starts.
        "policing_body": _policing_body_for(consultation, content),
    })


def _policing_body_for(consultation: Consultation, content: dict):
    start = content.get("strategy", {}).get("period_start")
    if not start:
        return None
    try:
        day = dt.date.fromisoformat(start)
    except ValueError:
        return None
    return policing_body_on(consultation.partnership_id, day)


def results(request, consultation):
    consultation = _get_public_consultation(consultation)
    if not consultation.results_published:
        return render(request, "consultation/public/results_pending.html",
                      {"consultation": consultation})
    return render(request, "consultation/public/results.html", {
        "consultation": consultation,
        "counts": analysis.response_counts(consultation),
        "themes": analysis.themes_with_counts(consultation),
    })


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_page_rate, method="POST", group="consultation-page")
def respond_start(request, consultation):
    consultation, stop = _open_page(request, consultation)
    if stop:
        return stop
    if not consultation.adult_audiences:
        return redirect("consultation:schools", consultation.slug)
    state = journey.load(request, consultation) or {}
    form = StartForm(
        _posted(request), consultation=consultation,
        initial={k: state.get(k) for k in ("audience", "organisation_name", "consent")}
        if state.get("audience") != Audience.YOUNG_PEOPLE else {},
    )
    if request.method == "POST":
        if form.is_spam():
            return render(request, "consultation/public/refused.html", status=400)
        if form.is_valid():
            journey.start(
                request, consultation, audience=form.cleaned_data["audience"],
                organisation_name=form.cleaned_data["organisation_name"], consent=True,
            )
            return redirect("consultation:respond_step", consultation.slug, 1)
    return render(request, "consultation/public/start.html", {
        "consultation": consultation, "form": form,
    })


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_page_rate, method="POST", group="consultation-page")
def schools_start(request, consultation):
    consultation, stop = _open_page(request, consultation)
    if stop:
        return stop
    if not consultation.for_young_people:
        return render(request, "consultation/public/no_schools.html",
                      {"consultation": consultation})
    form = SchoolStartForm(_posted(request), consultation=consultation)
    if request.method == "POST":
        if form.is_spam():
            return render(request, "consultation/public/refused.html", status=400)
        if form.is_valid():
            # Consent is not assumed: the next page asks for it.
            journey.start(
                request, consultation, audience=Audience.YOUNG_PEOPLE,
                class_code_id=form.class_code.pk, age_band=form.cleaned_data["age_band"],
            )
            return redirect("consultation:schools_privacy", consultation.slug)
    return render(request, "consultation/public/schools.html", {
        "consultation": consultation, "form": form,
    })


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_page_rate, method="POST", group="consultation-page")
def schools_privacy(request, consultation):
    """The pupils' own privacy notice, in plain words, between the class code
    and the questions; consent is recorded only if they tick the box."""
    consultation, stop = _open_page(request, consultation)
    if stop:
        return stop
    state = journey.load(request, consultation)
    if not state or state["audience"] != Audience.YOUNG_PEOPLE:
        return redirect("consultation:schools", consultation.slug)
    form = SchoolConsentForm(_posted(request), initial={"consent": state.get("consent")})
    if request.method == "POST":
        if form.is_spam():
            return render(request, "consultation/public/refused.html", status=400)
        if form.is_valid():
            state["consent"] = True
            journey.save(request, consultation, state)
            return redirect("consultation:respond_step", consultation.slug, 1)
    return render(request, "consultation/public/schools_privacy.html", {
        "consultation": consultation, "form": form,
        "kept_for": _in_plain_words(consultation.retention_days),
    })


def _in_plain_words(days: int) -> str:
    """A retention period as a pupil would say it: "2 years", not "730 days"."""
    def plural(n: int, unit: str) -> str:
        return f"{n} {unit}" if n == 1 else f"{n} {unit}s"

    if days >= 365 and days % 365 == 0:
        return plural(days // 365, "year")
    if days >= 60:
        return "about " + plural(round(days / 30.4), "month")
    if days >= 14 and days % 7 == 0:
        return plural(days // 7, "week")
    return plural(days, "day")


def _open_page(request, slug: str):
    """The consultation behind a page of the journey, and the response that
    stops the page instead, if any: too many requests (429) or not open."""
    consultation = _get_public_consultation(slug)
    if getattr(request, "limited", False):
        return consultation, _limited(request)
    return consultation, _not_open(request, consultation)


def _journey_page(request, slug: str):
    """As _open_page, with the visitor's answers so far; a visitor who has
    not started is sent to the start."""
    consultation, stop = _open_page(request, slug)
    if stop:
        return consultation, None, stop
    state, go = _journey_or_start(request, consultation)
    return consultation, state, go


def _journey_or_start(request, consultation):
    state = journey.load(request, consultation)
    if not state:
        return None, redirect(journey.start_url(consultation, Audience.PUBLIC))
    if state["audience"] == Audience.YOUNG_PEOPLE and not state.get("consent"):
        return None, redirect("consultation:schools_privacy", consultation.slug)
    return state, None


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_page_rate, method="POST", group="consultation-page")
def respond_step(request, consultation, consultation_step):
    consultation, state, stop = _journey_page(request, consultation)
    if stop:
        return stop
    sections = journey.sections_for(consultation, state["audience"])
    all_steps = journey.steps(consultation, state["audience"], sections)
    if not 1 <= consultation_step <= len(sections):
        target = all_steps[-1] if consultation_step > len(sections) else all_steps[0]
        return redirect(target.url)
    section = sections[consultation_step - 1]
    questions = list(section.questions.all())
    priorities = consultation.draft_priorities
    form = SectionForm(
        _posted(request), questions=questions, priorities=priorities,
        initial=SectionForm.initial_from(questions, state["answers"]),
    )
    previous, following = journey.neighbours(all_steps, "section", section)
    if request.method == "POST" and form.is_valid():
        # Replace this section's answers only; other pages stay as they were.
        for q in questions:
            state["answers"].pop(str(q.pk), None)
        state["answers"].update(form.answers())
        journey.save(request, consultation, state)
        if _wants_save_later(request):
            return _save_for_later(request, consultation, state)
        if request.GET.get("return") == "check":
            return redirect("consultation:respond_check", consultation.slug)
        return redirect(following)
    return render(request, "consultation/public/step.html", {
        "consultation": consultation,
        "form": form,
        "section": section,
        "groups": form.groups(),
        "back_url": previous or journey.start_url(consultation, state["audience"]),
        "step_number": consultation_step,
        "step_count": len(all_steps),
        "young": state["audience"] == Audience.YOUNG_PEOPLE,
    })


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_page_rate, method="POST", group="consultation-page")
def respond_comments(request, consultation):
    consultation, state, stop = _journey_page(request, consultation)
    if stop:
        return stop
    if state["audience"] == Audience.YOUNG_PEOPLE:
        return redirect("consultation:respond_check", consultation.slug)
    priorities = consultation.draft_priorities
    form = CommentsForm(
        _posted(request), priorities=priorities,
        initial=CommentsForm.initial_from(priorities, state["comments"]),
    )
    sections = journey.sections_for(consultation, state["audience"])
    all_steps = journey.steps(consultation, state["audience"], sections)
    previous, following = journey.neighbours(all_steps, "comments")
    if request.method == "POST" and form.is_valid():
        state["comments"] = form.comments()
        journey.save(request, consultation, state)
        if _wants_save_later(request):
            return _save_for_later(request, consultation, state)
        if request.GET.get("return") == "check":
            return redirect("consultation:respond_check", consultation.slug)
        return redirect(following)
    return render(request, "consultation/public/comments.html", {
        "consultation": consultation, "form": form, "back_url": previous or journey.start_url(
            consultation, state["audience"]),
        "priorities": priorities,
    })


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_page_rate, method="POST", group="consultation-page")
def respond_about_you(request, consultation):
    consultation, state, stop = _journey_page(request, consultation)
    if stop:
        return stop
    if state["audience"] == Audience.YOUNG_PEOPLE:
        # Young people are never asked for equality data.
        return redirect("consultation:respond_check", consultation.slug)
    form = EqualityForm(_posted(request), initial=state["equality"])
    sections = journey.sections_for(consultation, state["audience"])
    all_steps = journey.steps(consultation, state["audience"], sections)
    previous, following = journey.neighbours(all_steps, "about-you")
    if request.method == "POST" and form.is_valid():
        state["equality"] = form.equality()
        journey.save(request, consultation, state)
        if _wants_save_later(request):
            return _save_for_later(request, consultation, state)
        return redirect(following)
    return render(request, "consultation/public/about_you.html", {
        "consultation": consultation, "form": form, "back_url": previous,
    })


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_submit_rate, method="POST", group="consultation-submit")
def respond_check(request, consultation):
    consultation = _get_public_consultation(consultation)
    if getattr(request, "limited", False):
        return _limited(request)
    if request.method == "POST":
        # A resubmitted page (double click, back and submit again) finds the
        # response its token already created, whatever the session holds now.
        # A token that new_token() could not have made (a NUL byte, a huge
        # value) is never looked up; the page below asks to send again.
        # The session is read first: if it already shows this journey
        # finished by a simultaneous click, that click's response was
        # committed before, so the lookup finds it.
        journey.load(request, consultation)
        token = request.POST.get("token", "")
        existing = Response.objects.filter(
            consultation=consultation, idempotency_token=token
        ).first() if services.token_is_well_formed(token) else None
        if existing:
            journey.finish(request, consultation, existing.reference)
            return redirect("consultation:respond_confirmation", consultation.slug)
    refused = _not_open(request, consultation)
    if refused:
        return refused
    state, go = _journey_or_start(request, consultation)
    if go:
        return go
    audience = state["audience"]
    sections = journey.sections_for(consultation, audience)
    priorities = consultation.draft_priorities
    missing = journey.missing_required(sections, state["answers"], has_priorities=bool(priorities))
    form = SubmitForm(_posted(request), initial={"token": state["token"]})
    out_of_date = False
    if request.method == "POST" and not missing:
        if form.is_spam():
            return render(request, "consultation/public/refused.html", status=400)
        valid = form.is_valid()
        out_of_date = (
            "token" in form.errors
            or (valid and form.cleaned_data["token"] != state["token"])
        )
        if valid and not out_of_date:
            class_code = (
                SchoolClassCode.objects.filter(pk=state["class_code_id"], is_active=True).first()
                if state.get("class_code_id") else None
            )
            if audience == Audience.YOUNG_PEOPLE and class_code is None:
                return redirect("consultation:schools", consultation.slug)
            try:
                response, created = services.response_submit(
                    consultation=consultation,
                    audience=audience,
                    answers=state["answers"],
                    comments=state["comments"],
                    equality=state["equality"],
                    token=state["token"],
                    class_code=class_code,
                    age_band=state.get("age_band", ""),
                    organisation_name=state.get("organisation_name", ""),
                    consent=bool(state.get("consent")),
                )
            except services.ConsultationNotOpen:
                # It closed while the person was on this page.
                return render(request, "consultation/public/not_open.html", {
                    "consultation": consultation, "state": consultation.effective_status,
                }, status=403)
            journey.finish(request, consultation, response.reference)
            receipt_email = form.cleaned_data.get("receipt_email", "")
            if created and receipt_email and audience != Audience.YOUNG_PEOPLE:
                _ask_for_receipt(request, consultation, response, receipt_email)
            return redirect("consultation:respond_confirmation", consultation.slug)
    summary = _summary(consultation, sections, state, priorities)
    return render(request, "consultation/public/check.html", {
        "consultation": consultation,
        "form": form,
        "summary": summary,
        "missing": missing,
        "out_of_date": out_of_date,
        "state": state,
        "young": audience == Audience.YOUNG_PEOPLE,
        "back_url": journey.steps(consultation, audience, sections)[-2].url
        if len(journey.steps(consultation, audience, sections)) > 1
        else journey.start_url(consultation, audience),
    })


def _summary(consultation, sections, state, priorities) -> list[dict]:
    titles = {str(p["id"]): p["title"] for p in priorities}
    answers = state["answers"]
    rows = []
    for number, section in enumerate(sections, start=1):
        items = []
        for q in section.questions.all():
            value = answers.get(str(q.pk))
            labels = dict(q.option_pairs(priorities))
            if q.kind == Question.Kind.RANKING and not priorities:
                continue
            if value in (None, "", [], {}):
                shown = ["Not answered"]
            elif q.kind == Question.Kind.SAFETY:
                safety = dict(Question.SAFETY_CHOICES)
                shown = [f"{label}: {safety.get(value.get(part), 'Not answered')}"
                         for part, label in Question.SAFETY_PARTS]
            elif q.kind == Question.Kind.RANKING:
                ordered = sorted(value.items(), key=lambda kv: kv[1])
                shown = [f"{rank}. {titles.get(pid, '')}" for pid, rank in ordered]
            elif q.kind == Question.Kind.MULTIPLE:
                shown = [labels.get(v, v) for v in value]
            elif q.kind == Question.Kind.TEXT:
                shown = [value]
            else:
                shown = [labels.get(value, value)]
            items.append({"question": q, "shown": shown})
        rows.append({"kind": "section", "section": section, "number": number, "items": items})
    if state["audience"] != Audience.YOUNG_PEOPLE:
        comment_labels = {f"priority:{p['id']}": p["title"] for p in priorities}
        comment_labels["general"] = "The draft strategy as a whole"
        state_comments = state.get("comments", {})
        rows.append({
            "kind": "comments",
            "comments": [
                {"label": comment_labels.get(ref, ref), "text": text}
                for ref, text in state_comments.items()
            ],
        })
        equality = state.get("equality", {})
        labels = []
        for name in ("age_band", "sex", "ethnicity", "disability"):
            choices = dict(EqualityResponse._meta.get_field(name).choices)
            if equality.get(name):
                labels.append(choices.get(equality[name], ""))
        if equality.get("postcode_district"):
            labels.append(equality["postcode_district"])
        rows.append({"kind": "equality", "equality": labels})
    return rows


def _ask_for_receipt(request, consultation, response, email: str) -> None:
    """After the response is stored, and never at its expense: a receipt
    that cannot be asked for is logged, and the confirmation page says so."""
    try:
        receipts.receipt_request(response=response, email=email)
    except Exception:  # noqa: BLE001 - the response is stored whatever happens here
        logger.exception("Response %s: the receipt could not be asked for", response.reference)
        request.session[f"consultation-receipt-{consultation.pk}"] = "failed"
    else:
        request.session[f"consultation-receipt-{consultation.pk}"] = "asked"


def respond_confirmation(request, consultation):
    consultation = _get_public_consultation(consultation)
    reference = journey.last_reference(request, consultation)
    return render(request, "consultation/public/confirmation.html", {
        "consultation": consultation,
        "reference": reference,
        "receipt": request.session.get(f"consultation-receipt-{consultation.pk}")
        if reference else None,
    })


# Save and come back later ----------------------------------------------------


def _saved_key(consultation: Consultation) -> str:
    return f"consultation-saved-{consultation.pk}"


def _wants_save_later(request) -> bool:
    return "save_later" in request.POST


def _save_for_later(request, consultation: Consultation, state: dict):
    """Keep the answers so far under a link that restores them once; the
    page the person was on is where the link brings them back."""
    row = saved.journey_save_for_later(
        consultation=consultation, state=state, resume_path=request.path
    )
    request.session[_saved_key(consultation)] = row.pk
    request.session.pop(_saved_key(consultation) + "-emailed", None)
    return redirect("consultation:respond_saved", consultation.slug)


def _email_rate(group, request) -> str:
    return getattr(settings, "CONSULTATION_EMAIL_RATE", "20/h")


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_email_rate, method="POST", group="consultation-email")
def respond_saved(request, consultation):
    """The link to come back with, on screen, and sent by e-mail if asked
    (not for pupils, who give no personal data)."""
    consultation = _get_public_consultation(consultation)
    row_id = request.session.get(_saved_key(consultation))
    row = SavedJourney.objects.filter(
        pk=row_id, consultation=consultation, used_at__isnull=True
    ).first() if isinstance(row_id, int) else None
    if row is None:
        return render(request, "consultation/public/saved_none.html",
                      {"consultation": consultation})
    young = row.state.get("audience") == Audience.YOUNG_PEOPLE
    form = None if young else SavedLinkEmailForm(_posted(request))
    if request.method == "POST" and form is not None:
        if getattr(request, "limited", False):
            return _limited(request)
        if form.is_spam():
            return render(request, "consultation/public/refused.html", status=400)
        if form.is_valid():
            try:
                saved.journey_saved_email(saved=row, email=form.cleaned_data["email"])
            except ValidationError as exc:
                _show_errors(form, exc)
            else:
                request.session[_saved_key(consultation) + "-emailed"] = True
                return redirect("consultation:respond_saved", consultation.slug)
    return render(request, "consultation/public/saved.html", {
        "consultation": consultation,
        "form": form,
        "link": request.build_absolute_uri(saved.link_path(row)),
        "expires_at": row.expires_at,
        "emailed": request.session.get(_saved_key(consultation) + "-emailed", False),
    })


# A link that was never ours is a bad request; one used or expired is gone.
SAVED_LINK_STATUS = {"invalid": 400, "expired": 410, "used": 410, "gone": 410}


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_page_rate, method="POST", group="consultation-page")
def respond_continue(request, consultation, saved_token):
    """The saved answers' link. Opening it shows a button; only the button
    restores the answers (once), so a mail scanner following the link
    uses nothing up."""
    consultation, stop = _open_page(request, consultation)
    if stop:
        return stop
    if request.method == "POST":
        found, state = saved.journey_restore(consultation=consultation, token=saved_token)
        if not found.problem:
            journey.save(request, consultation, state)
            request.session.pop(_saved_key(consultation), None)
            return redirect(found.saved.resume_path)
    else:
        found = saved.journey_saved_find(consultation=consultation, token=saved_token)
    return render(request, "consultation/public/continue.html", {
        "consultation": consultation, "found": found,
        "saved_days": settings.CONSULTATION_SAVED_DAYS,
    }, status=SAVED_LINK_STATUS.get(found.problem, 200))


# A respondent's rights, by reference number ---------------------------------


def _rights_rate(group, request) -> str:
    return getattr(settings, "RIGHTS_REQUEST_RATE", "10/h")


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_rights_rate, method="POST", group="rights-request")
def your_response(request):
    """Ask for a copy of a response, or for its deletion, with its reference.
    The answer is the same whether or not the reference matches: officers
    check it and reply by e-mail."""
    if getattr(request, "limited", False):
        return render(request, "consultation/public/your_response_limited.html", status=429)
    form = RightsRequestForm(_posted(request))
    if request.method == "POST":
        if form.is_spam():
            return render(request, "consultation/public/refused.html", status=400)
        if form.is_valid():
            try:
                rights.rights_request_submit(**form.cleaned_data)
            except ValidationError as exc:
                _show_errors(form, exc)
            else:
                return redirect("consultation:your_response_sent")
    return render(request, "consultation/public/your_response.html", {"form": form})


def your_response_sent(request):
    return render(request, "consultation/public/your_response_sent.html")


def _show_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)

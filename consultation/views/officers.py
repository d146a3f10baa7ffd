"""Officer pages: building a consultation, keying in paper responses,
issuing class codes, analysis, themes, exports and "you said, we did".

Only partnership officers of the consultation's partnership: another
partnership's consultation is a 404, a partner officer or board member of
the same partnership gets a 403 (partnerships.access).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import Action as AuditAction
from audit.services import audit_record
from consultation import analysis, exports, services
from consultation.checks import gunning_checks
from consultation.forms import (
    AnswerCodingForm,
    ClassCodeForm,
    CommentFilterForm,
    ConsultationForm,
    FreeTextFilterForm,
    HistoricalConsultationForm,
    PaperEntryForm,
    QuestionEditForm,
    SectionEditForm,
    SectionForm,
    ThemeForm,
    ThemeNameForm,
    equality_group_choices,
)
from consultation.journey import sections_for
from consultation.models import (
    Answer,
    Audience,
    Consultation,
    DraftComment,
    EqualityResponse,
    Question,
    RightsRequest,
    SchoolClassCode,
    Section,
    Theme,
)
from partnerships.access import require
from partnerships.models import Membership, Partnership
from safermk.redirects import local_path
from strategy.models import Priority, Strategy

FREE_TEXT_PAGE_SIZE = 25


def _posted(request):
    # An empty POST (every optional box left empty) must still bind the form.
    return request.POST if request.method == "POST" else None

def _get_consultation_for_user(request, slug: str) -> Consultation:
    consultation = get_object_or_404(
        Consultation.objects.select_related("partnership", "strategy", "version", "lead_officer"),
        slug=slug,
    )
    require(request.access, consultation.partnership_id, officer=True)
    return consultation


def _get_section_for_user(request, slug: str, pk: int) -> Section:
    consultation = _get_consultation_for_user(request, slug)
    section = get_object_or_404(Section, consultation=consultation, pk=pk)
    # The consultation already loaded, with its partnership: no second query.
    section.consultation = consultation
    return section


def _get_question_for_user(request, slug: str, pk: int) -> Question:
    consultation = _get_consultation_for_user(request, slug)
    question = get_object_or_404(
        Question.objects.select_related("section"), section__consultation=consultation, pk=pk,
    )
    question.section.consultation = consultation
    return question


def _get_theme_for_user(request, slug: str, pk: int) -> Theme:
    consultation = _get_consultation_for_user(request, slug)
    theme = get_object_or_404(Theme, consultation=consultation, pk=pk)
    theme.consultation = consultation
    return theme


def _get_class_code_for_user(request, slug: str, pk: int) -> SchoolClassCode:
    consultation = _get_consultation_for_user(request, slug)
    return get_object_or_404(SchoolClassCode, consultation=consultation, pk=pk)


def _get_answer_for_user(request, slug: str, pk: int) -> Answer:
    consultation = _get_consultation_for_user(request, slug)
    return get_object_or_404(
        Answer.objects.select_related("question__section"),
        question__section__consultation=consultation, question__kind=Question.Kind.TEXT, pk=pk,
    )


def _get_comment_for_user(request, slug: str, pk: int) -> DraftComment:
    consultation = _get_consultation_for_user(request, slug)
    return get_object_or_404(DraftComment, consultation=consultation, pk=pk)


def _officer_partnership_ids(request) -> set[int]:
    if request.access.is_superuser:
        return set(Partnership.objects.values_list("pk", flat=True))
    return request.access.officer_partnership_ids()


def _form_choices(request):
    ids = _officer_partnership_ids(request)
    strategies = Strategy.objects.filter(partnership_id__in=ids).select_related("partnership")
    officers = get_user_model().objects.filter(
        memberships__partnership_id__in=ids, memberships__role__in=Membership.OFFICER_ROLES
    ).distinct().order_by("first_name", "last_name")
    return strategies, officers


# Consultations -------------------------------------------------------------


@login_required
def manage_list(request):
    ids = _officer_partnership_ids(request)
    if not ids:
        raise PermissionDenied("Only partnership officers can manage consultations.")
    consultations = (
        Consultation.objects.for_partnerships(ids)
        .select_related("partnership", "strategy")
        .order_by("-opens_at")
    )
    # Respondents' requests, per partnership: every partnership the person
    # is an officer of; for a superuser, only those with requests waiting.
    waiting = Count("rights_requests",
                    filter=Q(rights_requests__status=RightsRequest.Status.RECEIVED))
    partnerships = Partnership.objects.annotate(waiting=waiting).order_by("name")
    if request.access.is_superuser:
        partnerships = partnerships.filter(waiting__gt=0)
    else:
        partnerships = partnerships.filter(pk__in=ids)
    return render(request, "consultation/officers/list.html", {
        "consultations": consultations, "request_partnerships": partnerships,
    })


@login_required
@require_http_methods(["GET", "POST"])
def manage_create(request):
    if not _officer_partnership_ids(request):
        raise PermissionDenied("Only partnership officers can create consultations.")
    strategies, officers = _form_choices(request)
    # The next 9am: a live consultation opens now or later.
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    if start < timezone.now():
        start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(9)))
    form = ConsultationForm(
        _posted(request), strategies=strategies, officers=officers,
        initial={"opens_at": start, "audiences": list(Audience.values),
                 "lead_officer": request.user.pk, "retention_days": 365},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require(request.access, data["strategy"].partnership_id, officer=True)
        try:
            consultation = services.consultation_create(
                strategy=data["strategy"], title=data["title"], slug=data["slug"],
                summary=data["summary"], background=data["background"],
                data_use=data["data_use"], opens_at=data["opens_at"],
                closes_at=data["closes_at"], audiences=data["audiences"],
                holidays_note=data["holidays_note"], lead_officer=data["lead_officer"],
                retention_days=data["retention_days"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            warning = services.duration_warning(
                opens_at=consultation.opens_at, closes_at=consultation.closes_at
            )
            if warning:
                messages.warning(request, warning)
            messages.success(request, "Consultation created with the standard questions.")
            return redirect(consultation.get_manage_url())
    return render(request, "consultation/officers/form.html", {"form": form, "consultation": None})


@login_required
@require_http_methods(["GET", "POST"])
def record_past(request):
    """Record a consultation that already happened: a historical record."""
    if not _officer_partnership_ids(request):
        raise PermissionDenied("Only partnership officers can record consultations.")
    strategies, officers = _form_choices(request)
    form = HistoricalConsultationForm(
        _posted(request), strategies=strategies, officers=officers,
        initial={"audiences": [Audience.PUBLIC], "lead_officer": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        strategy = form.cleaned_data["strategy"]
        require(request.access, strategy.partnership_id, officer=True)
        try:
            consultation = services.consultation_record_past(
                strategy=strategy, slug=form.cleaned_data["slug"], by=request.user,
                **form.record(),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "The past consultation is recorded, with its results.")
            return redirect(consultation.get_manage_url())
    return render(request, "consultation/officers/record_past.html", {
        "form": form, "consultation": None,
    })


def _historical_edit(request, consultation):
    strategies, officers = _form_choices(request)
    form = HistoricalConsultationForm(
        _posted(request), strategies=strategies, officers=officers, editing=True,
        initial=HistoricalConsultationForm.initial_for(consultation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_record_update(consultation=consultation, **form.record())
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "The historical record is saved.")
            return redirect(consultation.get_manage_url())
    return render(request, "consultation/officers/record_past.html", {
        "form": form, "consultation": consultation,
    })


@login_required
@require_http_methods(["GET", "POST"])
def manage_edit(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    if consultation.is_historical:
        return _historical_edit(request, consultation)
    strategies, officers = _form_choices(request)
    form = ConsultationForm(
        _posted(request), instance=consultation, strategies=strategies, officers=officers,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in (
            "title", "summary", "background", "data_use", "opens_at", "holidays_note",
            "audiences", "lead_officer", "retention_days")}
        fields["closes_at"] = data["closes_at"] or services.default_closes_at(data["opens_at"])
        try:
            services.consultation_update(consultation=consultation, **fields)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            warning = services.duration_warning(
                opens_at=consultation.opens_at, closes_at=consultation.closes_at
            )
            if warning:
                messages.warning(request, warning)
            messages.success(request, "Consultation saved.")
            return redirect(consultation.get_manage_url())
    return render(request, "consultation/officers/form.html", {
        "form": form, "consultation": consultation,
    })


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def manage(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    counts = analysis.response_counts(consultation)
    if consultation.is_historical:
        return render(request, "consultation/officers/manage_historical.html", {
            "consultation": consultation,
            "checks": gunning_checks(consultation),
            "counts": counts,
            "record": analysis.historical_note(consultation),
        })
    return render(request, "consultation/officers/manage.html", {
        "consultation": consultation,
        "checks": gunning_checks(consultation),
        "counts": counts,
        "duration_warning": services.duration_warning(
            opens_at=consultation.opens_at, closes_at=consultation.closes_at
        ),
        "section_count": consultation.sections.count(),
        "question_count": Question.objects.filter(section__consultation=consultation).count(),
    })


@login_required
@require_POST
def manage_action(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    action = request.POST.get("action")
    try:
        if action == "schedule":
            services.consultation_schedule(consultation=consultation, by=request.user)
            messages.success(request, "The draft is frozen and the consultation is scheduled.")
        elif action == "close":
            services.consultation_close_now(consultation=consultation, by=request.user)
            messages.success(
                request,
                "The consultation is closed. Its planned closing date stays on record "
                "beside the day it really closed.",
            )
        elif action == "publish":
            services.consultation_publish_feedback(consultation=consultation, by=request.user)
            messages.success(request, "“You said, we did” is published.")
        else:
            messages.error(request, "Choose an action.")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(consultation.get_manage_url())


# The question builder ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def questions(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    form = SectionEditForm(_posted(request), prefix="section")
    if request.method == "POST" and form.is_valid():
        try:
            services.section_create(consultation=consultation, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Section added.")
            return redirect("consultation:questions", consultation.slug)
    sections = consultation.sections.prefetch_related("questions")
    return render(request, "consultation/officers/questions.html", {
        "consultation": consultation,
        "sections": sections,
        "form": form,
        "editable": consultation.status == Consultation.Status.DRAFT,
    })


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, consultation, consultation_section):
    section = _get_section_for_user(request, consultation, consultation_section)
    form = SectionEditForm(_posted(request), instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(section=section, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Section saved.")
            return redirect("consultation:questions", section.consultation.slug)
    return render(request, "consultation/officers/section_form.html", {
        "consultation": section.consultation, "section": section, "form": form,
    })


@login_required
@require_POST
def section_delete(request, consultation, consultation_section):
    section = _get_section_for_user(request, consultation, consultation_section)
    try:
        services.section_delete(section=section)
        messages.success(request, "Section removed.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("consultation:questions", section.consultation.slug)


@login_required
@require_POST
def section_move(request, consultation, consultation_section):
    section = _get_section_for_user(request, consultation, consultation_section)
    try:
        services.section_move(section=section, up=request.POST.get("direction") == "up")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("consultation:questions", section.consultation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request, consultation, consultation_section):
    section = _get_section_for_user(request, consultation, consultation_section)
    return _question_form(request, section.consultation, None, section)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, consultation, consultation_question):
    question = _get_question_for_user(request, consultation, consultation_question)
    return _question_form(request, question.section.consultation, question, question.section)


def _question_form(request, consultation, question, section):
    form = QuestionEditForm(
        _posted(request), instance=question, sections=consultation.sections.all(),
        initial={"section": section.pk, "max_length": 1000} if question is None else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in
                  ("section", "kind", "text", "hint", "required", "choices", "max_length")}
        try:
            if question is None:
                services.question_create(**fields)
            else:
                services.question_update(question=question, **fields)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Question saved.")
            return redirect("consultation:questions", consultation.slug)
    return render(request, "consultation/officers/question_form.html", {
        "consultation": consultation, "question": question, "section": section, "form": form,
    })


@login_required
@require_POST
def question_delete(request, consultation, consultation_question):
    question = _get_question_for_user(request, consultation, consultation_question)
    try:
        services.question_delete(question=question)
        messages.success(request, "Question removed.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("consultation:questions", question.section.consultation.slug)


@login_required
@require_POST
def question_move(request, consultation, consultation_question):
    question = _get_question_for_user(request, consultation, consultation_question)
    try:
        services.question_move(question=question, up=request.POST.get("direction") == "up")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("consultation:questions", question.section.consultation.slug)


# Paper and event responses ------------------------------------------------


def _no_responses(request, consultation):
    messages.info(request, "This consultation is a historical record: it takes no responses.")
    return redirect(consultation.get_manage_url())


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    if consultation.is_historical:
        return _no_responses(request, consultation)
    audience = request.GET.get("audience") or (consultation.audiences or [Audience.PUBLIC])[0]
    if audience not in consultation.audiences:
        audience = consultation.audiences[0]
    sections = sections_for(consultation, audience)
    question_list = [q for s in sections for q in s.questions.all()]
    priorities = consultation.draft_priorities
    details = PaperEntryForm(_posted(request), consultation=consultation, audience=audience,
                             prefix="details")
    answers = SectionForm(_posted(request), questions=question_list, priorities=priorities,
                          all_optional=True, prefix="answers")
    if request.method == "POST" and details.is_valid() and answers.is_valid():
        data = details.cleaned_data
        received = timezone.make_aware(
            timezone.datetime.combine(data["received_on"], timezone.datetime.min.time())
        )
        try:
            response, _ = services.response_submit(
                consultation=consultation, audience=audience, answers=answers.answers(),
                channel=data["channel"], class_code=data.get("class_code"),
                age_band=data.get("age_band", ""),
                organisation_name=data.get("organisation_name", ""),
                entered_by=request.user, submitted_at=received, consent=data["consent"],
                token=request.POST.get("token") or None,
            )
        except ValidationError as exc:
            _errors_to_form(details, exc)
        else:
            messages.success(request, f"Response {response.reference} saved.")
            url = request.path + f"?audience={audience}"
            return redirect(url)
    return render(request, "consultation/officers/paper_entry.html", {
        "consultation": consultation,
        "details": details,
        "form": details,
        "answers": answers,
        "groups": answers.groups(),
        "audience": audience,
        "audience_label": Audience(audience).label,
        "audiences": [(a, Audience(a).label) for a in consultation.audiences],
        "token": services.new_token(),
    })


# Schools -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def class_codes(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    if consultation.is_historical:
        return _no_responses(request, consultation)
    form = ClassCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            code = services.class_code_issue(consultation=consultation, by=request.user,
                                             **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Class code {code.code} issued to {code}.")
            return redirect("consultation:class_codes", consultation.slug)
    return render(request, "consultation/officers/class_codes.html", {
        "consultation": consultation,
        "codes": analysis.school_codes_with_counts(consultation),
        "form": form,
    })


@login_required
@require_POST
def class_code_withdraw(request, consultation, class_code):
    code = _get_class_code_for_user(request, consultation, class_code)
    services.class_code_withdraw(class_code=code)
    messages.success(request, f"Class code {code.code} withdrawn.")
    return redirect("consultation:class_codes", code.consultation.slug)


# Analysis ------------------------------------------------------------------


@login_required
def analysis_page(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    audit_record(
        action=AuditAction.EQUALITY_VIEW,
        summary=f"Viewed the equality totals of {consultation.title}",
        partnership=consultation.partnership_id, target=consultation, request=request,
        detail={"page": "analysis"},
    )
    return render(request, "consultation/officers/analysis.html", {
        "consultation": consultation,
        "counts": analysis.response_counts(consultation),
        "results": analysis.question_results(consultation),
        "rankings": analysis.ranking_results(consultation),
        "themes": analysis.themes_with_counts(consultation),
        "equality": [
            (EqualityResponse._meta.get_field(name).verbose_name.capitalize(), bars)
            for name, bars in analysis.equality_counts(consultation).items()
        ],
        "comment_counts": analysis.comment_counts(consultation),
    })


@login_required
def free_text(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    form = FreeTextFilterForm(request.GET)
    filters = form.filters
    equality_field, equality_value = form.equality()
    answers, refused = analysis.free_text_for_group(
        consultation, search=filters.get("q", ""), question_id=filters.get("question"),
        audience=filters.get("audience", ""), theme_id=filters.get("theme"),
        equality_field=equality_field, equality_value=equality_value,
    )
    if equality_field and equality_value:
        audit_record(
            action=AuditAction.EQUALITY_VIEW,
            summary=f"Filtered the free text of {consultation.title} by equality group "
            f"{equality_field}: {equality_value}"
            + (" (not shown: too few people)" if refused else ""),
            partnership=consultation.partnership_id, target=consultation, request=request,
            detail={"page": "free_text", "group": f"{equality_field}:{equality_value}",
                    "refused": refused},
        )
    page = Paginator(answers, FREE_TEXT_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    coded = {}
    for row in Theme.answers.through.objects.filter(answer_id__in=[a.pk for a in items]):
        coded.setdefault(row.answer_id, set()).add(row.theme_id)
    return render(request, "consultation/officers/free_text.html", {
        "consultation": consultation,
        "page": page,
        "items": [(a, coded.get(a.pk, set())) for a in items],
        "themes": list(consultation.themes.all()),
        "questions": analysis.text_questions(consultation),
        "audiences": Audience.choices,
        "groups": equality_group_choices(),
        "params": form.values,
        "problems": form.problems,
        "query": form.querystring(),
        "return_to": request.get_full_path(),
        "group_too_small": refused == analysis.GROUP_TOO_SMALL,
        "result_too_small": refused == analysis.RESULT_TOO_SMALL,
        "group_minimum": analysis.EQUALITY_MINIMUM,
    })


def _safe_return(request, fallback: str) -> str:
    return local_path(request, request.POST.get("next", "")) or fallback


@login_required
@require_POST
def answer_code(request, consultation, consultation_answer):
    answer = _get_answer_for_user(request, consultation, consultation_answer)
    consultation = answer.question.section.consultation
    form = AnswerCodingForm(request.POST, themes=consultation.themes.all())
    if form.is_valid():
        services.answer_code(answer=answer, themes=form.cleaned_data["themes"], by=request.user)
        messages.success(request, "Themes saved.")
    return redirect(_safe_return(request, f"/consultations/{consultation.slug}/manage/free-text/"))


@login_required
def comments(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    form = CommentFilterForm(request.GET)
    ref = form.filters.get("target", "")
    rows = analysis.comments(consultation, priority_ref=ref, search=form.filters.get("q", ""))
    page = Paginator(rows, FREE_TEXT_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    coded = {}
    for row in Theme.comments.through.objects.filter(draftcomment_id__in=[c.pk for c in items]):
        coded.setdefault(row.draftcomment_id, set()).add(row.theme_id)
    return render(request, "consultation/officers/comments.html", {
        "consultation": consultation,
        "counts": analysis.comment_counts(consultation),
        "page": page,
        "items": [(c, coded.get(c.pk, set())) for c in items],
        "themes": list(consultation.themes.all()),
        "target": ref,
        "params": form.values,
        "problems": form.problems,
        "query": form.querystring(),
        "return_to": request.get_full_path(),
    })


@login_required
@require_POST
def comment_code(request, consultation, consultation_comment):
    comment = _get_comment_for_user(request, consultation, consultation_comment)
    form = AnswerCodingForm(request.POST, themes=comment.consultation.themes.all())
    if form.is_valid():
        services.comment_code(comment=comment, themes=form.cleaned_data["themes"])
        messages.success(request, "Themes saved.")
    fallback = f"/consultations/{comment.consultation.slug}/manage/comments/"
    return redirect(_safe_return(request, fallback))


# Themes and "you said, we did" ---------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def themes(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    form = ThemeNameForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_create(consultation=consultation, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error("name", "There is already a theme with that name"
                           if "name" in str(exc) or "already" in str(exc) else exc.messages[0])
        else:
            messages.success(request, "Theme added.")
            return redirect("consultation:themes", consultation.slug)
    return render(request, "consultation/officers/themes.html", {
        "consultation": consultation,
        "themes": analysis.themes_with_counts(consultation),
        "form": form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request, consultation, consultation_theme):
    theme = _get_theme_for_user(request, consultation, consultation_theme)
    consultation = theme.consultation
    form = ThemeForm(
        _posted(request), instance=theme,
        priorities=Priority.objects.filter(strategy=consultation.strategy_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(theme=theme, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Theme saved.")
            return redirect("consultation:themes", consultation.slug)
    return render(request, "consultation/officers/theme_form.html", {
        "consultation": consultation, "theme": theme, "form": form,
    })


@login_required
@require_POST
def theme_delete(request, consultation, consultation_theme):
    theme = _get_theme_for_user(request, consultation, consultation_theme)
    try:
        services.theme_delete(theme=theme)
        messages.success(request, "Theme removed.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("consultation:themes", theme.consultation.slug)


# Exports -------------------------------------------------------------------


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _audit_export(request, consultation: Consultation, *, equality: bool, kind: str) -> None:
    what = "equality monitoring" if equality else "responses"
    audit_record(
        action=AuditAction.EXPORT,
        summary=f"Downloaded the {what} of {consultation.title} ({kind})",
        partnership=consultation.partnership_id, target=consultation, request=request,
        detail={"file": "equality" if equality else "responses", "format": kind},
    )
    if equality:
        audit_record(
            action=AuditAction.EQUALITY_VIEW,
            summary=f"Downloaded the equality monitoring of {consultation.title} ({kind})",
            partnership=consultation.partnership_id, target=consultation, request=request,
            detail={"page": "export", "format": kind},
        )


@login_required
def export_responses_csv(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    _audit_export(request, consultation, equality=False, kind="CSV")
    return _download(exports.as_csv(exports.response_rows(consultation)),
                     f"{consultation.slug}-responses.csv", "text/csv; charset=utf-8")


@login_required
def export_responses_xlsx(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    _audit_export(request, consultation, equality=False, kind="Excel")
    return _download(exports.as_xlsx(exports.response_rows(consultation), "Responses"),
                     f"{consultation.slug}-responses.xlsx", XLSX)


@login_required
def export_equality_csv(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    _audit_export(request, consultation, equality=True, kind="CSV")
    return _download(exports.as_csv(exports.equality_rows(consultation)),
                     f"{consultation.slug}-equality.csv", "text/csv; charset=utf-8")


@login_required
def export_equality_xlsx(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    _audit_export(request, consultation, equality=True, kind="Excel")
    return _download(exports.as_xlsx(exports.equality_rows(consultation), "Equality"),
                     f"{consultation.slug}-equality.xlsx", XLSX)

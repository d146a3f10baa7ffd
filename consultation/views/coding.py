"""Officer pages for coding free text at scale: bulk coding with its
history and undo, and suggestions worked out in the worker.

The same access as every officer page of a consultation: its partnership's
officers only (another partnership's consultation is a 404, a partner
officer or board member of the same partnership a 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from consultation import analysis, coding
from consultation import suggestions as engine
from consultation.coding_forms import (
    AdoptThemeForm,
    BulkCodingForm,
    CodingFilterForm,
    SuggestionDecisionForm,
    SuggestionFilterForm,
    SuggestionRequestForm,
)
from consultation.models import (
    Answer,
    CodingAction,
    CodingSuggestion,
    SuggestedTheme,
    SuggestionRun,
    Theme,
)
from consultation.views.officers import _get_consultation_for_user
from safermk.redirects import local_path

PAGE_SIZE = 50


def _matching(consultation, filters: dict):
    """The answers the filters select, in order, and the answer the list is
    "similar to" if any."""
    answers = coding.codable_answers(consultation)
    if filters.get("question"):
        answers = answers.filter(question_id=filters["question"])
    if filters.get("theme"):
        answers = answers.filter(themes__id=filters["theme"])
    if filters.get("uncoded"):
        answers = coding.uncoded(answers)
    if filters.get("q"):
        answers = analysis.search_text(answers, filters["q"])
    similar_to = None
    if filters.get("similar"):
        similar_to = answers.model.objects.filter(
            pk=filters["similar"], question__section__consultation=consultation,
        ).first()
        ids = coding.similar_answer_ids(consultation, similar_to) if similar_to else []
        order = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)],
                     output_field=IntegerField())
        return answers.filter(pk__in=ids).order_by(order), similar_to
    return answers.order_by("pk"), None


@login_required
@require_http_methods(["GET", "POST"])
def coding_page(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    filters_form = CodingFilterForm(request.GET)
    filters = filters_form.filters
    answers, similar_to = _matching(consultation, filters)
    themes = consultation.themes.all()
    form = BulkCodingForm(request.POST if request.method == "POST" else None, themes=themes,
                          initial={"action": "add"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ids = (data["answers"] if data["scope"] == BulkCodingForm.SELECTED
               else list(answers.values_list("pk", flat=True)))
        try:
            action = coding.coding_apply(
                consultation=consultation, theme=data["theme"], answer_ids=ids,
                add=data["action"] == "add", by=request.user,
            )
        except ValidationError as exc:
            form.add_error("answers", exc.messages[0])
        else:
            query = filters_form.querystring()
            if action is None:
                messages.info(request, "Nothing changed: the answers already had that coding.")
                return redirect(f"{request.path}?{query}")
            return redirect(f"{request.path}?{query}{'&' if query else ''}done={action.pk}")
    page = Paginator(answers.select_related("question"), PAGE_SIZE).get_page(
        filters_form.page_number
    )
    items = list(page.object_list)
    coded: dict[int, list[str]] = {}
    names = {t.pk: t.name for t in themes}
    for answer_id, theme_id in Theme.answers.through.objects.filter(
        answer_id__in=[a.pk for a in items]
    ).values_list("answer_id", "theme_id"):
        coded.setdefault(answer_id, []).append(names.get(theme_id, ""))
    done = None
    if request.GET.get("done", "").isdigit() and len(request.GET["done"]) < 11:
        done = CodingAction.objects.filter(
            consultation=consultation, pk=int(request.GET["done"]), by=request.user
        ).annotate(is_undone=Exists(CodingAction.objects.filter(undoes=OuterRef("pk")))).first()
    chosen = set(form["answers"].value() or []) if form.is_bound else set()
    return render(request, "consultation/officers/coding.html", {
        "consultation": consultation,
        "form": form,
        "page": page,
        "items": [(a, sorted(coded.get(a.pk, [])), str(a.pk) in chosen) for a in items],
        "themes": analysis.themes_with_counts(consultation),
        "questions": analysis.text_questions(consultation),
        "params": filters_form.values,
        "problems": filters_form.problems,
        "query": filters_form.querystring(),
        "similar_to": similar_to,
        "done": done,
        "uncoded_count": coding.uncoded(coding.codable_answers(consultation)).count(),
    })


@login_required
def coding_history(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    actions = (
        CodingAction.objects.filter(consultation=consultation)
        .select_related("undoes")
        .annotate(is_undone=Exists(CodingAction.objects.filter(undoes=OuterRef("pk"))))
        .order_by("-at", "-pk")
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consultation/officers/coding_history.html", {
        "consultation": consultation, "page": page, "query": "",
    })


@login_required
@require_POST
def coding_undo(request, consultation, coding_action):
    consultation = _get_consultation_for_user(request, consultation)
    action = get_object_or_404(CodingAction, consultation=consultation, pk=coding_action)
    try:
        undo = coding.coding_undo(action=action, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        count = undo.answer_count if undo else 0
        change = "removed from" if action.kind == CodingAction.Kind.ADD else "added back to"
        messages.success(request, f"Undone: “{action.theme_name}” {change} {count} "
                                  f"answer{'s' if count != 1 else ''}.")
    fallback = reverse("consultation:coding_history", args=[consultation.slug])
    return redirect(local_path(request, request.POST.get("next", "")) or fallback)


# Suggestions -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def suggestions(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    questions = analysis.text_questions(consultation)
    form = SuggestionRequestForm(request.POST if request.method == "POST" else None,
                                 questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            run = coding.suggestion_run_request(
                consultation=consultation, kind=form.cleaned_data["kind"],
                question=form.cleaned_data["question"], by=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Suggestions asked for. They are worked out on this server.")
            return redirect("consultation:suggestion_run", consultation.slug, run.pk)
    runs = Paginator(
        consultation.suggestion_runs.select_related("question", "requested_by"), 20
    ).get_page(request.GET.get("page"))
    return render(request, "consultation/officers/suggestions.html", {
        "consultation": consultation, "form": form, "page": runs, "query": "",
    })


def _get_run_for_user(request, slug: str, pk: int) -> SuggestionRun:
    consultation = _get_consultation_for_user(request, slug)
    run = get_object_or_404(
        SuggestionRun.objects.select_related("question", "requested_by"),
        consultation=consultation, pk=pk,
    )
    run.consultation = consultation
    return run


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_run(request, consultation, suggestion_run):
    run = _get_run_for_user(request, consultation, suggestion_run)
    if run.kind == SuggestionRun.Kind.THEMES:
        return _suggested_themes(request, run)
    return _suggested_coding(request, run)


def _suggested_themes(request, run):
    found = list(run.themes.select_related("theme"))
    wanted = {pk for s in found for pk in s.representatives}
    texts = dict(Answer.objects.filter(pk__in=wanted).values_list("pk", "text"))
    return render(request, "consultation/officers/suggested_themes.html", {
        "consultation": run.consultation, "run": run,
        "found": [(s, [(pk, texts[pk]) for pk in s.representatives if pk in texts],
                   AdoptThemeForm(initial={"name": s.label}, prefix=f"s{s.pk}"))
                  for s in found],
    })


def _suggested_coding(request, run):
    consultation = run.consultation
    filters_form = SuggestionFilterForm(request.GET)
    filters = filters_form.filters
    rows = CodingSuggestion.objects.filter(run=run, confidence__gte=filters_form.lowest)
    if not filters.get("decided"):
        rows = rows.filter(decision="")
    if filters.get("theme"):
        rows = rows.filter(theme_id=filters["theme"])
    form = None
    if request.method == "POST":
        data = request.POST.copy()
        decision, _, scope = data.get("do", "").partition(":")
        data["decision"], data["scope"] = decision, scope
        form = SuggestionDecisionForm(data)
        if form.is_valid():
            chosen = form.cleaned_data
            ids = (chosen["suggestions"] if chosen["scope"] == SuggestionDecisionForm.SELECTED
                   else list(rows.filter(decision="").values_list("pk", flat=True)))
            try:
                count, actions = coding.suggestions_decide(
                    run=run, suggestion_ids=ids, accept=chosen["decision"] == "accept",
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error("suggestions", exc.messages[0])
            else:
                coded = sum(a.answer_count for a in actions)
                if chosen["decision"] == "accept":
                    messages.success(request, f"{count} suggestions accepted: {coded} answers "
                                              "coded. Undo from the coding history.")
                else:
                    messages.success(request, f"{count} suggestions rejected.")
                return redirect(f"{request.path}?{filters_form.querystring()}")
    page = Paginator(
        rows.select_related("answer__question", "theme", "decided_by"), PAGE_SIZE
    ).get_page(filters_form.page_number)
    return render(request, "consultation/officers/suggested_coding.html", {
        "consultation": consultation, "run": run, "form": form, "page": page,
        "themes": consultation.themes.all(),
        "params": filters_form.values, "problems": filters_form.problems,
        "query": filters_form.querystring(),
        "lowest": round(filters_form.lowest * 100),
        "default_lowest": round(engine.SUGGEST_THRESHOLD * 100),
    })


@login_required
def suggestion_run_progress(request, consultation, suggestion_run):
    """How far the worker has got, for the page's script to follow."""
    run = _get_run_for_user(request, consultation, suggestion_run)
    text = render_to_string("consultation/officers/_run_progress.txt", {"run": run}).strip()
    response = JsonResponse({"status": run.status, "progress": run.progress,
                             "in_progress": run.is_in_progress, "text": text})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def suggested_theme_adopt(request, consultation, suggestion_run, suggested_theme):
    run = _get_run_for_user(request, consultation, suggestion_run)
    suggested = get_object_or_404(SuggestedTheme, run=run, pk=suggested_theme)
    suggested.run = run
    form = AdoptThemeForm(request.POST, prefix=f"s{suggested.pk}")
    if form.is_valid():
        try:
            theme = coding.suggested_theme_adopt(suggested=suggested,
                                                 name=form.cleaned_data["name"])
        except ValidationError as exc:
            text = exc.messages[0]
            if "already exists" in text or "name" in getattr(exc, "message_dict", {}):
                text = ("There is already a theme with that name"
                        if "already exists" in text else text)
            form.add_error("name", text)
        else:
            messages.success(request, f"Theme “{theme.name}” added. Code answers to it below.")
            similar = suggested.representatives[0] if suggested.representatives else ""
            url = reverse("consultation:coding", args=[run.consultation.slug])
            return redirect(f"{url}?similar={similar}" if similar else url)
    found = list(run.themes.select_related("theme"))
    wanted = {pk for s in found for pk in s.representatives}
    texts = dict(Answer.objects.filter(pk__in=wanted).values_list("pk", "text"))
    return render(request, "consultation/officers/suggested_themes.html", {
        "consultation": run.consultation, "run": run, "form": form,
        "found": [(s, [(pk, texts[pk]) for pk in s.representatives if pk in texts],
                   form if s.pk == suggested.pk else AdoptThemeForm(
                       initial={"name": s.label}, prefix=f"s{s.pk}"))
                  for s in found],
    })

"""Coding free-text answers into themes at scale: bulk actions, their
record and undo, answers similar to one, and suggestions computed in the
worker for a person to accept or reject.

Every change to the coding of answers goes through coding_apply, which
writes a CodingAction naming exactly the answers it changed. Suggestions
never change the coding themselves: suggestions_decide applies the ones a
person accepted, recorded as that person's action.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from consultation import suggestions as engine
from consultation.models import (
    Answer,
    CodingAction,
    CodingActionAnswer,
    CodingSuggestion,
    Consultation,
    Question,
    SuggestedTheme,
    SuggestionRun,
    Theme,
)

log = logging.getLogger(__name__)

Through = Theme.answers.through
# One bulk action changes at most this many answers: more than any
# consultation's free text so far, few enough for one transaction.
MAX_ANSWERS_PER_ACTION = 20_000
NOT_HERE = "Some of the chosen answers are not free-text answers of this consultation."


def codable_answers(consultation: Consultation) -> QuerySet[Answer]:
    """The free-text answers of the consultation that have words to code."""
    return Answer.objects.filter(
        question__section__consultation=consultation, question__kind=Question.Kind.TEXT
    ).exclude(text="")


def uncoded(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    return answers.filter(~Exists(Through.objects.filter(answer_id=OuterRef("pk"))))


def _person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@transaction.atomic
def coding_apply(
    *, consultation: Consultation, theme: Theme, answer_ids: Iterable[int], add: bool, by,
    source: str = CodingAction.Source.BULK, suggestion_run: SuggestionRun | None = None,
    undoes: CodingAction | None = None,
) -> CodingAction | None:
    """Add the theme to (or remove it from) the answers. Records the answers
    whose coding changed; returns None when none did (nothing to record)."""
    ids = sorted({int(pk) for pk in answer_ids})
    if not ids:
        raise ValidationError("Select at least one answer.")
    if len(ids) > MAX_ANSWERS_PER_ACTION:
        raise ValidationError(f"Select at most {MAX_ANSWERS_PER_ACTION:,} answers at once.")
    if theme.consultation_id != consultation.pk:
        raise ValidationError("Choose a theme of this consultation.")
    if codable_answers(consultation).filter(pk__in=ids).count() != len(ids):
        raise ValidationError(NOT_HERE)
    # One coding change per theme at a time, so two officers' bulk actions
    # on the same theme never record the same answer as changed twice.
    Theme.objects.select_for_update().filter(pk=theme.pk).exists()
    present = set(
        Through.objects.filter(theme_id=theme.pk, answer_id__in=ids)
        .values_list("answer_id", flat=True)
    )
    changed = [pk for pk in ids if (pk not in present) == add]
    if not changed:
        return None
    if add:
        Through.objects.bulk_create(
            [Through(theme_id=theme.pk, answer_id=pk) for pk in changed], batch_size=2000
        )
    else:
        Through.objects.filter(theme_id=theme.pk, answer_id__in=changed).delete()
    action = CodingAction.objects.create(
        consultation=consultation, theme=theme, theme_name=theme.name,
        kind=CodingAction.Kind.ADD if add else CodingAction.Kind.REMOVE, source=source,
        by=by, by_name=_person_name(by), answer_count=len(changed),
        suggestion_run=suggestion_run, undoes=undoes,
    )
    CodingActionAnswer.objects.bulk_create(
        [CodingActionAnswer(action=action, answer_id=pk) for pk in changed], batch_size=2000
    )
    return action


def answer_code_recorded(*, answer: Answer, themes: Iterable[Theme], by) -> list[CodingAction]:
    """One answer's themes set from its own form, each theme added or
    removed recorded as an action of its own."""
    consultation = answer.question.section.consultation
    wanted = {t.pk: t for t in themes}
    if any(t.consultation_id != consultation.pk for t in wanted.values()):
        raise ValidationError("Choose themes of this consultation.")
    actions = []
    with transaction.atomic():
        current = {t.pk: t for t in answer.themes.all()}
        for pk in sorted(set(wanted) ^ set(current)):
            action = coding_apply(
                consultation=consultation, theme=wanted.get(pk) or current[pk],
                answer_ids=[answer.pk], add=pk in wanted, by=by,
                source=CodingAction.Source.ANSWER,
            )
            if action:
                actions.append(action)
    return actions


def undo_refusal(action: CodingAction) -> str:
    """Why this action cannot be undone, or "" if it can."""
    if action.source == CodingAction.Source.UNDO:
        return "This is an undo. Code the answers again instead."
    if CodingAction.objects.filter(undoes=action).exists():
        return "This action has already been undone."
    if action.theme_id is None:
        return "Its theme has been removed."
    later = CodingActionAnswer.objects.filter(
        action__theme_id=action.theme_id, action__pk__gt=action.pk,
        answer_id__in=CodingActionAnswer.objects.filter(action=action).values("answer_id"),
    ).exclude(action__source=CodingAction.Source.UNDO).exclude(
        action__undone_by__isnull=False
    )
    if later.exists():
        return ("Later coding changed some of the same answers for this theme: "
                "undo that first.")
    return ""


@transaction.atomic
def coding_undo(*, action: CodingAction, by) -> CodingAction | None:
    """Put back exactly what the action changed, as a new action of its own."""
    action = CodingAction.objects.select_for_update(of=("self",)).select_related(
        "consultation", "theme"
    ).get(pk=action.pk)
    refusal = undo_refusal(action)
    if refusal:
        raise ValidationError(refusal)
    ids = list(action.rows.values_list("answer_id", flat=True))
    undo = coding_apply(
        consultation=action.consultation, theme=action.theme, answer_ids=ids,
        add=action.kind == CodingAction.Kind.REMOVE, by=by,
        source=CodingAction.Source.UNDO, undoes=action,
    )
    return undo


# Answers like this one ---------------------------------------------------------

SIMILAR_LIMIT = 500
SIMILAR_MIN = 0.1
# The answer's first words that are not stop words that the database looks for.
SIMILAR_WORDS = 20


def similar_answer_ids(consultation: Consultation, answer: Answer) -> list[int]:
    """Answers of the consultation most like this one, itself first, at most
    SIMILAR_LIMIT.

    On PostgreSQL the database ranks them (ts_rank over the full-text index
    of answers, for any of this answer's words that are not stop words), so
    the page stays quick with tens of thousands of answers. Elsewhere (the
    embedded SQLite) they are ranked here by the cosine of TF-IDF vectors of
    character n-grams, each at least SIMILAR_MIN alike."""
    answers = codable_answers(consultation)
    if not answers.filter(pk=answer.pk).exists():
        return []
    if connection.vendor == "postgresql":
        return _similar_in_database(answers, answer)
    return _similar_here(answers, answer)


def _similar_in_database(answers: QuerySet[Answer], answer: Answer) -> list[int]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    words = engine.content_words(answer.text)[:SIMILAR_WORDS]
    if not words:
        return [answer.pk]
    query = SearchQuery(" or ".join(words), config="english", search_type="websearch")
    vector = SearchVector("text", config="english")
    found = list(
        answers.exclude(pk=answer.pk)
        .annotate(search_vector=vector, likeness=SearchRank(vector, query))
        .filter(search_vector=query)
        .order_by("-likeness", "pk")
        .values_list("pk", flat=True)[: SIMILAR_LIMIT - 1]
    )
    return [answer.pk, *found]


def _similar_here(answers: QuerySet[Answer], answer: Answer) -> list[int]:
    import numpy as np

    rows = list(answers.order_by("pk").values_list("pk", "text"))
    ids = [pk for pk, _ in rows]
    try:
        matrix = engine.similarity_vectors([text for _, text in rows])
    except ValueError:  # no words at all
        return [answer.pk]
    scores = (matrix @ matrix[ids.index(answer.pk)].T).toarray().ravel()
    order = np.argsort(-scores, kind="stable")
    found = [ids[i] for i in order[:SIMILAR_LIMIT] if scores[i] >= SIMILAR_MIN]
    if answer.pk in found:
        found.remove(answer.pk)
    return [answer.pk, *found]


# Suggestions -------------------------------------------------------------------


def suggestion_run_request(
    *, consultation: Consultation, kind: str, by, question: Question | None = None
) -> SuggestionRun:
    """Ask the worker for suggestions. One run of each kind at a time."""
    from consultation import tasks

    if kind not in SuggestionRun.Kind.values:
        raise ValidationError({"kind": "Choose what to suggest"})
    if question is not None and (
        question.section.consultation_id != consultation.pk or question.kind != Question.Kind.TEXT
    ):
        raise ValidationError({"question": "Choose a free-text question of this consultation"})
    answers = codable_answers(consultation)
    if question is not None:
        answers = answers.filter(question=question)
    if kind == SuggestionRun.Kind.THEMES and answers.count() < 4:
        raise ValidationError({"kind": "There are too few answers to suggest themes from"})
    if kind == SuggestionRun.Kind.CODING and not _has_trainable_theme(answers):
        raise ValidationError({"kind": (
            f"Code at least {engine.MIN_EXAMPLES} answers to a theme (and leave some without "
            "it) before asking for suggested coding"
        )})
    with transaction.atomic():
        # The consultation row serialises requests: never two runs at once.
        Consultation.objects.select_for_update().filter(pk=consultation.pk).exists()
        if consultation.suggestion_runs.filter(
            kind=kind, status__in=[SuggestionRun.Status.QUEUED, SuggestionRun.Status.RUNNING]
        ).exists():
            raise ValidationError({"kind": "Suggestions of this kind are already being worked "
                                           "out: wait for them to finish"})
        run = SuggestionRun.objects.create(
            consultation=consultation, kind=kind, question=question, requested_by=by,
        )
        transaction.on_commit(lambda: tasks.suggestion_run_compute.delay(run.pk))
    return run


def _has_trainable_theme(answers: QuerySet[Answer]) -> bool:
    coded = Through.objects.filter(answer__in=answers)
    total = answers.count()
    counts = coded.values("theme_id").order_by().annotate(n=Count("id"))
    return any(engine.MIN_EXAMPLES <= row["n"] < total for row in counts)


def _progress(run_id: int):
    def report(percent: int, stage: str) -> None:
        SuggestionRun.objects.filter(pk=run_id).update(progress=min(99, percent), stage=stage)
    return report


def suggestion_run_execute(*, run_id: int) -> bool:
    """Work out a run's suggestions (in the worker). Claimed with a
    conditional update, so a task delivered twice computes it once."""
    claimed = SuggestionRun.objects.filter(pk=run_id, status=SuggestionRun.Status.QUEUED).update(
        status=SuggestionRun.Status.RUNNING, started_at=timezone.now(), progress=5,
        stage="Reading the answers",
    )
    if not claimed:
        return False
    run = SuggestionRun.objects.select_related("consultation").get(pk=run_id)
    try:
        if run.kind == SuggestionRun.Kind.THEMES:
            _compute_themes(run)
        else:
            _compute_coding(run)
    except Exception as exc:  # recorded for the officer, then re-raised for the logs
        SuggestionRun.objects.filter(pk=run_id).update(
            status=SuggestionRun.Status.FAILED, finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        log.exception("Suggestion run %s failed", run_id)
        raise
    SuggestionRun.objects.filter(pk=run_id).update(
        status=SuggestionRun.Status.DONE, finished_at=timezone.now(), progress=100, stage="Done",
    )
    return True


def _run_answers(run: SuggestionRun) -> QuerySet[Answer]:
    answers = codable_answers(run.consultation)
    if run.question_id:
        answers = answers.filter(question_id=run.question_id)
    return answers.order_by("pk")


def _compute_themes(run: SuggestionRun) -> None:
    rows = list(_run_answers(run).values_list("pk", "text"))
    SuggestionRun.objects.filter(pk=run.pk).update(answer_count=len(rows))
    found = engine.candidate_themes([text for _, text in rows], progress=_progress(run.pk))
    SuggestedTheme.objects.bulk_create([
        SuggestedTheme(
            run=run, label=candidate.label[:200], key_phrases=candidate.key_phrases,
            size=candidate.size, representatives=[rows[i][0] for i in candidate.representatives],
            order=order,
        )
        for order, candidate in enumerate(found)
    ])


def _compute_coding(run: SuggestionRun) -> None:
    rows = list(_run_answers(run).values_list("pk", "text"))
    ids = [pk for pk, _ in rows]
    themes_of: dict[int, set[str]] = {}
    for answer_id, theme_id in Through.objects.filter(
        answer_id__in=ids, theme__consultation=run.consultation
    ).values_list("answer_id", "theme_id"):
        themes_of.setdefault(answer_id, set()).add(str(theme_id))
    coded = [(pk, text) for pk, text in rows if pk in themes_of]
    rest = [(pk, text) for pk, text in rows if pk not in themes_of]
    SuggestionRun.objects.filter(pk=run.pk).update(answer_count=len(rest), coded_count=len(coded))
    found = engine.suggest_coding(
        [text for _, text in coded], [themes_of[pk] for pk, _ in coded],
        [text for _, text in rest], progress=_progress(run.pk),
    )
    _progress(run.pk)(95, "Saving the suggestions")
    CodingSuggestion.objects.bulk_create([
        CodingSuggestion(run=run, answer_id=rest[s.index][0], theme_id=int(s.theme),
                         confidence=s.confidence)
        for s in found
    ], batch_size=2000)


@transaction.atomic
def suggestions_decide(
    *, run: SuggestionRun, suggestion_ids: Iterable[int], accept: bool, by
) -> tuple[int, list[CodingAction]]:
    """Accept (code the answers, as this person's action) or reject the
    chosen suggestions of the run that nobody has decided yet."""
    ids = sorted({int(pk) for pk in suggestion_ids})
    if not ids:
        raise ValidationError("Select at least one suggestion.")
    chosen = list(
        CodingSuggestion.objects.select_for_update()
        .filter(run=run, pk__in=ids).select_related("theme")
    )
    if len(chosen) != len(ids):
        raise ValidationError("Some of the chosen suggestions are not of this run.")
    waiting = [s for s in chosen if not s.decision]
    actions = []
    if accept:
        by_theme: dict[int, list[CodingSuggestion]] = {}
        for s in waiting:
            by_theme.setdefault(s.theme_id, []).append(s)
        for group in by_theme.values():
            action = coding_apply(
                consultation=run.consultation, theme=group[0].theme,
                answer_ids=[s.answer_id for s in group], add=True, by=by,
                source=CodingAction.Source.SUGGESTION, suggestion_run=run,
            )
            if action:
                actions.append(action)
    CodingSuggestion.objects.filter(pk__in=[s.pk for s in waiting]).update(
        decision=CodingSuggestion.Decision.ACCEPTED if accept
        else CodingSuggestion.Decision.REJECTED,
        decided_by=by, decided_at=timezone.now(),
    )
    return len(waiting), actions


@transaction.atomic
def suggested_theme_adopt(*, suggested: SuggestedTheme, name: str) -> Theme:
    """Make a theme of the consultation from a suggested one."""
    from consultation import services

    if suggested.theme_id:
        raise ValidationError({"name": "A theme has already been made from this suggestion"})
    theme = services.theme_create(consultation=suggested.run.consultation, name=name)
    suggested.theme = theme
    suggested.save(update_fields=["theme"])
    return theme

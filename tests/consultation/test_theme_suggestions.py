"""Suggested themes and suggested coding: worked out by the worker's task
on this server, stored per run, shown with progress, and applied only when
a person accepts them (recorded as that person's change, undoable)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.urls import reverse

from consultation import coding
from consultation import suggestions as engine
from consultation.models import CodingAction, CodingSuggestion, SuggestedTheme, SuggestionRun, Theme
from consultation.tasks import suggestion_run_compute
from safermk.celery import app as celery_app
from tests.conftest import client_for
from tests.consultation.coding_helpers import (
    coding_state,
    consultation_with_answers,
    hand_coded,
    text_question,
)


def _code_by_hand(consultation, officer, count: int) -> None:
    """Code the first `count` answers to their themes in the hand-coded set,
    as an officer would in bulk: one action per theme."""
    truth = hand_coded()
    answers = list(coding.codable_answers(consultation).order_by("pk")[:count])
    themes = {t.name: t for t in consultation.themes.all()}
    for name, theme in themes.items():
        ids = [a.pk for i, a in enumerate(answers) if name in truth[i][1]]
        if ids:
            coding.coding_apply(consultation=consultation, theme=theme, answer_ids=ids,
                                add=True, by=officer)


def _run(consultation, kind, officer) -> SuggestionRun:
    run = SuggestionRun.objects.create(consultation=consultation, kind=kind,
                                       requested_by=officer)
    assert suggestion_run_compute(run.pk) is True  # the worker's own code path
    run.refresh_from_db()
    return run


@pytest.mark.django_db
def test_the_task_suggests_themes_with_key_phrases_and_typical_answers(partnership, officer):
    consultation = consultation_with_answers(partnership, 200)
    run = _run(consultation, SuggestionRun.Kind.THEMES, officer)
    assert run.status == SuggestionRun.Status.DONE and run.progress == 100
    assert run.answer_count == 200 and run.started_at and run.finished_at
    found = list(run.themes.all())
    assert 3 <= len(found) <= 15
    assert sum(s.size for s in found) <= 200
    ids = set(coding.codable_answers(consultation).values_list("pk", flat=True))
    for suggested in found:
        assert suggested.key_phrases and suggested.representatives
        assert set(suggested.representatives) <= ids
    phrases = " ".join(p for s in found for p in s.key_phrases)
    assert "domestic abuse" in phrases or "knife crime" in phrases, phrases
    # Nothing was coded by working it out.
    assert coding_state(consultation) == set()


@pytest.mark.django_db
def test_the_task_suggests_coding_for_the_uncoded_answers_and_codes_nothing(
    partnership, officer
):
    consultation = consultation_with_answers(partnership, 220)
    _code_by_hand(consultation, officer, 100)
    before = coding_state(consultation)
    run = _run(consultation, SuggestionRun.Kind.CODING, officer)
    assert run.status == SuggestionRun.Status.DONE, run.error
    assert run.coded_count == len({a for a, _ in before})
    assert run.answer_count == 220 - run.coded_count
    suggestions = list(CodingSuggestion.objects.filter(run=run).select_related("theme", "answer"))
    assert suggestions
    coded = {a for a, _ in before}
    assert all(s.answer_id not in coded for s in suggestions)
    assert all(engine.MIN_CONFIDENCE <= s.confidence <= 1 for s in suggestions)
    assert {s.theme.consultation_id for s in suggestions} == {consultation.pk}
    # Better than chance against the hand coding of the same answers.
    truth = hand_coded()
    order = {pk: i for i, pk in enumerate(
        coding.codable_answers(consultation).order_by("pk").values_list("pk", flat=True))}
    shown = [s for s in suggestions if s.confidence >= engine.SUGGEST_THRESHOLD]
    right = sum(s.theme.name in truth[order[s.answer_id] % len(truth)][1] for s in shown)
    assert right / len(shown) > 0.4
    assert coding_state(consultation) == before


@pytest.mark.django_db
def test_a_task_delivered_twice_works_the_run_out_once(partnership, officer):
    consultation = consultation_with_answers(partnership, 40)
    run = _run(consultation, SuggestionRun.Kind.THEMES, officer)
    count = run.themes.count()
    assert suggestion_run_compute(run.pk) is False
    assert run.themes.count() == count


@pytest.mark.django_db
def test_accepting_suggestions_in_bulk_is_the_officers_recorded_and_undoable_change(
    partnership, officer
):
    consultation = consultation_with_answers(partnership, 160)
    _code_by_hand(consultation, officer, 60)
    before = coding_state(consultation)
    run = _run(consultation, SuggestionRun.Kind.CODING, officer)
    lighting = Theme.objects.get(consultation=consultation, name="Street lighting")
    address = reverse("consultation:suggestion_run", args=[consultation.slug, run.pk])
    query = f"?theme={lighting.pk}&confidence=30"
    waiting = CodingSuggestion.objects.filter(run=run, theme=lighting, confidence__gte=0.3)
    expected = set(waiting.values_list("answer_id", flat=True))
    assert expected
    page = client_for(officer).post(address + query, {"do": "accept:all"})
    assert page.status_code == 302
    assert set(lighting.answers.values_list("pk", flat=True)) >= expected
    action = CodingAction.objects.get(source=CodingAction.Source.SUGGESTION)
    assert action.by == officer and action.suggestion_run == run and action.theme == lighting
    assert set(action.rows.values_list("answer_id", flat=True)) == expected
    assert set(waiting.values_list("decision", flat=True)) == {"accepted"}
    assert set(waiting.values_list("decided_by", flat=True)) == {officer.pk}
    # Others stay undecided and uncoded.
    assert CodingSuggestion.objects.filter(run=run, decision="").exclude(theme=lighting).exists()
    coding.coding_undo(action=action, by=officer)
    assert coding_state(consultation) == before


@pytest.mark.django_db
def test_rejecting_ticked_suggestions_records_who_and_codes_nothing(partnership, officer):
    consultation = consultation_with_answers(partnership, 120)
    _code_by_hand(consultation, officer, 60)
    before = coding_state(consultation)
    run = _run(consultation, SuggestionRun.Kind.CODING, officer)
    chosen = list(CodingSuggestion.objects.filter(run=run).values_list("pk", flat=True)[:3])
    address = reverse("consultation:suggestion_run", args=[consultation.slug, run.pk])
    page = client_for(officer).post(address, {"do": "reject:selected", "suggestions": chosen})
    assert page.status_code == 302
    rejected = CodingSuggestion.objects.filter(pk__in=chosen)
    assert set(rejected.values_list("decision", flat=True)) == {"rejected"}
    assert all(s.decided_by == officer and s.decided_at for s in rejected)
    assert coding_state(consultation) == before and not CodingAction.objects.filter(
        source="suggestion").exists()


@pytest.mark.django_db
def test_deciding_bad_input_says_so_next_to_the_list(partnership, officer, other_partnership):
    consultation = consultation_with_answers(partnership, 120)
    _code_by_hand(consultation, officer, 60)
    run = _run(consultation, SuggestionRun.Kind.CODING, officer)
    theirs = consultation_with_answers(other_partnership, 120)
    _code_by_hand(theirs, officer, 60)
    their_run = _run(theirs, SuggestionRun.Kind.CODING, officer)
    address = reverse("consultation:suggestion_run", args=[consultation.slug, run.pk])
    client = client_for(officer)
    for data, message in [
        ({"do": "accept:selected"}, "Select at least one suggestion"),
        ({"do": "accept:selected", "suggestions": ["x"]}, "Select from the list"),
        ({"do": "accept:selected", "suggestions": list(
            their_run.suggestions.values_list("pk", flat=True)[:2])},
         "Some of the chosen suggestions are not of this run"),
    ]:
        page = client.post(address, data)
        assert page.status_code == 200 and message in page.content.decode(), message
    assert not CodingSuggestion.objects.exclude(decision="").exists()


@pytest.mark.django_db
def test_asking_for_suggestions_runs_the_task_after_commit_and_shows_the_result(
    partnership, officer, django_capture_on_commit_callbacks
):
    consultation = consultation_with_answers(partnership, 60)
    address = reverse("consultation:suggestions", args=[consultation.slug])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = client_for(officer).post(address, {"kind": "themes"})
    assert page.status_code == 302 and len(callbacks) == 1
    run = SuggestionRun.objects.get()
    assert run.status == SuggestionRun.Status.DONE and run.requested_by == officer
    shown = client_for(officer).get(page["Location"]).content.decode()
    assert "Key phrases:" in shown and "Add as a theme" in shown


@pytest.mark.django_db
def test_progress_is_shown_and_refreshing_the_page_follows_it(partnership, officer):
    consultation = consultation_with_answers(partnership, 10)
    run = SuggestionRun.objects.create(
        consultation=consultation, kind=SuggestionRun.Kind.THEMES,
        status=SuggestionRun.Status.RUNNING, progress=40, stage="Grouping 10 answers",
    )
    address = reverse("consultation:suggestion_run", args=[consultation.slug, run.pk])
    body = client_for(officer).get(address).content.decode()
    assert "Running: 40% done (Grouping 10 answers)" in body and "Refresh this page" in body
    progress = reverse("consultation:suggestion_run_progress", args=[consultation.slug, run.pk])
    assert f'data-progress-url="{progress}"' in body and "suggestion-progress.js" in body
    assert client_for(officer).get(progress).json() == {
        "status": "running", "progress": 40, "in_progress": True,
        "text": "Running: 40% done (Grouping 10 answers)"}
    SuggestionRun.objects.filter(pk=run.pk).update(status="done", progress=100)
    body = client_for(officer).get(address).content.decode()
    assert "Refresh this page" not in body and "Finished" in body
    assert "suggestion-progress.js" not in body
    assert client_for(officer).get(progress).json()["in_progress"] is False


@pytest.mark.django_db
def test_suggestions_are_refused_with_a_reason_when_they_cannot_be_made(partnership, officer):
    consultation = consultation_with_answers(partnership, 30)
    address = reverse("consultation:suggestions", args=[consultation.slug])
    client = client_for(officer)
    page = client.post(address, {"kind": "coding"})
    assert page.status_code == 200 and "Code at least 2 answers to a theme" in page.content.decode()
    for data, message in [({}, "Choose what should be suggested"),
                          ({"kind": "everything"}, "Choose what should be suggested"),
                          ({"kind": "themes", "question": "999999"},
                           "Choose a question from the list")]:
        page = client.post(address, data)
        assert page.status_code == 200 and message in page.content.decode(), data
    SuggestionRun.objects.create(consultation=consultation, kind="themes")
    page = client.post(address, {"kind": "themes", "question": text_question(consultation).pk})
    assert "already being worked out" in page.content.decode()
    assert SuggestionRun.objects.count() == 1


@pytest.mark.django_db
def test_a_suggested_theme_becomes_a_theme_by_an_officers_choice(partnership, officer):
    consultation = consultation_with_answers(partnership, 80, themes=False)
    run = _run(consultation, SuggestionRun.Kind.THEMES, officer)
    suggested = run.themes.first()
    address = reverse("consultation:suggested_theme_adopt",
                      args=[consultation.slug, run.pk, suggested.pk])
    client = client_for(officer)
    empty = client.post(address, {f"s{suggested.pk}-name": ""})
    assert empty.status_code == 200 and "Enter a name for the theme" in empty.content.decode()
    page = client.post(address, {f"s{suggested.pk}-name": "Lighting and dark paths"})
    assert page.status_code == 302 and "similar=" in page["Location"]
    theme = Theme.objects.get(consultation=consultation)
    assert theme.name == "Lighting and dark paths"
    assert SuggestedTheme.objects.get(pk=suggested.pk).theme == theme
    other = run.themes.exclude(pk=suggested.pk).first()
    again = client.post(reverse("consultation:suggested_theme_adopt",
                                args=[consultation.slug, run.pk, other.pk]),
                        {f"s{other.pk}-name": "Lighting and dark paths"})
    assert again.status_code == 200
    assert "There is already a theme with that name" in again.content.decode()


@pytest.mark.django_db
def test_another_partnerships_runs_are_not_found(partnership, officer, other_officer,
                                                  partner_officer):
    consultation = consultation_with_answers(partnership, 40)
    run = _run(consultation, SuggestionRun.Kind.THEMES, officer)
    suggested = run.themes.first()
    for name, args in [("suggestion_run", [run.pk]), ("suggestion_run_progress", [run.pk]),
                       ("suggested_theme_adopt", [run.pk, suggested.pk])]:
        address = reverse(f"consultation:{name}", args=[consultation.slug, *args])
        assert client_for(other_officer).post(address).status_code == 404
        assert client_for(partner_officer).post(address).status_code == 403
    assert SuggestedTheme.objects.get(pk=suggested.pk).theme_id is None
    assert not Theme.objects.filter(consultation=consultation).exclude(
        pk__in=Theme.objects.filter(consultation=consultation).order_by("pk")[:10]
    ).exists()


@pytest.fixture
def broker_control_folder(tmp_path):
    previous = celery_app.conf.broker_transport_options
    celery_app.conf.broker_transport_options = {**(previous or {}),
                                                "control_folder": str(tmp_path)}
    yield
    celery_app.conf.broker_transport_options = previous


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_works_out_suggested_coding_after_the_request_commits(
    partnership, officer, broker_control_folder
):
    consultation = consultation_with_answers(partnership, 150)
    _code_by_hand(consultation, officer, 60)
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        with transaction.atomic():
            run = coding.suggestion_run_request(
                consultation=consultation, kind=SuggestionRun.Kind.CODING, by=officer)
            assert run.status == SuggestionRun.Status.QUEUED
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if not run.is_in_progress:
                break
            time.sleep(0.2)
    assert run.status == SuggestionRun.Status.DONE, run.error
    assert run.suggestions.exists() and run.coded_count > 0


@pytest.mark.django_db
def test_deleting_the_text_deletes_what_suggestions_made_of_it(partnership, officer):
    from consultation import services

    consultation = consultation_with_answers(partnership, 120)
    _code_by_hand(consultation, officer, 60)
    themes_run = _run(consultation, SuggestionRun.Kind.THEMES, officer)
    coding_run = _run(consultation, SuggestionRun.Kind.CODING, officer)
    assert themes_run.themes.exists() and coding_run.suggestions.exists()
    suggested = coding_run.suggestions.first()
    services.response_erase(response=suggested.answer.response, by=officer)
    assert not SuggestedTheme.objects.filter(run__consultation=consultation).exists()
    assert not CodingSuggestion.objects.filter(answer=suggested.answer).exists()
    assert coding_run.suggestions.exists()
    history = CodingAction.objects.filter(consultation=consultation).count()
    services.consultation_apply_retention(consultation=consultation)
    assert not CodingSuggestion.objects.filter(run__consultation=consultation).exists()
    assert CodingAction.objects.filter(consultation=consultation).count() == history


@pytest.mark.django_db
def test_the_suggestion_pages_run_the_same_queries_with_twice_the_rows(partnership, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = []
    for size, slug in ((120, "half"), (240, "double")):
        consultation = consultation_with_answers(partnership, size, slug=slug)
        _code_by_hand(consultation, officer, size // 2)
        coding_run = _run(consultation, SuggestionRun.Kind.CODING, officer)
        themes_run = _run(consultation, SuggestionRun.Kind.THEMES, officer)
        CodingSuggestion.objects.filter(
            pk__in=coding_run.suggestions.values("pk")[:5]).update(
            decision="rejected", decided_by=officer)
        pages.append([
            reverse("consultation:suggestion_run", args=[slug, coding_run.pk])
            + "?confidence=20&decided=True&page=2",
            reverse("consultation:suggestion_run", args=[slug, themes_run.pk]),
            reverse("consultation:suggestions", args=[slug]),
        ])
    client = client_for(officer)
    for small, large in zip(*pages, strict=True):
        counts = []
        for address in (small, large):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(address).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (small, counts)

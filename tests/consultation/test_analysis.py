"""Analysis: every count is computed in the database and equals a count in
Python over the same rows; the page's queries do not grow with responses."""

import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation import analysis, services
from consultation.models import Answer, Question, Response
from tests.conftest import client_for
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(partnership):
    return open_consultation(partnership)


def _random_responses(consultation, n, seed=1):
    rng = random.Random(seed)
    code = services.class_code_issue(consultation=consultation, school="Oak School")
    questions = list(Question.objects.filter(section__consultation=consultation)
                     .select_related("section"))
    priorities = [str(p["id"]) for p in consultation.draft_priorities]
    for _ in range(n):
        audience = rng.choice(["public", "stakeholder", "young_people"])
        allowed = {"public": ("all", "adults"), "stakeholder": ("all", "adults"),
                   "young_people": ("all", "young_people")}[audience]
        answers = {}
        for q in questions:
            if q.section.audience not in allowed:
                continue
            if q.kind in ("single", "scale"):
                answers[str(q.pk)] = rng.choice(q.option_pairs())[0]
            elif q.kind == "multiple":
                answers[str(q.pk)] = rng.sample(q.choices, 2)
            elif q.kind == "safety":
                answers[str(q.pk)] = {"day": rng.choice(Question.SAFETY_CHOICES)[0],
                                      "dark": rng.choice(Question.SAFETY_CHOICES)[0]}
            elif q.kind == "ranking":
                order = rng.sample(priorities, len(priorities))
                answers[str(q.pk)] = {pid: i + 1 for i, pid in enumerate(order)}
            else:
                answers[str(q.pk)] = rng.choice(["Better lighting", "More police", "Buses"])
        services.response_submit(
            consultation=consultation, audience=audience, answers=answers,
            channel=rng.choice(["online", "paper", "event"]) if audience != "young_people"
            else "school",
            class_code=code if audience == "young_people" else None,
            age_band="14_15" if audience == "young_people" else "",
            equality={"sex": rng.choice(["female", "male"])} if audience != "young_people"
            else None,
        )


def test_counts_by_channel_audience_and_day_equal_a_python_count(consultation):
    _random_responses(consultation, 40)
    counts = analysis.response_counts(consultation)
    responses = list(Response.objects.filter(consultation=consultation))
    assert counts["total"] == len(responses) == 40
    by_channel = Counter(r.channel for r in responses)
    assert {b.label: b.count for b in counts["by_channel"] if b.count} == {
        Response(channel=k).get_channel_display(): v for k, v in by_channel.items()}
    by_audience = Counter(r.audience for r in responses)
    assert sum(b.count for b in counts["by_audience"]) == sum(by_audience.values())
    assert {b.label: b.count for b in counts["by_audience"] if b.count} == {
        Response(audience=k).get_audience_display(): v for k, v in by_audience.items()}
    from django.utils import timezone
    by_day = Counter(timezone.localdate(r.submitted_at) for r in responses)
    assert {row["day"]: row["n"] for row in counts["by_day"]} == dict(by_day)
    assert sum(row["n"] for row in counts["by_school"]) == by_audience["young_people"]


def test_question_counts_equal_a_python_count(consultation):
    _random_responses(consultation, 40)
    results = analysis.question_results(consultation)
    for result in results:
        part = {"During the day": "day", "After dark": "dark"}.get(result.part_label, "")
        python = Counter(
            a.value for a in Answer.objects.filter(question=result.question, part=part)
        )
        labels = dict(result.question.option_pairs())
        assert {b.label: b.count for b in result.bars if b.count} == {
            labels[v]: n for v, n in python.items()}
        assert result.total == sum(python.values())


def test_ranking_results_equal_a_python_average(consultation):
    _random_responses(consultation, 30)
    [ranking] = [r for r in analysis.ranking_results(consultation)
                 if r["question"].section.audience == "adults"]
    rows = Answer.objects.filter(question=ranking["question"])
    titles = {str(p["id"]): p["title"] for p in consultation.draft_priorities}
    for row in ranking["rows"]:
        pid = next(k for k, v in titles.items() if v == row["title"])
        ranks = [a.rank for a in rows if a.value == pid]
        assert row["n"] == len(ranks)
        assert row["first"] == ranks.count(1)
        assert row["average"] == round(sum(ranks) / len(ranks), 2)


def test_theme_counts_equal_the_coded_answers_and_comments(consultation):
    _random_responses(consultation, 20)
    lighting = services.theme_create(consultation=consultation, name="Lighting")
    police = services.theme_create(consultation=consultation, name="Policing")
    texts = list(analysis.free_text(consultation))
    for answer in texts:
        themes = [lighting] if "lighting" in answer.text.lower() else []
        if "police" in answer.text.lower():
            themes += [lighting, police]  # many themes per answer
        services.answer_code(answer=answer, themes=themes)
    counts = {t.name: t.answer_count for t in analysis.themes_with_counts(consultation)}
    assert counts["Lighting"] == sum(1 for a in texts if "lighting" in a.text.lower()
                                     or "police" in a.text.lower())
    assert counts["Policing"] == sum(1 for a in texts if "police" in a.text.lower())


def test_equality_counts_are_totals_only(consultation):
    _random_responses(consultation, 30)
    from consultation.models import EqualityResponse

    counts = analysis.equality_counts(consultation)
    python = Counter(EqualityResponse.objects.values_list("sex", flat=True))
    assert {b.label.lower(): b.count for b in counts["sex"] if b.count} == dict(python)


def test_the_free_text_browser_searches_and_filters(consultation, officer):
    _random_responses(consultation, 30)
    client = client_for(officer)
    address = reverse("consultation:free_text", args=[consultation.slug])
    page = client.get(address, {"q": "lighting"})
    expected = Answer.objects.filter(text="Better lighting").count()
    assert page.context["page"].paginator.count == expected > 0
    page = client.get(address, {"audience": "young_people"})
    assert page.context["page"].paginator.count == Answer.objects.filter(
        question__kind="text", response__audience="young_people").count()
    page = client.get(address, {"group": "sex:female"})
    assert page.context["page"].paginator.count == Answer.objects.filter(
        question__kind="text", response__equality__sex="female").count()
    assert not page.context["group_too_small"]
    # Equality answers are never printed with free text.
    assert "Female" not in page.content.decode().split("Equality group")[1].split("</select>")[1]


def test_an_officer_codes_an_answer_into_several_themes(consultation, officer):
    _random_responses(consultation, 5)
    one = services.theme_create(consultation=consultation, name="One")
    two = services.theme_create(consultation=consultation, name="Two")
    answer = analysis.free_text(consultation).first()
    page = client_for(officer).post(
        reverse("consultation:answer_code", args=[consultation.slug, answer.pk]),
        {"themes": [one.pk, two.pk], "next": "/consultations/"},
    )
    assert page.status_code == 302 and page["Location"] == "/consultations/"
    assert set(answer.themes.all()) == {one, two}


def _page_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["analysis", "free_text", "comments", "themes", "manage",
                                  "class_codes"])
def test_officer_page_queries_do_not_grow_with_responses(name, consultation, officer):
    client = client_for(officer)
    services.theme_create(consultation=consultation, name="Lighting")
    address = reverse(f"consultation:{name}", args=[consultation.slug])
    _random_responses(consultation, 10, seed=1)
    before = _page_queries(client, address)
    _random_responses(consultation, 20, seed=2)
    assert _page_queries(client, address) == before


def test_the_analysis_page_draws_svg_charts_with_data_tables(consultation, officer):
    _random_responses(consultation, 10)
    html = client_for(officer).get(
        reverse("consultation:analysis", args=[consultation.slug])).content.decode()
    assert html.count("<svg") >= 8
    assert 'role="img"' in html
    assert "govuk-table__caption" in html


def test_filtering_by_a_small_equality_group_is_refused(consultation, officer):
    _random_responses(consultation, 6)
    page = client_for(officer).get(
        reverse("consultation:free_text", args=[consultation.slug]), {"group": "sex:female"})
    assert page.context["group_too_small"]
    assert page.context["page"].paginator.count == Answer.objects.filter(
        question__kind="text").exclude(text="").count()
    assert "could identify them" in page.content.decode()

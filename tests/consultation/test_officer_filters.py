"""The officer browsers read their filters through a form: a NUL byte, a
word where an id belongs, a huge page number or a repeated parameter leaves
that filter out with a message, never an error page. PostgreSQL refuses NUL
in a query where SQLite does not, so run this on both."""

import pytest
from django.urls import reverse

from consultation import services
from consultation.models import Question, Response, Section
from tests.conftest import client_for
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(partnership):
    consultation = open_consultation(partnership)
    question = Question.objects.filter(
        section__consultation=consultation, kind=Question.Kind.TEXT,
        section__audience__in=Section.FOR_AUDIENCE["public"],
    ).first()
    for text in ("Better street lighting", "More buses"):
        services.response_submit(consultation=consultation, audience="public",
                                 answers={str(question.pk): text})
    return consultation


HOSTILE_QUERIES = [
    {"q": "lighting\x00"},
    {"q": "\x00"},
    {"q": "x" * 5000},
    {"q": ["lighting", "buses"]},
    {"page": "abc"},
    {"page": "99999999999999999999"},
    {"page": "1" * 5000},
    {"page": ["1", "2"]},
    {"question": "x"},
    {"question": "99999999999999999999"},
    {"question": "-1"},
    {"theme": "1e9"},
    {"audience": "martians"},
    {"group": "age_band"},
    {"group": "password:x"},
    {"target": "\x00"},
]


@pytest.mark.parametrize("name", ["free_text", "comments"])
@pytest.mark.parametrize("params", HOSTILE_QUERIES, ids=lambda p: repr(p)[:40])
def test_a_hostile_filter_is_left_out_not_an_error_page(consultation, officer, name, params):
    page = client_for(officer).get(reverse(f"consultation:{name}", args=[consultation.slug]),
                                   params)
    assert page.status_code == 200


def test_a_search_with_a_nul_byte_says_why_it_was_not_used(consultation, officer):
    page = client_for(officer).get(
        reverse("consultation:free_text", args=[consultation.slug]),
        {"q": "lighting\x00", "question": "x", "audience": "public"},
    )
    html = page.content.decode()
    assert "These filters were not used" in html
    assert "Search: Remove the hidden control characters" in html
    assert "Question: Choose from the list" in html
    # The valid filter still applies; the bad ones are not printed back.
    assert page.context["page"].paginator.count == 2
    assert page.context["params"]["audience"] == "public" and page.context["params"]["q"] == ""


def test_the_search_still_finds_answers_and_comments(consultation, officer):
    page = client_for(officer).get(
        reverse("consultation:free_text", args=[consultation.slug]), {"q": "lighting"})
    assert [a.text for a, _ in page.context["items"]] == ["Better street lighting"]


def test_after_coding_an_answer_an_officer_returns_only_to_a_page_of_this_site(
    consultation, officer
):
    answer = Response.objects.first().answers.first()
    address = reverse("consultation:answer_code", args=[consultation.slug, answer.pk])
    client = client_for(officer)
    fallback = f"/consultations/{consultation.slug}/manage/free-text/"
    for target, expected in [
        ("/consultations/", "/consultations/"),
        ("//evil.example/", fallback),
        ("/\\evil.example/", fallback),
        ("https://evil.example/", fallback),
        ("/\x00", fallback),
    ]:
        page = client.post(address, {"next": target})
        assert page.status_code == 302 and page["Location"] == expected, target


def test_a_paper_response_with_a_hostile_token_is_still_saved_once(consultation, officer):
    sections = [s for s in consultation.sections.all() if s.audience in ("all", "adults")]
    text = next(q for s in sections for q in s.questions.all() if q.kind == "text")
    before = Response.objects.count()
    page = client_for(officer).post(
        reverse("consultation:paper_entry", args=[consultation.slug]) + "?audience=public",
        {"details-channel": "paper", "details-received_on": "2030-01-10", "details-consent": "yes",
         f"answers-q{text.pk}": "Handwritten", "token": "a\x00b"},
    )
    assert page.status_code == 302
    assert Response.objects.count() == before + 1


@pytest.mark.parametrize("token", ["a\x00b", "x" * 65, "ünïcode", "a b", "---"])
def test_a_token_that_new_token_could_not_have_made_is_never_looked_up(consultation, token):
    question = Question.objects.filter(section__consultation=consultation,
                                       kind=Question.Kind.TEXT).first()
    first, created = services.response_submit(
        consultation=consultation, audience="public", answers={str(question.pk): "Hi"},
        token=token,
    )
    assert created and first.idempotency_token is None


def test_the_same_real_token_still_stores_one_response(consultation):
    token = services.new_token()
    first, _ = services.response_submit(consultation=consultation, audience="public",
                                        answers={}, token=token)
    again, created = services.response_submit(consultation=consultation, audience="public",
                                              answers={}, token=token)
    assert again == first and not created


@pytest.mark.parametrize("themes", ["9" * 30, ["1", "9" * 30], "-" + "9" * 30, "1" * 5000])
def test_coding_an_answer_with_an_id_too_big_for_the_database_is_refused_quietly(
    consultation, officer, themes
):
    theme = services.theme_create(consultation=consultation, name="Lighting")
    answer = Response.objects.first().answers.first()
    page = client_for(officer).post(
        reverse("consultation:answer_code", args=[consultation.slug, answer.pk]),
        {"themes": themes, "next": "/consultations/"},
    )
    assert page.status_code == 302
    assert theme not in answer.themes.all()

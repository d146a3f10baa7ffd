"""Equality answers and free text are shown together only for at least ten
people (analysis.EQUALITY_MINIMUM): an equality group combined with a search
or any other filter that leaves fewer shows no answers and says why, and no
count below ten."""

import pytest
from django.urls import reverse

from consultation import analysis, services
from consultation.models import Question, Section
from tests.conftest import client_for
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db

ADDRESS = "consultation:free_text"


@pytest.fixture
def consultation(partnership):
    return open_consultation(partnership)


def _respond(consultation, n, *, text, age_band, audience="public"):
    question = Question.objects.filter(
        section__consultation=consultation, kind=Question.Kind.TEXT,
        section__audience__in=Section.FOR_AUDIENCE[audience],
    ).first()
    for _ in range(n):
        services.response_submit(
            consultation=consultation, audience=audience, answers={str(question.pk): text},
            equality={"age_band": age_band},
        )


def _page(officer, consultation, **params):
    return client_for(officer).get(reverse(ADDRESS, args=[consultation.slug]), params)


def _world(consultation, matching):
    """`matching` people aged 25 to 34 mention lighting; 12 more of them
    write about buses (so the group itself is large); ten people of another
    age mention lighting too."""
    _respond(consultation, matching, text="Better street lighting", age_band="25_34")
    _respond(consultation, 12, text="More buses", age_band="25_34")
    _respond(consultation, 10, text="Street lighting please", age_band="35_44")


def test_a_search_within_an_equality_group_matching_nine_people_shows_nothing(
    consultation, officer
):
    _world(consultation, 9)
    page = _page(officer, consultation, q="lighting", group="age_band:25_34")
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["result_too_small"]
    assert page.context["items"] == []
    assert "Better street lighting" not in html and "Street lighting please" not in html
    assert "to protect respondents' identity" in html
    assert "Fewer than 10 people." in html
    assert " answers." not in html


def test_a_search_within_an_equality_group_matching_ten_people_shows_their_answers(
    consultation, officer
):
    _world(consultation, 10)
    page = _page(officer, consultation, q="lighting", group="age_band:25_34")
    assert not page.context["result_too_small"]
    assert [a.text for a, _ in page.context["items"]] == ["Better street lighting"] * 10
    assert "10 answers." in page.content.decode()


@pytest.mark.parametrize("outside, shown", [(9, False), (10, True), (0, True)])
def test_the_people_left_out_by_the_group_are_protected_as_well(
    consultation, officer, outside, shown
):
    # Comparing "lighting" with and without the group would show which
    # answers came from outside it: that side needs ten people too.
    _respond(consultation, 12, text="Better street lighting", age_band="25_34")
    _respond(consultation, outside, text="Street lighting please", age_band="35_44")
    _respond(consultation, 10, text="More buses", age_band="35_44")
    page = _page(officer, consultation, q="lighting", group="age_band:25_34")
    assert page.context["result_too_small"] is not shown
    assert len(page.context["items"]) == (12 if shown else 0)


@pytest.mark.parametrize("other_filter", ["question", "audience", "theme"])
def test_every_other_filter_combined_with_a_group_is_checked_the_same_way(
    consultation, officer, other_filter
):
    _world(consultation, 9)
    theme = services.theme_create(consultation=consultation, name="Lighting")
    lighting = analysis.free_text(consultation, search="lighting")
    for answer in lighting:
        services.answer_code(answer=answer, themes=[theme])
    question = lighting.first().question
    value = {"question": question.pk, "audience": "public", "theme": theme.pk}[other_filter]
    # 9 + 12 people in the group answered: with only the question or the
    # audience the group has 21 (shown); the theme leaves 9 (suppressed).
    page = _page(officer, consultation, group="age_band:25_34", **{other_filter: value})
    assert page.status_code == 200
    assert page.context["result_too_small"] is (other_filter == "theme")


def test_a_group_of_fewer_than_ten_people_is_not_used_as_a_filter(consultation, officer):
    _respond(consultation, 9, text="Better street lighting", age_band="25_34")
    _respond(consultation, 10, text="More buses", age_band="35_44")
    page = _page(officer, consultation, q="lighting", group="age_band:25_34")
    assert page.context["group_too_small"] and not page.context["result_too_small"]
    # The list is the one without the group: it says nothing about the group.
    assert len(page.context["items"]) == 9
    assert page.context["items"] == _page(officer, consultation, q="lighting").context["items"]


def test_free_text_is_narrowed_by_a_group_only_through_the_protected_read(consultation):
    _world(consultation, 9)
    answers, refused = analysis.free_text_for_group(
        consultation, search="lighting", equality_field="age_band", equality_value="25_34"
    )
    assert refused == analysis.RESULT_TOO_SMALL and not answers.exists()
    answers, refused = analysis.free_text_for_group(
        consultation, equality_field="age_band", equality_value="25_34"
    )
    assert refused == "" and analysis.respondents(answers) == 21

"""Whatever arrives in a public consultation form (a NUL byte, a huge value,
markup, several values for one field), the person gets a page, never a 500,
and nothing is stored from it."""

import pytest
from django.test import Client

from consultation import services
from consultation.models import Response
from tests.consultation.factories import open_consultation
from tests.consultation.walk import (
    answer_everything_as_public,
    answers_for_section,
    check_token,
    sections_for,
    url,
)

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "abc\x00def",
    "A" * 31 + "\x00",
    "x" * 100_000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\ud7ff\U0001f600",
    "",
]


@pytest.fixture
def consultation():
    return open_consultation()


@pytest.mark.parametrize("token", HOSTILE)
def test_a_hostile_token_on_the_check_page_asks_to_send_again_and_stores_nothing(
    consultation, token
):
    client = Client()
    answer_everything_as_public(client, consultation)
    page = client.post(url("respond_check", consultation), {"token": token})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your response has not been sent yet" in html
    assert "\x00" not in html
    assert not Response.objects.exists()
    # The page offers the journey's own token, so sending again works.
    token = check_token(client, consultation)
    sent = client.post(url("respond_check", consultation), {"token": token})
    assert sent.status_code == 302
    assert Response.objects.count() == 1


@pytest.mark.parametrize("token", HOSTILE)
def test_a_hostile_token_from_someone_who_has_not_started_sends_them_to_the_start(
    consultation, token
):
    page = Client().post(url("respond_check", consultation), {"token": token})
    assert page.status_code == 302
    assert page["Location"] == url("respond", consultation)


def test_several_tokens_in_one_post_are_refused_like_any_other_wrong_token(consultation):
    client = Client()
    answer_everything_as_public(client, consultation)
    page = client.post(url("respond_check", consultation), {"token": ["\x00", "other"]})
    assert page.status_code == 200
    assert not Response.objects.exists()


def test_only_tokens_the_service_could_have_made_are_looked_up():
    assert services.token_is_well_formed(services.new_token())
    for value in HOSTILE:
        assert not services.token_is_well_formed(value)


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "x" * 20_000])
def test_a_nul_byte_or_huge_value_in_any_public_form_field_gives_a_page(consultation, value):
    client = Client()
    start = client.post(url("respond", consultation),
                        {"audience": value, "organisation_name": value, "consent": value})
    assert start.status_code == 200 and "There is a problem" in start.content.decode()
    assert client.post(url("respond", consultation),
                       {"audience": "stakeholder", "organisation_name": value,
                        "consent": "on"}).status_code == 200
    client.post(url("respond", consultation), {"audience": "public", "consent": "on"})
    for number, section in enumerate(sections_for(consultation, "public"), start=1):
        hostile = {name: value for name in answers_for_section(consultation, section)}
        page = client.post(url("respond_step", consultation, number), hostile)
        assert page.status_code == 200, number
        assert "There is a problem" in page.content.decode()
    assert client.post(url("respond_comments", consultation),
                       {"c0": value, "general": value}).status_code in (200, 302)
    assert client.post(url("respond_about_you", consultation),
                       {"age_band": value, "sex": value, "postcode_district": value}
                       ).status_code == 200
    assert client.post(url("schools", consultation),
                       {"code": value, "age_band": value}).status_code == 200
    assert not Response.objects.exists()

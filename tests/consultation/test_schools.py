"""Pupils answer the young people's questions with a class code and give
no personal data."""

import pytest
from django.test import Client

from consultation import services
from consultation.models import Answer, DraftComment, EqualityResponse, Response
from tests.consultation.factories import open_consultation
from tests.consultation.walk import answers_for_section, sections_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return open_consultation()


@pytest.fixture
def code(consultation):
    return services.class_code_issue(consultation=consultation, school="Oak School",
                                     class_name="Year 9")


def _answer_as_pupil(client, consultation, code):
    page = client.post(url("schools", consultation),
                       {"code": code.code.lower(), "age_band": "14_15"})
    assert page.status_code == 302, page.content.decode()[:2000]
    for number, section in enumerate(sections_for(consultation, "young_people"), start=1):
        page = client.post(url("respond_step", consultation, number),
                           answers_for_section(consultation, section, text="More buses"))
        assert page.status_code == 302
    check = client.get(url("respond_check", consultation))
    return client.post(url("respond_check", consultation),
                       {"token": check.context["state"]["token"]})


def test_a_pupil_answers_with_a_class_code_and_gets_a_reference(consultation, code):
    client = Client()
    submitted = _answer_as_pupil(client, consultation, code)
    assert submitted.status_code == 302
    response = Response.objects.get()
    assert response.audience == "young_people"
    assert response.class_code == code
    assert response.age_band == "14_15"
    assert response.reference in client.get(submitted["Location"]).content.decode()


def test_a_young_persons_response_holds_no_personal_data(consultation, code):
    client = Client()
    _answer_as_pupil(client, consultation, code)
    # The comment and equality pages are skipped for pupils, even if visited.
    assert client.get(url("respond_about_you", consultation)).status_code == 302
    response = Response.objects.get()
    assert response.organisation_name == ""
    assert response.idempotency_token  # a random token, not a person
    assert not EqualityResponse.objects.exists()
    assert not DraftComment.objects.exists()
    personal = {"name", "email", "e-mail", "address", "date of birth"}
    field_names = {f.name for f in Response._meta.get_fields()}
    assert not personal & field_names
    # Only the young people's questions were stored.
    assert set(Answer.objects.values_list("question__section__audience", flat=True)) == {
        "young_people"}


def test_the_service_drops_equality_data_sent_for_a_young_person(consultation, code):
    response, _ = services.response_submit(
        consultation=consultation, audience="young_people", answers={}, class_code=code,
        equality={"sex": "female"}, organisation_name="A school", channel="school",
    )
    assert not EqualityResponse.objects.exists()
    assert response.organisation_name == ""


def test_a_wrong_or_withdrawn_class_code_is_refused(consultation, code):
    client = Client()
    page = client.post(url("schools", consultation), {"code": "WRONG1", "age_band": "14_15"})
    assert "That class code is not right" in page.content.decode()
    services.class_code_withdraw(class_code=code)
    page = client.post(url("schools", consultation), {"code": code.code, "age_band": "14_15"})
    assert "That class code is not right" in page.content.decode()


def test_a_code_for_another_consultation_is_refused(consultation):
    other = open_consultation()
    other_code = services.class_code_issue(consultation=other, school="Elm School")
    page = Client().post(url("schools", consultation),
                         {"code": other_code.code, "age_band": "11_13"})
    assert "That class code is not right" in page.content.decode()


def test_young_people_cannot_answer_online_without_a_class_code(consultation):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.response_submit(consultation=consultation, audience="young_people", answers={})

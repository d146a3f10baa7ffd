"""Pupils answer the young people's questions with a class code and give
no personal data."""

import pytest
from django.test import Client

from consultation import services
from consultation.models import Answer, DraftComment, EqualityResponse, Response
from consultation.views.public import _in_plain_words as kept_for
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
    assert page["Location"] == url("schools_privacy", consultation)
    page = client.post(page["Location"], {"consent": "on"})
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
    assert response.consent is True  # the pupil ticked the box on their notice
    assert response.reference in client.get(submitted["Location"]).content.decode()


def _start_with_code(client, consultation, code):
    return client.post(url("schools", consultation), {"code": code.code, "age_band": "11_13"})


def test_a_pupil_reads_a_short_plain_privacy_notice_before_the_questions(consultation, code):
    client = Client()
    assert _start_with_code(client, consultation, code)["Location"] == url(
        "schools_privacy", consultation)
    page = client.get(url("schools_privacy", consultation))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "<title>What happens to your answers: " in html
    for heading in ("What we ask", "No names", "Who reads your answers", "How long we keep them"):
        assert heading in html
    assert "do not ask for your name" in html
    assert consultation.partnership.name in html
    assert f"deleted {kept_for(consultation.retention_days)} after the survey closes" in html
    assert "Your teacher and your school do not see your answers" in html
    assert "I have read this and I am happy to answer the questions" in html


@pytest.mark.parametrize("days, words", [
    (3650, "10 years"), (365, "1 year"), (180, "about 6 months"), (28, "4 weeks"),
    (1, "1 day"), (30, "30 days"),
])
def test_the_pupils_notice_says_how_long_answers_are_kept_in_plain_words(days, words):
    assert kept_for(days) == words


def test_a_pupil_who_does_not_tick_the_box_is_asked_again_and_cannot_answer(consultation, code):
    client = Client()
    _start_with_code(client, consultation, code)
    page = client.post(url("schools_privacy", consultation), {})
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert "Tick the box if you are happy to answer the questions" in html
    assert "<title>Error: What happens to your answers" in html
    for name, args in (("respond_step", (1,)), ("respond_check", ())):
        page = client.get(url(name, consultation, *args))
        assert page.status_code == 302 and page["Location"] == url(
            "schools_privacy", consultation)
    page = client.post(url("respond_check", consultation), {"token": "x" * 32})
    assert page["Location"] == url("schools_privacy", consultation)
    assert not Response.objects.exists()


def test_the_pupils_notice_without_a_class_code_sends_them_to_enter_one(consultation):
    page = Client().get(url("schools_privacy", consultation))
    assert page.status_code == 302 and page["Location"] == url("schools", consultation)
    adult = Client()
    adult.post(url("respond", consultation), {"audience": "public", "consent": "on"})
    page = adult.get(url("schools_privacy", consultation))
    assert page.status_code == 302 and page["Location"] == url("schools", consultation)


def test_pupils_responses_stored_before_they_were_asked_record_consent_as_not_asked(
    consultation, code
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("consultation.migrations.0003_response_consent_asked")
    pupil, _ = services.response_submit(
        consultation=consultation, audience="young_people", answers={}, class_code=code,
        channel="school", consent=True,
    )
    adult, _ = services.response_submit(
        consultation=consultation, audience="public", answers={}, consent=True)
    migration.pupils_were_not_asked(apps, None)
    pupil.refresh_from_db()
    adult.refresh_from_db()
    assert pupil.consent is None
    assert adult.consent is True


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

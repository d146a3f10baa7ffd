"""A Welsh partnership's response journey read in Welsh, from the first
page to the receipt."""

import pytest
from django.core import mail
from django.test import Client

from consultation.models import Question, Response
from tests.consultation.walk import answer_everything_as_public, sections_for, url

pytestmark = pytest.mark.django_db


def test_the_whole_journey_in_welsh_with_a_welsh_receipt(
    welsh_consultation, django_capture_on_commit_callbacks
):
    client = Client()
    start = client.get(url("respond", welsh_consultation) + "?lang=cy")
    html = start.content.decode()
    assert '<html lang="cy"' in html
    assert "Cyn i chi ddechrau" in html and "Parhau" in html
    answer_everything_as_public(client, welsh_consultation)
    check = client.get(url("respond_check", welsh_consultation))
    assert "Gwirio eich atebion cyn anfon" in check.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url("respond_check", welsh_consultation),
                           {"token": check.context["state"]["token"],
                            "receipt_email": "person@example.org"})
    assert sent.status_code == 302
    response = Response.objects.get()
    assert response.language == "cy"
    confirmation = client.get(sent["Location"]).content.decode()
    assert "Ymateb wedi’i anfon" in confirmation and response.reference in confirmation
    assert len(mail.outbox) == 1
    assert "Diolch am eich ymateb" in mail.outbox[0].body
    assert mail.outbox[0].subject.endswith(response.reference)


def test_form_errors_are_in_welsh(welsh_consultation):
    client = Client()
    page = client.post(url("respond", welsh_consultation) + "?lang=cy", {})
    html = page.content.decode()
    assert "Mae problem" in html
    assert "Cadarnhewch eich bod wedi darllen yr hysbysiad preifatrwydd" in html


def test_wording_entered_in_welsh_shows_and_english_fills_the_gaps_with_lang_en(
    welsh_consultation
):
    question = Question.objects.filter(
        section__consultation=welsh_consultation,
        kind__in=[Question.Kind.SINGLE, Question.Kind.MULTIPLE],
        section__audience__in=["all", "adults"],
    ).first()
    assert question is not None
    question.translations = {"cy": {"text": "Pa un sydd bwysicaf?",
                                    "choices": [f"Opsiwn {i}" for i in
                                                range(1, len(question.choices))]}}
    question.save()
    welsh_consultation.translations = {"cy": {"title": "Dweud eich dweud"}}
    welsh_consultation.save()
    client = Client()
    client.post(url("respond", welsh_consultation) + "?lang=cy",
                {"audience": "public", "consent": "on"})
    number = next(i for i, s in enumerate(sections_for(welsh_consultation, "public"), start=1)
                  if s.pk == question.section_id)
    html = client.get(url("respond_step", welsh_consultation, number)).content.decode()
    assert "Pa un sydd bwysicaf?" in html
    assert "Opsiwn 1" in html
    # The last option has no Welsh: its English label is marked as English.
    assert f'lang="en">{question.choices[-1]}</label>' in html
    assert "Dweud eich dweud" in html

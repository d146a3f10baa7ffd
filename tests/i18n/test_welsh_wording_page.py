"""The officers' "Welsh version" page of a consultation: the English shown,
the Welsh saved into `translations` and read on the public journey."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation.models import Question, Section
from tests import factories
from tests.consultation.walk import url

pytestmark = pytest.mark.django_db


def _page(consultation, code="cy"):
    return reverse("consultation:translation", args=[consultation.slug, code])


def _officer_client(partnership):
    client = Client()
    client.force_login(factories.MembershipFactory(partnership=partnership).user)
    return client


def _choice_question(consultation):
    return Question.objects.filter(
        section__consultation=consultation,
        kind__in=[Question.Kind.SINGLE, Question.Kind.MULTIPLE],
        section__audience__in=["all", "adults"],
    ).order_by("section__order", "order", "pk").first()


def _form_data(page) -> dict:
    form = page.context["form"]
    return {name: form.initial.get(name, "") for name in form.fields}


def test_officers_see_the_english_beside_welsh_boxes_and_a_link_in_the_nav(welsh_consultation):
    client = _officer_client(welsh_consultation.partnership)
    page = client.get(_page(welsh_consultation))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1 class=\"govuk-heading-l\">Welsh version</h1>" in html
    assert f'English: <span lang="en">{welsh_consultation.title}</span>' in html
    assert 'name="consultation-title"' in html and 'lang="cy"' in html
    overview = client.get(reverse("consultation:manage", args=[welsh_consultation.slug]))
    assert _page(welsh_consultation) in overview.content.decode()


def test_saved_welsh_wording_is_what_welsh_readers_see_on_the_journey(welsh_consultation):
    client = _officer_client(welsh_consultation.partnership)
    question = _choice_question(welsh_consultation)
    section = question.section
    data = _form_data(client.get(_page(welsh_consultation)))
    data["consultation-title"] = "Dweud eich dweud"
    data[f"section-{section.pk}-title"] = "Eich barn"
    data[f"question-{question.pk}-text"] = "Pa un sydd bwysicaf i chi?"
    for i in range(len(question.choices)):
        data[f"question-{question.pk}-choice-{i}"] = f"Dewis {i + 1}"
    saved = client.post(_page(welsh_consultation), data)
    assert saved.status_code == 302
    question.refresh_from_db()
    assert question.translations["cy"]["text"] == "Pa un sydd bwysicaf i chi?"
    assert question.translations["cy"]["choices"][0] == "Dewis 1"
    assert "hint" not in question.translations["cy"]  # left empty: the English shows

    reader = Client()
    start = reader.get(url("respond", welsh_consultation) + "?lang=cy").content.decode()
    assert "Dweud eich dweud" in start
    reader.post(url("respond", welsh_consultation), {"audience": "public", "consent": "on"})
    html = reader.get(_step_url(welsh_consultation, section)).content.decode()
    assert "Pa un sydd bwysicaf i chi?" in html and "Dewis 1" in html
    english = reader.get(_step_url(welsh_consultation, section) + "?lang=en").content.decode()
    assert "Pa un sydd bwysicaf i chi?" not in english and question.text in english


def _step_url(consultation, section):
    from tests.consultation.walk import sections_for

    number = [s.pk for s in sections_for(consultation, "public")].index(section.pk) + 1
    return reverse("consultation:respond_step", args=[consultation.slug, number])


def test_emptying_a_box_brings_back_the_english(welsh_consultation):
    welsh_consultation.translations = {"cy": {"title": "Dweud eich dweud"}}
    welsh_consultation.save()
    client = _officer_client(welsh_consultation.partnership)
    data = _form_data(client.get(_page(welsh_consultation)))
    assert data["consultation-title"] == "Dweud eich dweud"
    data["consultation-title"] = "  "
    assert client.post(_page(welsh_consultation), data).status_code == 302
    welsh_consultation.refresh_from_db()
    assert welsh_consultation.translations == {}


def test_too_long_wording_is_refused_beside_its_box(welsh_consultation):
    client = _officer_client(welsh_consultation.partnership)
    question = _choice_question(welsh_consultation)
    data = _form_data(client.get(_page(welsh_consultation)))
    data[f"question-{question.pk}-text"] = "x" * 301
    page = client.post(_page(welsh_consultation), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Question must be 300 characters or fewer (it is 301)" in html
    assert f'href="#id_question-{question.pk}-text"' in html
    question.refresh_from_db()
    assert question.translations == {}


def test_options_must_match_the_english_in_number(welsh_consultation):
    from django.core.exceptions import ValidationError

    from consultation.translations import Wording, consultation_translation_save

    question = _choice_question(welsh_consultation)
    wording = Wording(consultation={}, sections={},
                      questions={question.pk: {"choices": ["Un"] * (len(question.choices) + 1)}})
    with pytest.raises(ValidationError) as refused:
        consultation_translation_save(consultation=welsh_consultation, language="cy",
                                      wording=wording)
    assert f"question-{question.pk}-choices" in refused.value.message_dict


def test_two_options_may_not_read_the_same(welsh_consultation):
    client = _officer_client(welsh_consultation.partnership)
    question = _choice_question(welsh_consultation)
    data = _form_data(client.get(_page(welsh_consultation)))
    data[f"question-{question.pk}-choice-0"] = "Yr un peth"
    data[f"question-{question.pk}-choice-1"] = "Yr un peth"
    page = client.post(_page(welsh_consultation), data)
    assert page.status_code == 200
    assert "Enter each option only once" in page.content.decode()


def test_hostile_input_is_refused_without_a_server_error(welsh_consultation):
    client = _officer_client(welsh_consultation.partnership)
    section = Section.objects.filter(consultation=welsh_consultation).first()
    for data in (
        {"consultation-title": "\x00"},
        {"consultation-summary": "<script>alert(1)</script>" * 1000},
        {f"section-{section.pk}-title": ["a", "b"], "question-999999-text": "x"},
        {"consultation-title": "😀" * 200, f"section-{section.pk}-intro": "\u202e" * 50},
    ):
        page = client.post(_page(welsh_consultation), data)
        assert page.status_code in (200, 302), data
    assert client.get(_page(welsh_consultation, "xx")).status_code == 404
    assert client.get(_page(welsh_consultation) + "?lang=\x00").status_code == 200


def test_no_page_for_a_partnership_that_offers_only_english(english_consultation):
    client = _officer_client(english_consultation.partnership)
    assert client.get(_page(english_consultation)).status_code == 404
    overview = client.get(reverse("consultation:manage", args=[english_consultation.slug]))
    assert "Welsh version" not in overview.content.decode()


def test_another_partnerships_officer_gets_not_found_and_visitors_are_sent_to_sign_in(
    welsh_consultation
):
    other = factories.PartnershipFactory(public_languages=["en-gb", "cy"])
    outsider = _officer_client(other)
    assert outsider.get(_page(welsh_consultation)).status_code == 404
    assert outsider.post(_page(welsh_consultation),
                         {"consultation-title": "Hacio"}).status_code == 404
    welsh_consultation.refresh_from_db()
    assert welsh_consultation.translations == {}
    anonymous = Client().get(_page(welsh_consultation))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/sign-in/")


def test_a_partner_officer_of_the_partnership_is_refused(welsh_consultation):
    from partnerships.models import Membership

    client = Client()
    client.force_login(factories.MembershipFactory(
        partnership=welsh_consultation.partnership, role=Membership.Role.PARTNER,
    ).user)
    assert client.get(_page(welsh_consultation)).status_code == 403


def test_the_page_queries_do_not_grow_with_the_questions(welsh_consultation):
    client = _officer_client(welsh_consultation.partnership)
    client.get(_page(welsh_consultation))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_page(welsh_consultation)).status_code == 200
        return len(captured)

    before = queries()
    section = Section.objects.filter(consultation=welsh_consultation).first()
    rows = Question.objects.filter(section__consultation=welsh_consultation).count()
    for i in range(rows):
        Question.objects.create(section=section, kind=Question.Kind.SINGLE, text=f"Extra {i}",
                                choices=["A", "B"], order=100 + i)
    assert queries() == before

"""A member of the public answers without an account or JavaScript; nothing
they type is lost, one submission is one response, and a consultation that
is not open refuses politely."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from consultation.models import Answer, DraftComment, EqualityResponse, Response
from tests.consultation.factories import open_consultation
from tests.consultation.walk import (
    answer_everything_as_public,
    answers_for_section,
    check_token,
    sections_for,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return open_consultation()


def test_a_member_of_the_public_answers_every_page_and_gets_a_reference_number(consultation):
    client = Client()
    answer_everything_as_public(client, consultation)
    page = client.get(url("respond_check", consultation))
    assert page.status_code == 200
    assert "Check your answers before sending them" in page.content.decode()
    submitted = client.post(url("respond_check", consultation),
                            {"token": page.context["state"]["token"]})
    assert submitted.status_code == 302
    assert submitted["Location"] == url("respond_confirmation", consultation)

    response = Response.objects.get()
    assert response.channel == "online" and response.audience == "public"
    code = consultation.partnership.short_code
    assert response.reference.startswith(f"{code}-")
    assert len(response.reference) == len(code) + 10
    assert response.answers.filter(question__kind="safety").count() == 2
    assert response.answers.filter(question__kind="ranking").count() == 3
    assert DraftComment.objects.get().text == "Good priority"
    equality = EqualityResponse.objects.get()
    assert (equality.age_band, equality.sex, equality.postcode_district) == (
        "25_34", "female", "MK9")

    confirmation = client.get(submitted["Location"])
    assert response.reference in confirmation.content.decode()


def test_the_response_is_in_the_database_before_the_confirmation_page_is_shown(consultation):
    client = Client()
    answer_everything_as_public(client, consultation)
    token = check_token(client, consultation)
    client.post(url("respond_check", consultation), {"token": token})
    # The POST alone stored it: the confirmation page is a plain GET afterwards.
    assert Response.objects.filter(idempotency_token=token).exists()


def test_answers_survive_a_validation_error_on_a_later_page(consultation):
    client = Client()
    client.post(url("respond", consultation), {"audience": "public", "consent": "on"})
    first, second = sections_for(consultation, "public")
    client.post(url("respond_step", consultation, 1),
                answers_for_section(consultation, first, text="Lighting on the redways"))

    too_long = answers_for_section(consultation, second, text="x" * 1001)
    page = client.post(url("respond_step", consultation, 2), too_long)
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert "Your answer must be 1000 characters or fewer" in html
    assert page.context["form"].errors
    assert "x" * 1001 in html  # what was typed is shown again, not lost
    assert "Error: " in html.split("<title>")[1].split("</title>")[0]

    # Page 1's answers are still there when the person goes back.
    back = client.get(url("respond_step", consultation, 1))
    assert "Lighting on the redways" in back.content.decode()

    client.post(url("respond_step", consultation, 2), answers_for_section(consultation, second))
    client.post(url("respond_comments", consultation), {})
    client.post(url("respond_about_you", consultation), {})
    client.post(url("respond_check", consultation), {"token": check_token(client, consultation)})
    response = Response.objects.get()
    assert response.answers.filter(text="Lighting on the redways").exists()
    assert not EqualityResponse.objects.exists()


def test_a_missing_required_answer_is_sent_back_to_its_page(consultation):
    client = Client()
    client.post(url("respond", consultation), {"audience": "public", "consent": "on"})
    page = client.post(url("respond_step", consultation, 1), {})
    assert page.status_code == 200
    assert "Select an answer to" in page.content.decode()
    check = client.get(url("respond_check", consultation))
    assert check.context["missing"]
    refused = client.post(url("respond_check", consultation),
                          {"token": check.context["state"]["token"]})
    assert refused.status_code == 200
    assert not Response.objects.exists()


def test_consent_to_the_privacy_notice_is_needed_to_start(consultation):
    page = Client().post(url("respond", consultation), {"audience": "public"})
    assert page.status_code == 200
    assert "Confirm that you have read the privacy notice" in page.content.decode()


def test_a_double_click_or_back_and_resubmit_creates_one_response(consultation):
    client = Client()
    answer_everything_as_public(client, consultation)
    token = check_token(client, consultation)
    first = client.post(url("respond_check", consultation), {"token": token})
    second = client.post(url("respond_check", consultation), {"token": token})
    assert first.status_code == second.status_code == 302
    assert Response.objects.count() == 1
    assert Answer.objects.filter(response__isnull=False).count() == Answer.objects.count()
    # The second submission shows the same reference.
    confirmation = client.get(second["Location"])
    assert Response.objects.get().reference in confirmation.content.decode()


def test_the_service_returns_the_first_response_for_a_repeated_token(consultation):
    from consultation.services import new_token, response_submit

    token = new_token()
    first, created = response_submit(consultation=consultation, audience="public", answers={},
                                     token=token)
    again, created_again = response_submit(consultation=consultation, audience="public",
                                           answers={}, token=token)
    assert created and not created_again and first.pk == again.pk


def test_the_honeypot_refuses_an_automated_submission(consultation):
    client = Client()
    answer_everything_as_public(client, consultation)
    token = check_token(client, consultation)
    page = client.post(url("respond_check", consultation), {"token": token, "website": "spam"})
    assert page.status_code == 400
    assert not Response.objects.exists()


def test_a_closed_consultation_refuses_a_submission_with_a_clear_page(consultation):
    client = Client()
    answer_everything_as_public(client, consultation)
    token = check_token(client, consultation)
    consultation.closes_at = timezone.now() - dt.timedelta(minutes=1)
    consultation.save(update_fields=["closes_at"])
    page = client.post(url("respond_check", consultation), {"token": token})
    assert page.status_code == 403
    assert "This consultation has closed" in page.content.decode()
    assert not Response.objects.exists()
    for name in ("respond", "schools"):
        shown = client.get(url(name, consultation))
        assert "This consultation has closed" in shown.content.decode()


def test_a_consultation_not_yet_open_refuses_a_submission_with_a_clear_page():
    consultation = open_consultation(opens_at=timezone.now() + dt.timedelta(days=3))
    assert consultation.effective_status == "scheduled"
    client = Client()
    page = client.post(url("respond", consultation), {"audience": "public", "consent": "on"})
    assert page.status_code == 403
    assert "This consultation is not open yet" in page.content.decode()
    page = client.post(url("respond_check", consultation), {"token": "anything"})
    assert page.status_code == 403
    assert not Response.objects.exists()


def test_the_service_refuses_online_responses_to_a_closed_consultation(consultation):
    from django.core.exceptions import ValidationError

    from consultation.services import response_submit

    consultation.closes_at = timezone.now() - dt.timedelta(seconds=1)
    consultation.save(update_fields=["closes_at"])
    with pytest.raises(ValidationError):
        response_submit(consultation=consultation, audience="public", answers={})


def test_a_draft_consultation_is_not_public():
    from consultation import services
    from tests import factories

    strategy = factories.StrategyFactory()
    draft = services.consultation_create(
        strategy=strategy, title="Draft", slug="draft-one", summary="S",
        opens_at=timezone.now(),
    )
    assert Client().get(url("detail", draft)).status_code == 404
    assert Client().get(url("respond", draft)).status_code == 404


def test_the_rate_limit_answers_429_with_a_readable_page(consultation, settings):
    settings.CONSULTATION_SUBMIT_RATE = "2/h"
    client = Client()
    answer_everything_as_public(client, consultation)
    for _ in range(2):
        client.post(url("respond_check", consultation), {"token": "not-the-token"})
    page = client.post(url("respond_check", consultation), {"token": "not-the-token"})
    assert page.status_code == 429
    html = page.content.decode()
    assert "too many attempts" in html
    assert html.count("<h1") == 1
    assert not Response.objects.exists()


def test_the_rate_limit_counts_per_address(consultation, settings):
    settings.CONSULTATION_PAGE_RATE = "1/h"
    first = Client(REMOTE_ADDR="10.0.0.1")
    second = Client(REMOTE_ADDR="10.0.0.2")
    data = {"audience": "public", "consent": "on"}
    assert first.post(url("respond", consultation), data).status_code == 302
    assert first.post(url("respond", consultation), data).status_code == 429
    assert second.post(url("respond", consultation), data).status_code == 302


def test_a_page_without_a_journey_sends_people_to_the_start(consultation):
    page = Client().get(url("respond_step", consultation, 1))
    assert page.status_code == 302 and page["Location"] == url("respond", consultation)


def test_the_detail_page_shows_the_frozen_draft_and_how_data_is_used(consultation):
    priority = consultation.strategy.priorities.first()
    priority.title = "Changed after the draft was frozen"
    priority.save()
    html = Client().get(url("detail", consultation)).content.decode()
    assert "Changed after the draft was frozen" not in html
    assert consultation.version.content["priorities"][0]["title"] in html
    assert "How we use your answers" in html
    assert "Respond to this consultation" in html


def test_the_list_shows_open_then_upcoming_then_closed_consultations():
    now = timezone.now()
    closed = open_consultation(title="Closed one", opens_at=now - dt.timedelta(days=100),
                               closes_at=now - dt.timedelta(days=1))
    upcoming = open_consultation(title="Upcoming one", opens_at=now + dt.timedelta(days=5))
    open_one = open_consultation(title="Open one")
    page = Client().get("/consultations/")
    assert page.context["consultations"] == [open_one, upcoming, closed]
    # Searching, filtering and pages: tests/consultation/test_public_list.py.


def test_public_pages_make_the_same_number_of_queries_with_twice_the_responses(
    consultation,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consultation.services import response_submit

    def counts():
        client = Client()
        answer_everything_as_public(client, consultation)
        result = []
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/consultations/").status_code == 200
        result = [len(ctx)]
        for name, args in (("detail", ()), ("respond", ()),
                           ("respond_step", (1,)), ("respond_step", (2,)),
                           ("respond_comments", ()), ("respond_about_you", ()),
                           ("respond_check", ()), ("schools", ()), ("results", ())):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url(name, consultation, *args)).status_code == 200
            result.append(len(ctx))
        return result

    for _ in range(5):
        response_submit(consultation=consultation, audience="public", answers={})
    before = counts()
    for _ in range(10):
        response_submit(consultation=consultation, audience="public", answers={})
    assert counts() == before
    assert max(before) <= 12

"""Save and come back later: a link, shown on screen and e-mailed if asked,
that restores answers in progress once, without an account. A used,
expired or changed link gets a clear page and changes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.test import Client, override_settings
from django.utils import timezone

from consultation import saved, tasks
from consultation.models import Consultation, Response, SavedJourney
from tests.consultation.factories import open_consultation
from tests.consultation.walk import answers_for_section, check_token, sections_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(partnership):
    return open_consultation(partnership)


def _start(client, consultation):
    client.post(url("respond", consultation), {"audience": "public", "consent": "on"})


def _save_on_step_one(client, consultation, text="Brighter subways"):
    _start(client, consultation)
    first = sections_for(consultation, "public")[0]
    data = {**answers_for_section(consultation, first, text=text), "save_later": "1"}
    return client.post(url("respond_step", consultation, 1), data)


def _link(client, consultation) -> str:
    page = client.get(url("respond_saved", consultation))
    assert page.status_code == 200
    found = re.search(r'id="saved-link" href="http://testserver(/[^"]+)"', page.content.decode())
    return found.group(1)


def test_saving_shows_a_link_that_brings_the_answers_back_in_another_browser(consultation):
    first = Client()
    saved_page = _save_on_step_one(first, consultation)
    assert saved_page.status_code == 302
    assert saved_page["Location"] == url("respond_saved", consultation)
    link = _link(first, consultation)
    html = first.get(url("respond_saved", consultation)).content.decode()
    assert "Your answers are saved" in html and "It works once" in html

    later = Client()  # no session: another day, another device
    opened = later.get(link)
    assert opened.status_code == 200
    assert "Carry on with your answers" in opened.content.decode()
    restored = later.post(link)
    assert restored.status_code == 302
    assert restored["Location"] == url("respond_step", consultation, 1)
    assert "Brighter subways" in later.get(restored["Location"]).content.decode()

    # The person finishes from there; the response holds the saved answer.
    second = sections_for(consultation, "public")[1]
    later.post(url("respond_step", consultation, 2), answers_for_section(consultation, second))
    later.post(url("respond_comments", consultation), {})
    later.post(url("respond_about_you", consultation), {})
    later.post(url("respond_check", consultation), {"token": check_token(later, consultation)})
    assert Response.objects.get().answers.filter(text="Brighter subways").exists()
    assert SavedJourney.objects.get().state == {}


def test_opening_the_link_uses_nothing_up_until_the_button_is_pressed(consultation):
    client = Client()
    _save_on_step_one(client, consultation)
    link = _link(client, consultation)
    for _ in range(3):
        assert Client().get(link).status_code == 200  # a mail scanner, say
    assert SavedJourney.objects.get().used_at is None


def test_a_link_used_once_restores_nothing_the_second_time(consultation):
    client = Client()
    _save_on_step_one(client, consultation)
    link = _link(client, consultation)
    assert Client().post(link).status_code == 302
    other = Client()
    _start(other, consultation)  # someone else's answers in progress stay theirs
    again = other.post(link)
    assert again.status_code == 410
    assert "This link has already been used" in again.content.decode()
    page = other.get(url("respond_step", consultation, 1)).content.decode()
    assert "Brighter subways" not in page
    # Once the sweep has deleted the used answers, the page says the same.
    saved.saved_journeys_sweep()
    assert not SavedJourney.objects.exists()
    gone = Client().post(link)
    assert gone.status_code == 410 and "already been used" in gone.content.decode()


def test_an_expired_link_says_so_and_restores_nothing(consultation, settings, monkeypatch):
    client = Client()
    _save_on_step_one(client, consultation)
    link = _link(client, consultation)
    later = timezone.now().timestamp() + settings.CONSULTATION_SAVED_DAYS * 86400 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    fresh = Client()
    response = fresh.post(link)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert SavedJourney.objects.get().used_at is None


def test_saved_answers_expire_when_the_consultation_closes(consultation):
    closes = timezone.now() + dt.timedelta(days=2)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=closes)
    consultation.refresh_from_db()
    client = Client()
    _save_on_step_one(client, consultation)
    assert SavedJourney.objects.get().expires_at == closes
    link = _link(client, consultation)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1))
    closed = Client().post(link)
    assert closed.status_code == 403  # the consultation's own "not open" page
    assert SavedJourney.objects.get().used_at is None
    saved.saved_journeys_sweep(now=closes + dt.timedelta(minutes=1))
    assert not SavedJourney.objects.exists()


@pytest.mark.parametrize("change", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: "not-a-token",
    lambda t: "y" * 5000,
])
def test_a_changed_link_gets_a_clear_page_and_changes_nothing(consultation, change):
    client = Client()
    _save_on_step_one(client, consultation)
    link = _link(client, consultation)
    token = link.rstrip("/").rsplit("/", 1)[1]
    bad = url("respond_continue", consultation, "TOKEN").replace("TOKEN", change(token))
    for method in (Client().get, Client().post):
        response = method(bad)
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert SavedJourney.objects.get().used_at is None


def test_a_link_only_works_on_its_own_consultation(consultation, partnership):
    client = Client()
    _save_on_step_one(client, consultation)
    link = _link(client, consultation)
    other = open_consultation(partnership)
    moved = link.replace(f"/consultations/{consultation.slug}/", f"/consultations/{other.slug}/")
    assert Client().post(moved).status_code == 410
    assert SavedJourney.objects.get().used_at is None


def test_two_uses_at_the_same_moment_restore_once(consultation):
    client = Client()
    _save_on_step_one(client, consultation)
    token = _link(client, consultation).rstrip("/").rsplit("/", 1)[1]
    found, state = saved.journey_restore(consultation=consultation, token=token)
    assert state and state["answers"]
    again, nothing = saved.journey_restore(consultation=consultation, token=token)
    assert again.problem == "used" and nothing is None


def test_a_page_with_mistakes_is_not_saved(consultation):
    client = Client()
    _start(client, consultation)
    second = sections_for(consultation, "public")[1]
    data = {**answers_for_section(consultation, second, text="x" * 1001), "save_later": "1"}
    page = client.post(url("respond_step", consultation, 2), data)
    assert page.status_code == 200 and "There is a problem" in page.content.decode()
    assert not SavedJourney.objects.exists()


def test_each_page_of_questions_can_be_saved(consultation):
    client = Client()
    _start(client, consultation)
    for name in ("respond_comments", "respond_about_you"):
        page = client.post(url(name, consultation), {"save_later": "1"})
        assert page.status_code == 302 and page["Location"] == url("respond_saved", consultation)
    assert [s.resume_path for s in SavedJourney.objects.all()] == [
        url("respond_comments", consultation), url("respond_about_you", consultation)]
    html = client.get(url("respond_step", consultation, 1)).content.decode()
    assert "Save and come back later" in html


def test_the_saved_page_without_saving_first_says_there_is_nothing(consultation):
    page = Client().get(url("respond_saved", consultation))
    assert page.status_code == 200
    assert "There are no saved answers to show" in page.content.decode()


# The link by e-mail ------------------------------------------------------------------


def test_the_link_is_emailed_by_the_worker_and_the_address_then_blanked(
    consultation, on_commit_at_once
):
    client = Client()
    _save_on_step_one(client, consultation)
    page = client.post(url("respond_saved", consultation), {"email": "later@example.org"})
    assert page.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["later@example.org"]
    assert consultation.partnership.name in message.subject
    path = re.search(r"https?://[^/\s]+(/\S+/respond/continue/\S+/)", message.body).group(1)
    assert SavedJourney.objects.get().email == ""
    assert "We are e-mailing you the link" in client.get(url("respond_saved", consultation)
                                                          ).content.decode()
    assert Client().post(path).status_code == 302


def test_with_the_broker_down_the_sweep_sends_the_link_once(
    consultation, monkeypatch, on_commit_at_once
):
    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.saved_link_send, "delay", refuse)
    client = Client()
    _save_on_step_one(client, consultation)
    assert client.post(url("respond_saved", consultation),
                       {"email": "later@example.org"}).status_code == 302
    assert not mail.outbox and SavedJourney.objects.get().email == "later@example.org"
    later = timezone.now() + saved.SWEEP_GRACE + dt.timedelta(minutes=1)
    assert saved.saved_journeys_sweep(now=later) == 1
    assert saved.saved_journeys_sweep(now=later) == 0
    assert len(mail.outbox) == 1 and SavedJourney.objects.get().email == ""


@pytest.mark.parametrize("email, message", [
    ("", "Enter your e-mail address"),
    ("nope", "Enter an e-mail address like name@example.org"),
])
def test_a_wrong_address_for_the_link_is_named_next_to_the_field(consultation, email, message):
    client = Client()
    _save_on_step_one(client, consultation)
    page = client.post(url("respond_saved", consultation), {"email": email})
    html = page.content.decode()
    assert page.status_code == 200 and "<title>Error: " in html
    assert message in html and "govuk-error-message" in html
    assert not mail.outbox and SavedJourney.objects.get().email == ""


@override_settings(CONSULTATION_EMAIL_RATE="1/h")
def test_emailing_the_link_is_rate_limited(consultation):
    client = Client()
    _save_on_step_one(client, consultation)
    client.post(url("respond_saved", consultation), {"email": "later@example.org"})
    page = client.post(url("respond_saved", consultation), {"email": "later@example.org"})
    assert page.status_code == 429

"""Signed-in people are signed out after a spell without activity and told
why; activity keeps them signed in; anonymous sessions keep their expiry."""

import time

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from safermk.session_timeout import LAST_SEEN, idle_timeout_text
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def _last_seen_minutes_ago(client, minutes):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - minutes * 60
    session.save()


def test_a_signed_in_session_lasts_the_idle_timeout_not_fourteen_days(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    _sign_in(client, officer)
    client.get(reverse("dashboard:home"))
    age = client.session.get_expiry_age()
    # Two hours, and a day in which a returning person is told why they were signed out.
    assert age == (120 + 24 * 60) * 60
    assert age < django_settings.SESSION_COOKIE_AGE


def test_after_two_hours_without_activity_the_next_page_signs_the_person_out(
    client, officer, settings
):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    _sign_in(client, officer)
    _last_seen_minutes_ago(client, 121)

    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=%2Fdashboard%2F"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "You were signed out after 2 hours without activity." in html
    assert "govuk-notification-banner" in html
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_activity_within_the_timeout_keeps_the_person_signed_in(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    _sign_in(client, officer)
    _last_seen_minutes_ago(client, 119)
    assert client.get(reverse("dashboard:home")).status_code == 200
    # That request counted as activity: the clock starts again.
    assert int(time.time()) - client.session[LAST_SEEN] < 5
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_a_form_posted_after_the_timeout_is_not_acted_on(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    _sign_in(client, officer)
    _last_seen_minutes_ago(client, 31)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "You were signed out after 30 minutes without activity." in client.get(
        reverse("login")
    ).content.decode()


def test_anonymous_sessions_keep_the_expiry_their_views_set(client):
    session = client.session
    session["answers"] = {"q1": "yes"}
    session.set_expiry(24 * 60 * 60)
    session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key

    client.get(reverse("home"))
    stored = SessionStore(session_key=session.session_key)
    assert stored["answers"] == {"q1": "yes"}
    assert stored.get_expiry_age() == 24 * 60 * 60
    assert LAST_SEEN not in stored


def test_the_timeout_reads_in_hours_or_minutes():
    assert idle_timeout_text(120) == "2 hours"
    assert idle_timeout_text(60) == "1 hour"
    assert idle_timeout_text(90) == "90 minutes"
    assert idle_timeout_text(1) == "1 minute"


# The warning before the sign-out (WCAG 2.2.1) ----------------------------------


def test_a_signed_in_page_carries_the_warning_with_the_time_left(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 300
    _sign_in(client, officer)
    _last_seen_minutes_ago(client, 30)  # written back only once a minute

    html = client.get(reverse("strategy:list")).content.decode()

    assert 'id="smk-timeout"' in html and "Stay signed in" in html
    remaining = int(html.split('data-remaining-seconds="')[1].split('"')[0])
    assert 120 * 60 - 61 <= remaining <= 120 * 60
    assert 'data-warning-seconds="300"' in html
    assert "js/timeout-warning.js" in html


def test_public_pages_for_people_not_signed_in_carry_no_warning(client):
    assert 'id="smk-timeout"' not in client.get(reverse("home")).content.decode()


def test_asking_the_time_left_is_not_activity(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    _sign_in(client, officer)
    _last_seen_minutes_ago(client, 117)

    response = client.get(reverse("session_time"))

    assert response["Content-Type"] == "application/json"
    assert 179 - 2 <= response.json()["remaining"] <= 180
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # Still 3 minutes left: the check did not restart the clock.
    assert client.get(reverse("session_time")).json()["remaining"] <= 180


def test_staying_signed_in_restarts_the_clock(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    _sign_in(client, officer)
    _last_seen_minutes_ago(client, 117)

    response = client.post(reverse("session_time"))

    assert response.json()["remaining"] == 120 * 60
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_staying_signed_in_needs_the_form_token(officer, settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(reverse("session_time")).status_code == 403


def test_after_the_time_is_up_the_check_says_none_is_left(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    _sign_in(client, officer)
    _last_seen_minutes_ago(client, 121)
    # The middleware signs out on this very request; the answer is 0.
    assert client.get(reverse("session_time")).json() == {"remaining": 0}
    assert client.get(reverse("session_time")).json() == {"remaining": 0}
    # The page the warning reloads then says why.
    page = client.get(reverse("dashboard:home"), follow=True)
    assert "You were signed out after 2 hours without activity." in page.content.decode()

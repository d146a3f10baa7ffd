"""A forgotten password is reset by e-mail: the same answer whether or not
the address has an account, a link that works once and for a day, and a new
password that also ends any sign-in lock-out."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh long passphrase 2026"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _request_link(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def _link_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/account/password-reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def _set_new_password(client, path, password=NEW_PASSWORD):
    set_password_page = client.get(path)
    assert set_password_page.status_code == 302  # Django hides the token from the address bar
    url = set_password_page["Location"]
    return client.post(url, {"new_password1": password, "new_password2": password})


def test_the_sign_in_page_links_to_the_password_reset(client):
    html = client.get(reverse("login")).content.decode()
    link = f'<a class="govuk-link" href="{reverse("password_reset")}">Forgotten your password?</a>'
    assert link in html


def test_a_person_resets_the_password_from_the_e_mail_and_signs_in_with_it(
    client, officer, partnership, mailoutbox, settings
):
    settings.SITE_URL = "https://strategy.example.org"
    settings.SAFERMK_BRAND_NAME = "Community Safety Strategies"
    response = _request_link(client, officer.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [officer.email]
    assert message.subject == "Reset your password for Community Safety Strategies"
    assert f"Your username is: {officer.username}" in message.body
    assert "https://strategy.example.org/account/password-reset/" in message.body
    assert partnership.name not in message.body and partnership.name not in message.subject
    assert "&amp;" not in message.body

    response = _set_new_password(client, _link_path(message))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    page = client.get(response["Location"]).content.decode()
    assert "Your password has been changed" in page

    refused = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert refused.status_code == 200
    signed_in = client.post(
        reverse("login"), {"username": officer.username, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("dashboard:home")


def test_the_link_comes_from_site_url_not_from_the_host_the_request_named(
    client, officer, mailoutbox, settings
):
    settings.SITE_URL = "https://strategy.example.org"
    settings.ALLOWED_HOSTS = ["strategy.example.org", "evil.example.com"]
    client.post(
        reverse("password_reset"), {"email": officer.email}, HTTP_HOST="evil.example.com"
    )
    assert "evil.example.com" not in mailoutbox[0].body
    assert "https://strategy.example.org/account/password-reset/" in mailoutbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, officer, mailoutbox):
    known = _request_link(client, officer.email)
    unknown = _request_link(client, "nobody@example.org")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert len(mailoutbox) == 1

    page = client.get(unknown["Location"]).content.decode()
    assert "<h1 class=\"govuk-heading-l\">Check your email</h1>" in page
    assert "If the address you entered belongs to an account" in page
    assert "nobody@example.org" not in page


def test_a_missing_or_malformed_address_is_explained_next_to_the_field(client, mailoutbox):
    for value, message in [
        ("", "Enter your email address"),
        ("not an address", "Enter an email address in the correct format, like name@example.org"),
    ]:
        response = _request_link(client, value)
        html = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in html
        assert html.count(message) == 2  # in the summary and next to the field
        assert "<title>Error: Reset your password" in html
    assert mailoutbox == []


def test_new_passwords_that_differ_or_are_weak_are_refused_with_messages(
    client, officer, mailoutbox
):
    _request_link(client, officer.email)
    url = client.get(_link_path(mailoutbox[0]))["Location"]
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The passwords do not match" in html
    response = client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "This password is entirely numeric" in response.content.decode()


def test_a_used_link_does_not_work_again(client, officer, mailoutbox):
    _request_link(client, officer.email)
    path = _link_path(mailoutbox[0])
    _set_new_password(client, path)

    other = client.__class__()
    page = other.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "This link no longer works" in html
    assert f'href="{reverse("password_reset")}"' in html


def test_an_expired_link_does_not_work(client, officer, mailoutbox, monkeypatch, settings):
    _request_link(client, officer.email)
    path = _link_path(mailoutbox[0])
    later = PasswordResetTokenGenerator()._now() + dt.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 60
    )
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    response = client.get(path, follow=True)
    assert "This link no longer works" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_resetting_the_password_clears_a_sign_in_lock_out(client, officer, mailoutbox, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": officer.username, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert locked.status_code == 429

    _request_link(client, officer.email)
    _set_new_password(client, _link_path(mailoutbox[0]))
    assert not AccessAttempt.objects.filter(username=officer.username).exists()

    response = client.post(
        reverse("login"), {"username": officer.username, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


# Rate limits ------------------------------------------------------------------


def test_an_inbox_gets_at_most_the_set_number_of_links_an_hour_and_the_page_answers_as_always(
    client, officer, mailoutbox, settings
):
    settings.PASSWORD_RESET_EMAIL_RATE = "2/h"
    answers = [_request_link(client, officer.email) for _ in range(4)]
    assert [a.status_code for a in answers] == [302, 302, 302, 302]
    assert {a["Location"] for a in answers} == {reverse("password_reset_done")}
    assert len(mailoutbox) == 2
    # The limit is per inbox: another person's link still goes out.
    other = type(officer).objects.create_user("another", "another@example.org", PASSWORD)
    _request_link(client, other.email.upper())
    assert [m.to for m in mailoutbox][-1] == [other.email]


def test_one_connection_asking_too_often_gets_a_clear_page_and_nothing_is_sent(
    client, officer, mailoutbox, settings
):
    settings.PASSWORD_RESET_RATE = "3/h"
    for number in range(3):
        _request_link(client, f"nobody{number}@example.org")
    limited = _request_link(client, officer.email)
    assert limited.status_code == 429
    page = limited.content.decode()
    assert "too many password reset requests from your connection" in page
    assert "No email has been sent" in page
    assert mailoutbox == []
    # Another connection is not affected.
    assert client.post(
        reverse("password_reset"), {"email": officer.email}, REMOTE_ADDR="192.0.2.77"
    ).status_code == 302
    assert len(mailoutbox) == 1


def test_with_the_cache_down_links_are_still_sent(client, officer, mailoutbox, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    assert _request_link(client, officer.email).status_code == 302
    assert len(mailoutbox) == 1


def test_the_e_mail_goes_through_the_worker_and_is_sent_in_the_request_when_the_broker_is_down(
    client, officer, mailoutbox, monkeypatch
):
    from safermk import tasks

    queued = []
    monkeypatch.setattr(tasks.send_email, "delay", lambda *args: queued.append(args))
    assert _request_link(client, officer.email).status_code == 302
    assert mailoutbox == []
    (subject, body, to), = queued
    assert to == [officer.email] and "/account/password-reset/" in body
    tasks.send_email(subject, body, to)  # what the worker does
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [officer.email]

    def broker_down(*args, **kwargs):
        raise OSError("broker unreachable")

    monkeypatch.setattr(tasks.send_email, "delay", broker_down)
    assert _request_link(client, officer.email).status_code == 302
    assert len(mailoutbox) == 2 and "/account/password-reset/" in mailoutbox[1].body

"""Guessing passwords is slowed down, with a readable page, and proxies are
handled so one school or office does not block everyone."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from safermk.net import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_too_many_wrong_passwords_for_one_username_answer_429_with_a_plain_page(
    client, officer, settings
):
    settings.SIGN_IN_RATE_PER_USERNAME = "3/10m"
    for _ in range(3):
        response = client.post(reverse("login"), {"username": officer.username, "password": "x"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts to sign in" in html and "Wait 10 minutes" in html
    # Nobody was signed in by the attempt that was refused.
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_the_username_limit_ignores_case_and_spaces(client, officer, settings):
    settings.SIGN_IN_RATE_PER_USERNAME = "2/10m"
    client.post(reverse("login"), {"username": officer.username.upper(), "password": "x"})
    client.post(reverse("login"), {"username": f" {officer.username} ", "password": "x"})
    response = client.post(reverse("login"), {"username": officer.username, "password": "x"})
    assert response.status_code == 429


def test_many_attempts_from_one_address_are_limited_too(client, settings):
    settings.SIGN_IN_RATE_PER_ADDRESS = "2/10m"
    for name in ("a", "b"):
        assert client.post(reverse("login"), {"username": name, "password": "x"}).status_code == 200
    assert client.post(reverse("login"), {"username": "c", "password": "x"}).status_code == 429


def test_signing_in_within_the_limits_works(client, officer):
    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302


def test_client_ip_trusts_only_the_configured_number_of_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.5"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # never the forgeable 6.6.6.6

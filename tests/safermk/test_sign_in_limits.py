"""Guessing passwords is stopped on every sign-in form, per username at one
address, so a person elsewhere cannot be locked out by someone else; the
lock-out page says what to do, and it works with Redis down."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from safermk.net import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HOME = "203.0.113.5"
ELSEWHERE = "198.51.100.7"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    # A fast hasher: these tests sign in dozens of times; hashing is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 3
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 6
    settings.SIGN_IN_LOCKOUT_MINUTES = 10
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=10)


def _sign_in(client, username, password, address=HOME, url=None):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _admin_sign_in(client, username, password, address=HOME):
    return client.post(
        ADMIN_LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def _assert_lockout_page(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1 class=\"govuk-heading-l\">Too many attempts to sign in</h1>" in html
    assert "wait 10 minutes" in html
    assert f'href="{reverse("password_reset")}"' in html
    assert "ask your partnership administrator to unlock your account" in html
    assert "govuk-template__body" in html  # the site's own GOV.UK page, not a bare text


def test_wrong_passwords_up_to_the_limit_lock_the_username_at_that_address(client, officer):
    for _ in range(2):
        response = _sign_in(client, officer.username, "wrong")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    _assert_lockout_page(_sign_in(client, officer.username, "wrong"))

    # The right password is refused too until the lock-out ends.
    _assert_lockout_page(_sign_in(client, officer.username, PASSWORD))
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_the_admin_sign_in_is_limited_in_the_same_way(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(2):
        assert _admin_sign_in(client, admin.username, "wrong").status_code == 200
    _assert_lockout_page(_admin_sign_in(client, admin.username, "wrong"))
    _assert_lockout_page(_admin_sign_in(client, admin.username, PASSWORD))
    assert client.get("/admin/").status_code == 302


def test_the_admin_and_the_sign_in_page_share_one_count(client, officer):
    _sign_in(client, officer.username, "wrong")
    _admin_sign_in(client, officer.username, "wrong")
    _assert_lockout_page(_sign_in(client, officer.username, "wrong"))


def test_someone_guessing_elsewhere_does_not_lock_the_person_out_at_their_own_address(
    client, officer
):
    for _ in range(3):
        _sign_in(client, officer.username, "wrong", address=ELSEWHERE)
    _assert_lockout_page(_sign_in(client, officer.username, PASSWORD, address=ELSEWHERE))

    response = _sign_in(client, officer.username, PASSWORD, address=HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")


def test_other_people_at_the_same_address_can_still_sign_in(client, officer, partner_officer):
    for _ in range(3):
        _sign_in(client, officer.username, "wrong")
    assert _sign_in(client, partner_officer.username, PASSWORD).status_code == 302


def test_the_count_ignores_case_and_spaces_in_the_username(client, officer):
    _sign_in(client, officer.username.upper(), "wrong")
    _sign_in(client, f" {officer.username} ", "wrong")
    _assert_lockout_page(_sign_in(client, officer.username, "wrong"))


def test_one_address_failing_on_many_usernames_is_refused_for_all_of_them(client, officer):
    for name in ("ann", "bob", "cat"):
        _sign_in(client, name, "wrong")
        _sign_in(client, name, "wrong")
    # Six failures from HOME, none of them at the limit for its username.
    _assert_lockout_page(_sign_in(client, officer.username, PASSWORD))
    assert _sign_in(client, officer.username, PASSWORD, address=ELSEWHERE).status_code == 302


def test_the_lock_out_ends_after_the_cool_off(client, officer):
    for _ in range(3):
        _sign_in(client, officer.username, "wrong")
    _assert_lockout_page(_sign_in(client, officer.username, PASSWORD))

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=11))
    assert _sign_in(client, officer.username, PASSWORD).status_code == 302


def test_trying_again_during_the_lock_out_does_not_extend_it(client, officer):
    for _ in range(3):
        _sign_in(client, officer.username, "wrong")
    locked_at = timezone.now() - dt.timedelta(minutes=9)
    AccessAttempt.objects.update(attempt_time=locked_at)
    _assert_lockout_page(_sign_in(client, officer.username, "wrong"))
    assert AccessAttempt.objects.get().attempt_time == locked_at


def test_signing_in_clears_the_count_for_that_username_and_address(client, officer):
    _sign_in(client, officer.username, "wrong")
    _sign_in(client, officer.username, "wrong")
    assert _sign_in(client, officer.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert AccessAttempt.objects.count() == 0
    assert _sign_in(client, officer.username, "wrong").status_code == 200
    assert _sign_in(client, officer.username, "wrong").status_code == 200


def test_signing_in_within_the_limits_works(client, officer):
    response = _sign_in(client, officer.username, PASSWORD)
    assert response.status_code == 302


def test_the_lock_out_is_kept_in_the_database_and_works_with_redis_down(client, officer, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(2):
        assert _sign_in(client, officer.username, "wrong").status_code == 200
        assert _admin_sign_in(client, admin.username, "wrong").status_code == 200
    _assert_lockout_page(_sign_in(client, officer.username, "wrong"))
    _assert_lockout_page(_admin_sign_in(client, admin.username, "wrong"))
    _assert_lockout_page(_sign_in(client, officer.username, PASSWORD))
    assert _sign_in(client, officer.username, PASSWORD, address=ELSEWHERE).status_code == 302


def test_behind_a_proxy_the_lock_out_keys_on_the_forwarded_address(client, officer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.5"
    for _ in range(3):
        client.post(
            reverse("login"),
            {"username": officer.username, "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=HOME,
        )
    assert AccessAttempt.objects.get().ip_address == HOME
    response = client.post(
        reverse("login"),
        {"username": officer.username, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"{HOME}, {ELSEWHERE}",
    )
    assert response.status_code == 302


def test_client_ip_trusts_only_the_configured_number_of_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.5"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # never the forgeable 6.6.6.6

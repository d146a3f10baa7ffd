"""Single sign-on with a council's OpenID Connect provider, against a fake
provider served over real HTTP on 127.0.0.1: only existing, active people with
a verified e-mail address are signed in, and every failure ends on a plain page."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import runpy
import secrets
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import override_settings

from tests.browser import conftest as browser_conftest
from tests.browser.conftest import assert_accessible, click_and_wait
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
# Headless Chromium with axe-core, as in tests/browser, for the two journeys at the end.
browser = browser_conftest.browser
CLIENT_ID = "strategy-app"
CLIENT_SECRET = "fake-provider-client-secret"
BACKEND = "safermk.oidc.CouncilAccountBackend"


class FakeProvider:
    """An OpenID provider with the four endpoints the app calls. `person` is
    who is signed in at the provider; the knobs let a test make it misbehave."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.issuer = f"{self.base}/tenant/v2.0"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.reset()

    def reset(self):
        self.person: dict = {}
        self.signing_key = self.key
        self.id_token_changes: dict = {}
        self.userinfo_changes: dict = {}
        self.codes: dict = {}
        self.access_tokens: dict = {}
        self.calls: list[str] = []

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def environment(self) -> dict[str, str]:
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.base}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.base}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.base}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.base}/keys",
        }

    # What each endpoint answers: (status, headers, body).

    def authorize(self, query):
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        assert "openid" in query["scope"].split()
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": back}, b""

    def token(self, form):
        request = self.codes.pop(form.get("code"), None)
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        ).rstrip(b"=").decode()
        if (
            request is None
            or form.get("grant_type") != "authorization_code"
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != request["redirect_uri"]
            or challenge != request.get("code_challenge")
        ):
            return 400, {"Content-Type": "application/json"}, b'{"error": "invalid_grant"}'
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": self.person["sub"],
            "nonce": request["nonce"],
            "iat": now,
            "exp": now + 300,
            **self.id_token_changes,
        }
        id_token = jwt.encode(
            claims, self.signing_key, algorithm="RS256", headers={"kid": "fake-key-1"}
        )
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = {**self.person, **self.userinfo_changes}
        body = {"access_token": access_token, "token_type": "Bearer", "id_token": id_token}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def userinfo(self, authorization):
        claims = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, {}, b""
        return 200, {"Content-Type": "application/json"}, json.dumps(claims).encode()

    def keys(self):
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": "fake-key-1", "alg": "RS256", "use": "sig"})
        return 200, {"Content-Type": "application/json"}, json.dumps({"keys": [jwk]}).encode()


def _handler_for(provider: FakeProvider):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            provider.calls.append(f"GET {url.path}")
            if url.path == "/authorize":
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                self._send(*provider.authorize(query))
            elif url.path == "/userinfo":
                self._send(*provider.userinfo(self.headers.get("Authorization", "")))
            elif url.path == "/keys":
                self._send(*provider.keys())
            else:
                self._send(404, {}, b"")

        def do_POST(self):
            provider.calls.append(f"POST {self.path}")
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if self.path == "/token":
                self._send(*provider.token(form))
            else:
                self._send(404, {}, b"")

        def _send(self, status, headers, body):
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture(scope="module")
def _provider_server():
    provider = FakeProvider()
    provider.settings = _settings_from(provider.environment())
    yield provider
    provider.stop()


def _settings_from(env: dict[str, str]) -> dict:
    """Run safermk/settings.py with these variables and keep what single
    sign-on sets, so the tests use the real settings block."""
    with pytest.MonkeyPatch.context() as mp:
        for name in [n for n in os.environ if n.startswith("OIDC_")]:
            mp.delenv(name)
        mp.setenv("DEBUG", "1")
        for name, value in env.items():
            mp.setenv(name, value)
        values = runpy.run_path(str(ROOT / "safermk" / "settings.py"))
    wanted = [k for k in values if k.startswith("OIDC_") or k == "AUTHENTICATION_BACKENDS"]
    return {k: values[k] for k in wanted}


def _urlconf_as_configured_now():
    """A fresh copy of safermk/urls.py, read with the current settings: the
    /oidc/ addresses are added only when single sign-on is on."""
    spec = importlib.util.find_spec("safermk.urls")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["tests.safermk._urls_with_single_sign_on"] = module
    return "tests.safermk._urls_with_single_sign_on"


@pytest.fixture
def provider(_provider_server, db, monkeypatch):
    """Single sign-on switched on against the fake provider."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    _provider_server.reset()
    with override_settings(**_provider_server.settings):
        with override_settings(ROOT_URLCONF=_urlconf_as_configured_now()):
            yield _provider_server
    sys.modules.pop("tests.safermk._urls_with_single_sign_on", None)


def _person(user=None, **claims) -> dict:
    base = {
        "sub": f"sub-{secrets.token_hex(4)}",
        "email": user.email if user else "someone@council.example",
        "email_verified": True,
        "given_name": "Alex",
        "family_name": "Council",
    }
    return {**base, **claims}


def _sign_in_at_provider(client, provider, start="/oidc/authenticate/"):
    """The browser's trip: the app sends it to the provider, the provider
    (where the person is signed in) sends it back with a code."""
    response = client.get(start)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{provider.base}/authorize?")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"][0] and query["nonce"][0] and query["code_challenge"][0]
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.path == "/oidc/callback/"
    return client.get(f"{callback.path}?{callback.query}")


def _signed_in_user(client):
    from django.contrib.auth import get_user

    class _Request:
        session = client.session

    return get_user(_Request())


def test_a_known_officer_signs_in_with_their_council_account_and_lands_on_their_dashboard(
    client, provider, officer
):
    provider.person = _person(officer)

    response = _sign_in_at_provider(client, provider)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert _signed_in_user(client) == officer
    assert client.session["_auth_user_backend"] == BACKEND
    assert client.get("/dashboard/").status_code == 200
    assert provider.calls == ["GET /authorize", "POST /token", "GET /keys", "GET /userinfo"]


def test_the_page_asked_for_before_signing_in_is_where_the_officer_lands(
    client, provider, officer
):
    provider.person = _person(officer)

    response = _sign_in_at_provider(client, provider, "/oidc/authenticate/?next=/reminders/")

    assert response["Location"] == "/reminders/"


def test_the_address_matches_whatever_its_case_and_the_name_follows_the_provider(
    client, provider, officer
):
    provider.person = _person(
        officer, email=officer.email.upper(), given_name="Samira", family_name="Okafor"
    )

    _sign_in_at_provider(client, provider)

    officer.refresh_from_db()
    assert _signed_in_user(client) == officer
    assert (officer.first_name, officer.last_name) == ("Samira", "Okafor")


def test_an_unknown_address_is_told_to_ask_for_an_invitation_and_no_account_is_made(
    client, provider, officer
):
    provider.person = _person(email="new.starter@council.example")
    users_before = get_user_model().objects.count()

    response = _sign_in_at_provider(client, provider)

    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>Your account is not set up" in html
    assert "ask your partnership administrator to invite you" in html
    assert "new.starter@council.example" in html
    assert get_user_model().objects.count() == users_before
    assert not _signed_in_user(client).is_authenticated


def test_an_address_the_provider_says_is_not_verified_is_refused(client, provider, officer):
    provider.person = _person(officer, email_verified=False)

    response = _sign_in_at_provider(client, provider)

    assert response.status_code == 403
    assert "Your e-mail address is not verified" in response.content.decode()
    assert not _signed_in_user(client).is_authenticated


def test_a_provider_that_sends_no_address_is_refused(client, provider, officer):
    provider.person = {k: v for k, v in _person(officer).items() if k != "email"}

    response = _sign_in_at_provider(client, provider)

    assert response.status_code == 403
    assert not _signed_in_user(client).is_authenticated


def test_a_deactivated_user_is_refused(client, provider, officer):
    officer.is_active = False
    officer.save()
    provider.person = _person(officer)

    response = _sign_in_at_provider(client, provider)

    assert response.status_code == 403
    assert "Your account is not active" in response.content.decode()
    assert not _signed_in_user(client).is_authenticated


def test_a_user_deactivated_after_signing_in_is_signed_out_on_the_next_page(
    client, provider, officer
):
    provider.person = _person(officer)
    _sign_in_at_provider(client, provider)
    officer.is_active = False
    officer.save()

    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_two_accounts_with_the_same_address_are_refused_rather_than_guessed(
    client, provider, officer
):
    UserFactory(email=officer.email.upper())
    provider.person = _person(officer)

    response = _sign_in_at_provider(client, provider)

    assert response.status_code == 403
    assert "We could not tell which account is yours" in response.content.decode()
    assert not _signed_in_user(client).is_authenticated


def test_a_callback_whose_state_this_browser_did_not_start_is_refused_without_asking_the_provider(
    client, provider, officer
):
    provider.person = _person(officer)
    client.get("/oidc/authenticate/")  # this browser started a sign-in...

    response = client.get("/oidc/callback/?code=stolen&state=someone-elses-state")

    assert response.status_code == 400
    assert "Signing in with your council account did not work" in response.content.decode()
    assert not _signed_in_user(client).is_authenticated
    assert provider.calls == []


def test_a_callback_in_a_browser_that_started_no_sign_in_is_refused(client, provider):
    response = client.get("/oidc/callback/?code=stolen&state=anything")

    assert response.status_code == 400
    assert provider.calls == []


def test_a_callback_cannot_be_replayed(client, provider, officer):
    provider.person = _person(officer)
    response = client.get("/oidc/authenticate/")
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    callback = urlsplit(back.headers["Location"])
    client.get(f"{callback.path}?{callback.query}")
    client.logout()

    again = client.get(f"{callback.path}?{callback.query}")

    assert again.status_code == 400
    assert not _signed_in_user(client).is_authenticated


def test_an_id_token_signed_with_another_key_is_refused(client, provider, officer):
    provider.person = _person(officer)
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    response = _sign_in_at_provider(client, provider)

    assert response.status_code == 400
    assert not _signed_in_user(client).is_authenticated


@pytest.mark.parametrize(
    "change",
    [
        {"aud": "another-application"},
        {"iss": "http://127.0.0.1:9/another-tenant/v2.0"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"nonce": "not-the-one-we-sent"},
    ],
    ids=["audience", "issuer", "expired", "nonce"],
)
def test_an_id_token_that_is_not_for_this_sign_in_is_refused(client, provider, officer, change):
    provider.person = _person(officer)
    provider.id_token_changes = change

    response = _sign_in_at_provider(client, provider)

    assert response.status_code == 400
    assert not _signed_in_user(client).is_authenticated


def test_userinfo_about_someone_else_is_refused(client, provider, officer):
    provider.person = _person(officer)
    provider.userinfo_changes = {"sub": "someone-else"}

    response = _sign_in_at_provider(client, provider)

    assert response.status_code == 400
    assert not _signed_in_user(client).is_authenticated


def test_a_provider_that_refuses_the_code_gives_a_plain_page(client, provider, officer):
    provider.person = _person(officer)
    response = client.get("/oidc/authenticate/")
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    provider.codes.clear()  # the code expired at the provider

    callback = urlsplit(back.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}")

    assert response.status_code == 400
    assert "Signing in with your council account did not work" in response.content.decode()


def test_a_provider_that_cannot_be_reached_gives_a_plain_page(client, provider, officer, settings):
    provider.person = _person(officer)
    response = client.get("/oidc/authenticate/")
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    with socket_that_refuses() as port:
        settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{port}/token"
        callback = urlsplit(back.headers["Location"])
        response = client.get(f"{callback.path}?{callback.query}")

    assert response.status_code == 400
    assert not _signed_in_user(client).is_authenticated


def test_a_person_who_cancels_at_the_provider_gets_a_plain_page(client, provider):
    response = client.get("/oidc/authenticate/")
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]

    response = client.get(f"/oidc/callback/?error=access_denied&state={state}")

    assert response.status_code == 400
    assert "Go to the sign-in page" in response.content.decode()


def test_when_creation_is_allowed_an_unknown_person_gets_an_account_with_no_partnership(
    client, provider, settings, partnership
):
    settings.OIDC_CREATE_USER = True
    provider.person = _person(email="New.Starter@council.example", given_name="Nia")

    response = _sign_in_at_provider(client, provider)

    assert response.status_code == 302
    user = get_user_model().objects.get(email__iexact="new.starter@council.example")
    assert _signed_in_user(client) == user
    assert user.first_name == "Nia" and user.username == "new.starter@council.example"
    assert not user.has_usable_password()
    assert not user.memberships.exists() and not user.board_memberships.exists()
    assert not (user.is_staff or user.is_superuser)
    # With no membership, the person sees no partnership's pages.
    assert client.get(f"/partnerships/{partnership.slug}/strategies/new/").status_code == 404


def test_passwords_still_work_when_single_sign_on_is_on(client, provider, officer):
    response = client.post("/sign-in/", {"username": officer.username, "password": PASSWORD})

    assert response.status_code == 302
    assert _signed_in_user(client) == officer
    assert provider.calls == []


def test_a_password_sign_in_with_a_code_in_its_address_does_not_reach_the_provider(
    client, provider, officer
):
    response = client.post(
        "/sign-in/?code=x&state=y", {"username": officer.username, "password": "wrong"}
    )

    assert response.status_code == 200
    assert provider.calls == []


def test_the_sign_in_page_offers_the_council_account_when_on(client, provider):
    response = client.get("/sign-in/?next=/reminders/")

    html = response.content.decode()
    assert "Sign in with your council account" in html
    assert 'href="/oidc/authenticate/?next=/reminders/"' in html


def test_with_single_sign_on_off_there_is_no_button_and_no_oidc_addresses(client, db):
    from django.conf import settings

    assert settings.OIDC_ENABLED is False
    assert "Sign in with your council account" not in client.get("/sign-in/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert BACKEND not in settings.AUTHENTICATION_BACKENDS


# Settings


def test_without_oidc_variables_single_sign_on_is_off_and_backends_are_unchanged():
    values = _settings_from({})

    assert values["OIDC_ENABLED"] is False
    assert BACKEND not in values.get("AUTHENTICATION_BACKENDS", [])


def test_with_every_variable_the_backend_is_added_after_the_others(_provider_server):
    """Whatever backends the settings list before this block (a lock-out
    backend must stay first) are kept, in order, with this one last."""
    without = _settings_from({}).get(
        "AUTHENTICATION_BACKENDS", ["django.contrib.auth.backends.ModelBackend"]
    )
    values = _provider_server.settings

    assert values["OIDC_ENABLED"] is True
    assert values["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert values["OIDC_CREATE_USER"] is False
    assert values["AUTHENTICATION_BACKENDS"] == [*without, BACKEND]


def test_a_sign_algorithm_the_app_cannot_check_refuses_to_start(_provider_server):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="OIDC_RP_SIGN_ALGO"):
        _settings_from({**_provider_server.environment(), "OIDC_RP_SIGN_ALGO": "HS256"})


def _manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    base = {k: v for k, v in base.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-like-secret-key-" + "y" * 20,
    "ALLOWED_HOSTS": "strategy.example.org",
    "DATABASE_URL": "postgres://safermk@127.0.0.1:5432/safermk",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.org",
}


def test_single_sign_on_partly_configured_refuses_to_start_naming_what_is_missing(
    _provider_server,
):
    env = {
        k: v
        for k, v in _provider_server.environment().items()
        if k not in {"OIDC_OP_JWKS_ENDPOINT", "OIDC_RP_CLIENT_SECRET"}
    }

    result = _manage("check", env={**PRODUCTION, **env})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "OIDC_RP_CLIENT_SECRET, OIDC_OP_JWKS_ENDPOINT" in result.stderr


def test_check_deploy_is_clean_with_single_sign_on_on():
    tenant = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000"
    env = {
        "OIDC_RP_CLIENT_ID": "11111111-1111-1111-1111-111111111111",
        "OIDC_RP_CLIENT_SECRET": "a-client-secret",
        "OIDC_OP_ISSUER": f"{tenant}/v2.0",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{tenant}/oauth2/v2.0/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{tenant}/oauth2/v2.0/token",
        "OIDC_OP_USER_ENDPOINT": "https://graph.microsoft.com/oidc/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{tenant}/discovery/v2.0/keys",
    }

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, **env})

    assert result.returncode == 0, result.stdout + result.stderr


class socket_that_refuses:
    """A port on 127.0.0.1 with nothing listening: the provider is down."""

    def __enter__(self) -> int:
        import socket

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        return self.port

    def __exit__(self, *exc):
        return False


# In a real browser


@pytest.mark.browser
def test_an_officer_signs_in_through_the_provider_in_a_browser_with_no_accessibility_problems(
    browser, provider, officer
):
    from selenium.webdriver.common.by import By

    provider.person = _person(officer)
    browser.get(browser.base_url + "/sign-in/")
    assert_accessible(browser, "sign-in-with-council-account")

    button = browser.find_element(By.LINK_TEXT, "Sign in with your council account")
    click_and_wait(browser, button)

    assert browser.current_url == browser.base_url + "/dashboard/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dashboard"
    assert provider.calls == ["GET /authorize", "POST /token", "GET /keys", "GET /userinfo"]


@pytest.mark.browser
def test_the_not_set_up_page_has_no_accessibility_problems(browser, provider, officer):
    from selenium.webdriver.common.by import By

    provider.person = _person(email="new.starter@council.example")
    browser.get(browser.base_url + "/sign-in/")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Sign in with your council account"))

    assert browser.find_element(By.TAG_NAME, "h1").text == "Your account is not set up"
    assert browser.title.startswith("Your account is not set up")
    assert_accessible(browser, "council-account-not-set-up")

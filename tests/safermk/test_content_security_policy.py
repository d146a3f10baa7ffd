"""Every page carries a Content-Security-Policy that allows scripts only
from our own files, and no page relies on what that policy refuses: inline
scripts, event-handler attributes, javascript: links or style attributes."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client

from tests.urlwalk import all_urls

pytestmark = pytest.mark.django_db

# Script elements holding data, which browsers never run.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _client_for(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _admin_urls() -> list[str]:
    from partnerships.models import Partnership

    user = get_user_model().objects.get(username="officer")
    partnership = Partnership.objects.order_by("pk").first()
    return [
        "/admin/",
        "/admin/login/",
        f"/admin/auth/user/{user.pk}/change/",
        f"/admin/partnerships/partnership/{partnership.pk}/change/",
        "/admin/django_celery_beat/periodictask/add/",
        "/admin/axes/accessattempt/",
    ]


def test_every_page_sends_a_policy_that_allows_no_inline_script(demo):
    checked = 0
    for username in (None, "officer"):
        client = _client_for(username)
        for name, url in all_urls(demo):
            if name == "logout":
                continue
            response = client.get(url)
            header = response.get("Content-Security-Policy")
            assert header, f"{url} ({name}) sent no Content-Security-Policy"
            directives = _directives(header)
            assert directives["script-src"] == ["'self'"], f"{url}: {header}"
            assert "'unsafe-inline'" not in header, f"{url}: {header}"
            assert directives["default-src"] == ["'self'"]
            assert directives["object-src"] == ["'none'"]
            assert directives["frame-ancestors"] == ["'none'"]
            assert directives["base-uri"] == ["'self'"]
            assert directives["form-action"] == ["'self'"]
            assert directives["img-src"] == ["'self'", "data:"]
            assert directives["style-src"][0] == "'self'"
            checked += 1
    assert checked > 100


def _problems_in(html: str, header: str) -> list[str]:
    nonce_match = re.search(r"'nonce-([^']+)'", _directives(header).get("style-src", [""])[-1])
    nonce = nonce_match.group(1) if nonce_match else None
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for script in soup.find_all("script"):
        if not script.get("src") and script.get("type") not in DATA_SCRIPT_TYPES:
            problems.append(f"inline script: {str(script)[:80]}")
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            if attribute.startswith("on"):
                problems.append(f"event handler {attribute} on <{element.name}>")
            if attribute == "style":
                problems.append(f"style attribute on <{element.name}>: {value}")
            if attribute in ("href", "src", "action", "formaction") and str(value).strip(
            ).lower().startswith("javascript:"):
                problems.append(f"javascript: URL in <{element.name} {attribute}>")
    for style in soup.find_all("style"):
        if nonce is None or style.get("nonce") != nonce:
            problems.append("a <style> element without this response's nonce")
    return problems


def test_no_page_has_inline_script_handlers_or_style_attributes(demo):
    pages = 0
    for username in (None, "officer", "admin"):
        client = _client_for(username)
        urls = [url for name, url in all_urls(demo) if name != "logout"]
        if username == "admin":
            urls += _admin_urls()
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            problems = _problems_in(response.content.decode(), response["Content-Security-Policy"])
            assert not problems, f"{url} as {username or 'a visitor'}: {problems}"
            pages += 1
    assert pages > 100


def test_a_style_element_with_the_nonce_is_allowed_and_one_without_is_reported(demo):
    header = "default-src 'self'; style-src 'self' 'nonce-abc'"
    assert _problems_in('<style nonce="abc">p{}</style>', header) == []
    assert _problems_in("<style>p{}</style>", header)
    assert _problems_in('<p style="color:red">', header)
    assert _problems_in('<a href="javascript:alert(1)">', header)
    assert _problems_in('<button onclick="x()">', header)
    assert _problems_in("<script>x()</script>", header)
    assert _problems_in('<script type="application/json">{}</script>', header) == []

import re

import pytest
from django.urls import reverse

from tests.conftest import client_for


def _titles_and_h1s(html: str) -> tuple[str, int]:
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    return title, len(re.findall(r"<h1[ >]", html))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, title",
    [
        ("home", "Community safety strategies"),
        ("accessibility", "Accessibility statement"),
        ("privacy", "Privacy notice"),
        ("login", "Sign in"),
    ],
)
def test_public_pages_have_their_own_title_and_one_h1(client, name, title):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page_title, h1s = _titles_and_h1s(response.content.decode())
    assert page_title.startswith(title)
    assert h1s == 1


@pytest.mark.django_db
def test_the_site_has_no_crown_and_no_gds_transport_font(client):
    html = client.get(reverse("home")).content.decode()
    assert "govuk-crest" not in html and "GDS Transport" not in html
    assert "govuk-header__logotype-crown" not in html


def test_vendored_govuk_css_has_no_gds_transport_font_or_crown():
    from pathlib import Path

    css = (
        Path(__file__).resolve().parents[2] / "static/vendor/govuk-frontend/govuk-frontend.min.css"
    ).read_text()
    assert "GDS Transport" not in css
    assert "govuk-crest.svg" not in css
    assert "sourceMappingURL" not in css


@pytest.mark.django_db
def test_unknown_pages_show_the_friendly_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_signing_in_with_a_wrong_password_says_what_to_fix(client, officer):
    response = client.post(reverse("login"), {"username": officer.username, "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a correct username and password" in html
    assert "<title>Error: Sign in" in html


@pytest.mark.django_db
def test_signing_in_with_blank_fields_names_each_field(client):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in html
    assert "Enter your password" in html


@pytest.mark.django_db
def test_an_officer_signs_in_and_out(client, officer):
    from tests.factories import PASSWORD

    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:home")
    assert client.get(reverse("dashboard:home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 302


@pytest.mark.django_db
def test_dashboard_shows_a_board_member_their_boards(board_member, board):
    html = client_for(board_member).get(reverse("dashboard:home")).content.decode()
    assert board.name in html

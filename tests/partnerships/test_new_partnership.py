"""An installation's operator adds a partnership in the product and invites
its first administrator, who then sets it up: no step needs /admin/."""

import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from partnerships.models import Invitation, Membership, Partnership
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/manage/partnership/new/"


def _data(**changes):
    return {
        "name": "Safer Borough Partnership", "slug": "", "short_code": "bd",
        "area": "The London Borough of Example", "aim": "A safer borough for everyone.",
        "administrator_email": "sam@borough.example.org",
        "administrator_first_name": "Sam", "administrator_last_name": "Lee",
    } | changes


@pytest.fixture
def operator(db):
    return factories.UserFactory(is_superuser=True, is_staff=True)


def test_an_operator_adds_a_partnership_and_its_administrator_takes_it_from_there(
    operator, django_capture_on_commit_callbacks
):
    assert reverse("partnerships:new") == URL
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(operator).post(URL, _data())

    partnership = Partnership.objects.get(name="Safer Borough Partnership")
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:manage",
                                           args=["safer-borough-partnership"])
    assert partnership.slug == "safer-borough-partnership" and partnership.short_code == "BD"
    invitation = Invitation.objects.get(partnership=partnership)
    assert invitation.role == Membership.Role.ADMINISTRATOR
    (message,) = mail.outbox
    assert message.to == ["sam@borough.example.org"]
    assert "Safer Borough Partnership" in message.subject
    assert "SaferMK" not in message.subject + message.body

    # The invited person sets a password and lands on their partnership's set-up.
    link = re.search(r"https?://\S+/account/invitation/\S+/", message.body).group(0)
    path = link.split("testserver", 1)[-1]
    client = Client()
    response = client.post(path, {"new_password1": "a long new password 42",
                                  "new_password2": "a long new password 42"})
    assert response.status_code == 302
    membership = Membership.objects.get(partnership=partnership)
    assert membership.role == Membership.Role.ADMINISTRATOR
    assert not membership.user.is_superuser
    assert client.get(reverse("partnerships:manage", args=[partnership.slug])).status_code == 200


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "Enter the partnership's name"),
    ({"short_code": "B-D"}, "short_code", "Enter 2 to 5 capital letters or digits"),
    ({"slug": "new"}, "slug", "is used by the set-up pages"),
    ({"slug": "Not A Slug!"}, "slug", "Use only lower-case letters, digits and hyphens"),
    ({"name": "!!!"}, "slug", "the name has no letters or digits"),
    ({"administrator_email": "not-an-address"}, "administrator_email",
     "Enter an e-mail address in the right format"),
    ({"area": ""}, "area", "Enter the area the partnership covers"),
])
def test_mistakes_are_shown_next_to_the_field_and_nothing_is_added(operator, changes, field,
                                                                   message):
    response = client_for(operator).post(URL, _data(**changes))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert message in html
    assert f'id="id_{field}' in html and "govuk-error-summary" in html
    assert not Partnership.objects.filter(area="The London Borough of Example").exists()
    assert not mail.outbox


def test_a_name_or_code_another_partnership_has_is_refused(operator):
    factories.PartnershipFactory(slug="safer-borough-partnership", short_code="BD")
    html = unescape(client_for(operator).post(URL, _data()).content.decode())
    assert "Another partnership uses “safer-borough-partnership”" in html
    assert "Another partnership uses this short code" in html
    assert Partnership.objects.filter(short_code="BD").count() == 1


def test_only_an_operator_may_add_a_partnership(partnership, officer):
    administrator = factories.AdministratorFactory(partnership=partnership).user
    for user in (administrator, officer):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).post(URL, _data()).status_code == 403
    assert Client().get(URL).status_code == 302
    assert not Partnership.objects.filter(short_code="BD").exists()


def test_the_operator_sees_every_partnership_and_the_way_to_add_one(operator, partnership):
    html = client_for(operator).get(reverse("partnerships:list")).content.decode()
    assert partnership.name in html
    assert f'href="{URL}"' in html

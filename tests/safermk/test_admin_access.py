"""The Django admin is for superusers only: officers, partner officers,
board members and partnership administrators work in the product's own
pages, and a staff account with model permissions but no superuser flag is
refused like anyone else."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from partnerships.models import Partnership
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = reverse("admin:login")


def _admin_pages(partnership):
    return [
        reverse("admin:index"),
        reverse("admin:partnerships_partnership_changelist"),
        reverse("admin:partnerships_partnership_change", args=[partnership.pk]),
        reverse("admin:auth_user_changelist"),
    ]


@pytest.fixture
def staff_with_every_permission(db):
    user = factories.UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.mark.parametrize(
    "role", ["anonymous", "officer", "administrator", "board_member", "staff_with_every_permission"]
)
def test_nobody_but_a_superuser_reaches_the_admin(request, role, partnership):
    if role == "administrator":
        user = factories.AdministratorFactory(partnership=partnership).user
    elif role == "anonymous":
        user = None
    else:
        user = request.getfixturevalue(role)
    client = client_for(user)
    for url in _admin_pages(partnership):
        response = client.get(url)
        assert response.status_code == 302, (role, url)
        assert response["Location"].startswith(f"{ADMIN_LOGIN}?next="), (role, url)
    # Nor can they change anything by posting.
    name = partnership.name
    response = client.post(
        reverse("admin:partnerships_partnership_change", args=[partnership.pk]),
        {"name": "Renamed", "slug": partnership.slug},
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.name == name


def test_a_staff_account_that_is_not_a_superuser_cannot_sign_in_to_the_admin(
    client, staff_with_every_permission
):
    from tests.factories import PASSWORD

    response = client.post(
        ADMIN_LOGIN,
        {"username": staff_with_every_permission.username, "password": PASSWORD,
         "next": reverse("admin:index")},
    )
    # Signed in, but the admin still refuses and says why.
    page = client.get(reverse("admin:index"), follow=True).content.decode()
    assert response.status_code in (200, 302)
    assert "not authorized to access this page" in page


def test_a_superuser_keeps_the_whole_admin(partnership):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    client = client_for(superuser)
    for url in _admin_pages(partnership):
        assert client.get(url).status_code == 200, url
    response = client.get(reverse("admin:index")).content.decode()
    assert "administration" in response
    assert Partnership.objects.filter(pk=partnership.pk).exists()


def test_the_footer_offers_the_admin_to_superusers_only(partnership, officer):
    staff = factories.UserFactory(is_staff=True)
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    admin_link = f'href="{reverse("admin:index")}">Administration</a>'
    for user, shown in ((officer, False), (staff, False), (superuser, True)):
        html = client_for(user).get(reverse("dashboard:home")).content.decode()
        assert (admin_link in html) is shown, user


def test_the_history_page_of_the_admin_has_no_style_attribute(partnership):
    # django-simple-history's own template has one, which the
    # Content-Security-Policy refuses; ours does not.
    from tests.documents.factories import published_strategy

    strategy = published_strategy(partnership, priorities=1, measures=1, measurements=1)
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    response = client_for(superuser).get(
        reverse("admin:strategy_strategy_history", args=[strategy.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'class="paginator"' in html
    assert " style=" not in html

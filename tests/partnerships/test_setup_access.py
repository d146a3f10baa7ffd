"""Every set-up page: the partnership's administrators (and superusers) open
it; its officers, partner officers and board members are refused (403);
another partnership's administrator finds nothing (404); anonymous visitors
are sent to sign in."""

import datetime as dt

import pytest
from django.urls import reverse

from partnerships.models import Membership
from partnerships.services import invitation_create, policing_recommendation_record
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PAGES = [
    "manage", "details", "organisations", "organisation_new", "organisation_edit",
    "organisation_remove", "boards", "board_new", "board", "board_edit", "board_member_new",
    "board_member_edit", "board_member_remove", "people", "invite", "person",
    "person_deactivate", "policing_body", "policing_recommendations", "policing_recommendation",
]
POST_ONLY = ["invitation_resend", "invitation_revoke"]


@pytest.fixture
def objects(partnership, board, officer):
    organisation = factories.OrganisationFactory(partnership=partnership)
    seat = factories.BoardMembershipFactory(board=board, organisation=organisation)
    person = factories.MembershipFactory(partnership=partnership).user
    invitation = invitation_create(partnership=partnership, email="new@example.org",
                                   role=Membership.Role.OFFICER, site_url="http://testserver")
    recommendation = policing_recommendation_record(
        partnership=partnership, received_on=dt.date(2026, 3, 10), recommendation="Rural crime"
    )
    return {"organisation": organisation, "board": board, "seat": seat, "person": person,
            "invitation": invitation, "recommendation": recommendation}


def address(name, partnership, objects):
    args = {
        "organisation_edit": [objects["organisation"].pk],
        "organisation_remove": [objects["organisation"].pk],
        "board": [objects["board"].slug],
        "board_edit": [objects["board"].slug],
        "board_member_new": [objects["board"].slug],
        "board_member_edit": [objects["board"].slug, objects["seat"].pk],
        "board_member_remove": [objects["board"].slug, objects["seat"].pk],
        "person": [objects["person"].pk],
        "person_deactivate": [objects["person"].pk],
        "invitation_resend": [objects["invitation"].pk],
        "invitation_revoke": [objects["invitation"].pk],
        "policing_recommendation": [objects["recommendation"].pk],
    }.get(name, [])
    return reverse(f"partnerships:{name}", args=[partnership.slug, *args])


def test_the_partnerships_administrator_and_a_superuser_open_every_set_up_page(
    partnership, administrator, superuser, objects
):
    for user in (administrator, superuser):
        client = client_for(user)
        for name in PAGES:
            url = address(name, partnership, objects)
            assert client.get(url).status_code == 200, (user, url)


@pytest.mark.parametrize("who", ["officer", "partner_officer", "board_member"])
def test_the_partnerships_other_people_are_refused_with_403(who, partnership, objects, request):
    client = client_for(request.getfixturevalue(who))
    for name in PAGES + POST_ONLY:
        url = address(name, partnership, objects)
        if name not in POST_ONLY:
            assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url


def test_another_partnerships_administrator_finds_nothing(
    partnership, other_administrator, objects
):
    client = client_for(other_administrator)
    for name in PAGES + POST_ONLY:
        url = address(name, partnership, objects)
        assert client.post(url).status_code == 404, url
        if name not in POST_ONLY:
            assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(partnership, objects, client):
    for name in PAGES + POST_ONLY:
        url = address(name, partnership, objects)
        response = client.post(url) if name in POST_ONLY else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/?next="), url


def test_an_administrator_cannot_reach_another_partnerships_objects_through_their_own(
    partnership, other_partnership, administrator
):
    """The partnership in the address is theirs, the object is not: 404."""
    client = client_for(administrator)
    theirs = factories.OrganisationFactory(partnership=other_partnership)
    board = factories.BoardFactory(partnership=other_partnership)
    stranger = factories.MembershipFactory(partnership=other_partnership).user
    for url in (
        reverse("partnerships:organisation_edit", args=[partnership.slug, theirs.pk]),
        reverse("partnerships:board", args=[partnership.slug, board.slug]),
        reverse("partnerships:person", args=[partnership.slug, stranger.pk]),
        reverse("partnerships:person_deactivate", args=[partnership.slug, stranger.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert stranger.memberships.exists()


def test_the_set_up_link_shows_only_to_administrators(partnership, administrator, officer):
    assert "Set up" in client_for(administrator).get(reverse("dashboard:home")).content.decode()
    assert "Set up" not in client_for(officer).get(reverse("dashboard:home")).content.decode()


def test_the_set_up_list_takes_an_administrator_of_one_partnership_straight_to_it(
    partnership, administrator, officer
):
    response = client_for(administrator).get(reverse("partnerships:list"))
    assert response["Location"] == reverse("partnerships:manage", args=[partnership.slug])
    assert client_for(officer).get(reverse("partnerships:list")).status_code == 403


def test_an_administrator_also_does_what_an_officer_does(partnership, administrator):
    from partnerships.access import Access

    access = Access(administrator)
    assert access.is_officer(partnership) and access.is_administrator(partnership)
    assert partnership.pk in access.officer_partnership_ids()
    assert not Access(factories.MembershipFactory(partnership=partnership).user).is_administrator(
        partnership
    )

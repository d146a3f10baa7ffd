"""People and their roles: change a role, deactivate someone who has left,
and the history of who changed what, in a fixed number of queries."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from partnerships.models import BoardMembership, Membership, RoleChange
from partnerships.services import invitation_create
from tests import factories
from tests.conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _signs_in(username: str, password: str) -> bool:
    """Through the real sign-in page, as a person would (the lock-out backend
    needs the request that Client.login does not give it)."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_an_administrator_changes_a_role_and_the_people_page_shows_who_did_it(
    partnership, administrator, officer
):
    client = client_for(administrator)
    organisation = factories.OrganisationFactory(partnership=partnership, name="Fire Service")
    response = client.post(
        reverse("partnerships:person", args=[partnership.slug, officer.pk]),
        {"role": "partner", "organisation": organisation.pk, "job_title": "Station manager"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=officer, partnership=partnership)
    assert (membership.role, membership.organisation) == ("partner", organisation)
    change = RoleChange.objects.get(action="changed")
    assert (change.old_role, change.new_role, change.changed_by) == (
        "Partnership officer", "Partner officer", administrator
    )
    page = client.get(reverse("partnerships:people", args=[partnership.slug])).content.decode()
    assert "Role changed: Partnership officer to Partner officer" in page


def test_an_administrator_cannot_change_their_own_role(partnership, administrator):
    response = client_for(administrator).post(
        reverse("partnerships:person", args=[partnership.slug, administrator.pk]),
        {"role": "officer"},
    )
    assert "You cannot change your own role" in response.content.decode()
    assert Membership.objects.get(user=administrator).role == "administrator"


def test_a_board_member_without_a_role_can_be_given_one(partnership, administrator, board,
                                                        board_member):
    client = client_for(administrator)
    client.post(reverse("partnerships:person", args=[partnership.slug, board_member.pk]),
                {"role": "officer"})
    assert Membership.objects.get(user=board_member, partnership=partnership).role == "officer"
    assert RoleChange.objects.get(user=board_member).action == "granted"


def test_a_deactivated_person_loses_their_roles_here_and_can_no_longer_sign_in(
    partnership, administrator, board
):
    person = factories.MembershipFactory(partnership=partnership).user
    factories.BoardMembershipFactory(board=board, user=person)
    assert _signs_in(person.username, PASSWORD)
    signed_in = client_for(person)

    response = client_for(administrator).post(
        reverse("partnerships:person_deactivate", args=[partnership.slug, person.pk])
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert not Membership.objects.filter(user=person).exists()
    assert not BoardMembership.objects.filter(user=person).exists()
    assert not _signs_in(person.username, PASSWORD)
    # An open session ends too.
    assert signed_in.get(reverse("dashboard:home")).status_code == 302
    assert list(RoleChange.objects.filter(user=person).values_list("action", flat=True)
                .order_by("pk")) == ["removed", "board_removed", "deactivated"]
    # The history stays on the people page.
    page = client_for(administrator).get(reverse("partnerships:people",
                                                 args=[partnership.slug]))
    assert "Deactivated" in page.content.decode()


def test_deactivating_someone_who_is_also_in_another_partnership_keeps_that_membership(
    partnership, other_partnership, administrator
):
    person = factories.MembershipFactory(partnership=partnership).user
    elsewhere = factories.MembershipFactory(partnership=other_partnership, user=person)
    client_for(administrator).post(
        reverse("partnerships:person_deactivate", args=[partnership.slug, person.pk])
    )
    person.refresh_from_db()
    assert person.is_active
    assert list(person.memberships.all()) == [elsewhere]
    assert _signs_in(person.username, PASSWORD)


def test_deactivating_withdraws_the_persons_waiting_invitations_here(
    partnership, administrator
):
    person = factories.UserFactory()
    invitation = invitation_create(partnership=partnership, email=person.email.upper(),
                                   role="officer", site_url="http://testserver")
    # They were given a role on a board before using the invitation.
    factories.BoardMembershipFactory(board=factories.BoardFactory(partnership=partnership),
                                     user=person)
    client_for(administrator).post(
        reverse("partnerships:person_deactivate", args=[partnership.slug, person.pk])
    )
    invitation.refresh_from_db()
    assert invitation.status == "revoked"


def test_an_administrator_cannot_deactivate_themselves(partnership, administrator):
    response = client_for(administrator).post(
        reverse("partnerships:person_deactivate", args=[partnership.slug, administrator.pk])
    )
    assert response.status_code == 400
    assert "You cannot deactivate yourself" in response.content.decode()
    assert get_user_model().objects.get(pk=administrator.pk).is_active


def _people_rows(partnership, board, n):
    for _ in range(n):
        member = factories.MembershipFactory(partnership=partnership)
        factories.BoardMembershipFactory(board=board, user=member.user,
                                         organisation=member.organisation)
        factories.BoardMembershipFactory(board=board)  # a board member without a role
        invitation_create(partnership=partnership, email=f"{member.user.username}@x.org",
                          role="officer", organisation=member.organisation,
                          by=member.user, site_url="http://testserver")


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_people_page_costs_the_same_queries_with_twice_the_people(
    partnership, administrator, board
):
    client = client_for(administrator)
    url = reverse("partnerships:people", args=[partnership.slug])
    _people_rows(partnership, board, 4)
    few = _queries(client, url)
    _people_rows(partnership, board, 4)
    assert _queries(client, url) == few
    assert few <= 12


def test_the_organisations_and_boards_pages_cost_the_same_queries_with_twice_the_rows(
    partnership, administrator
):
    client = client_for(administrator)
    urls = [reverse(f"partnerships:{name}", args=[partnership.slug])
            for name in ("organisations", "boards")]

    def add(n):
        for _ in range(n):
            organisation = factories.OrganisationFactory(partnership=partnership)
            factories.MembershipFactory(partnership=partnership, organisation=organisation)
            board = factories.BoardFactory(partnership=partnership)
            factories.BoardMembershipFactory(board=board, organisation=organisation)

    add(5)
    few = [_queries(client, url) for url in urls]
    add(5)
    assert [_queries(client, url) for url in urls] == few
    assert max(few) <= 8


def test_a_boards_page_costs_the_same_queries_with_twice_the_members(
    partnership, administrator, board
):
    client = client_for(administrator)
    url = reverse("partnerships:board", args=[partnership.slug, board.slug])
    for _ in range(4):
        factories.BoardMembershipFactory(board=board)
    few = _queries(client, url)
    for _ in range(4):
        factories.BoardMembershipFactory(board=board)
    assert _queries(client, url) == few

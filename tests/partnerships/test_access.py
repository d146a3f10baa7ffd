import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerships.access import Access, require
from partnerships.models import BoardMembership, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_officer_sees_and_runs_only_their_own_partnership(
    officer, partnership, other_partnership
):
    access = Access(officer)
    assert access.can_view(partnership) and access.is_officer(partnership)
    assert not access.can_view(other_partnership)
    assert not access.is_officer(other_partnership)


def test_a_partner_officer_updates_only_what_their_organisation_owns(partnership):
    membership = factories.MembershipFactory(partnership=partnership, role=Membership.Role.PARTNER)
    other_org = factories.OrganisationFactory(partnership=partnership)
    access = Access(membership.user)
    assert access.can_view(partnership)
    assert not access.is_officer(partnership)
    assert access.can_update_for_organisation(partnership, membership.organisation_id)
    assert not access.can_update_for_organisation(partnership, other_org.pk)


def test_a_board_member_sees_their_partnership_but_is_not_an_officer(board, board_member):
    access = Access(board_member)
    assert access.can_view(board.partnership)
    assert not access.is_officer(board.partnership)
    assert access.is_board_member(board)
    assert access.can_review_for(board)
    assert not access.can_decide_for(board)


def test_only_the_chair_and_secretary_record_board_decisions(board):
    roles = {}
    for role in BoardMembership.Role:
        bm = factories.BoardMembershipFactory(board=board, role=role)
        roles[role] = Access(bm.user).can_decide_for(board)
    assert roles == {"chair": True, "secretary": True, "member": False, "observer": False}


def test_observers_do_not_review(board):
    bm = factories.BoardMembershipFactory(board=board, role=BoardMembership.Role.OBSERVER)
    assert not Access(bm.user).can_review_for(board)


def test_require_answers_404_outside_the_partnership_and_403_for_the_wrong_role(
    partnership, other_partnership, board_member
):
    access = Access(board_member)
    with pytest.raises(Http404):
        require(access, other_partnership)
    with pytest.raises(PermissionDenied):
        require(access, partnership, officer=True)
    require(access, partnership)


def test_anonymous_access_sees_nothing(partnership):
    from django.contrib.auth.models import AnonymousUser

    access = Access(AnonymousUser())
    assert not access.can_view(partnership)
    assert access.partnership_ids() == set()


def test_memberships_load_once_per_request(officer, partnership, django_assert_num_queries):
    access = Access(officer)
    with django_assert_num_queries(2):
        for _ in range(10):
            access.can_view(partnership)
            access.is_officer(partnership)

"""Who may open each page: another partnership's things are not found (404);
in one's own partnership, the wrong role is forbidden (403)."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "officer", "partner", "chair", "member", "secretary", "observer",
         "other_board", "other_partnership"]


def _expect(anonymous, officer, partner, chair, member, secretary, observer, other_board,
            other_partnership):
    return dict(zip(ROLES, [anonymous, officer, partner, chair, member, secretary, observer,
                            other_board, other_partnership], strict=True))


VIEWERS = _expect(302, 200, 200, 200, 200, 200, 200, 200, 404)
OFFICERS_ONLY = _expect(302, 200, 403, 403, 403, 403, 403, 403, 404)
BOARD_AND_OFFICERS = _expect(302, 200, 403, 200, 200, 200, 200, 403, 404)
DECIDERS = _expect(302, 403, 403, 200, 403, 200, 403, 403, 404)

GET_PAGES = [
    ("milestones:plan", "strategy", VIEWERS),
    ("milestones:plan_generate", "strategy", OFFICERS_ONLY),
    ("milestones:signoff_new", "strategy", OFFICERS_ONLY),
    ("milestones:signoff_record_minutes", "strategy", DECIDERS),
    ("milestones:milestone", "milestone", VIEWERS),
    ("milestones:milestone_edit", "milestone", OFFICERS_ONLY),
    ("milestones:milestone_reschedule", "milestone", OFFICERS_ONLY),
    ("milestones:milestone_done_on", "milestone", OFFICERS_ONLY),
    ("milestones:signoff", "signoff", BOARD_AND_OFFICERS),
]


def _arg(world, kind):
    return {
        "strategy": world["strategy"].slug,
        "milestone": world["milestone"].pk,
        "signoff": world["signoff"].pk,
    }[kind]


@pytest.mark.parametrize("name,kind,expected", GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_each_page_opens_only_for_the_roles_it_serves(world, name, kind, expected):
    url = reverse(name, kwargs={kind: _arg(world, kind)})
    got = {role: client_for(world["users"][role]).get(url).status_code for role in ROLES}
    assert got == expected


def test_changing_a_milestone_status_is_for_officers_only(world):
    url = reverse("milestones:milestone_status", kwargs={"milestone": world["milestone"].pk})
    expected = _expect(302, 302, 403, 403, 403, 403, 403, 403, 404)
    got = {}
    for role in ROLES:
        response = client_for(world["users"][role]).post(url, {"status": "in_progress"})
        got[role] = response.status_code
    assert got == expected
    world["milestone"].refresh_from_db()
    assert world["milestone"].status == "in_progress"


def test_only_the_chair_and_members_of_the_board_can_post_a_review(world):
    url = reverse("milestones:signoff_review", kwargs={"signoff": world["signoff"].pk})
    data = {"position": "support", "comment": "", "seen_hash": world["signoff"].content_hash}
    expected = _expect(302, 403, 403, 302, 302, 403, 403, 403, 404)
    got = {role: client_for(world["users"][role]).post(url, data).status_code for role in ROLES}
    assert got == expected
    assert world["signoff"].reviews.count() == 2


def test_only_the_chair_or_secretary_of_the_board_can_post_the_decision(world):
    from tests.milestones.factories import review_all

    review_all(world["signoff"], world["people"]["voters"])
    url = reverse("milestones:signoff_decide", kwargs={"signoff": world["signoff"].pk})
    data = {
        "outcome": "approved", "conditions": "", "decided_on_0": "10", "decided_on_1": "2",
        "decided_on_2": "2022", "minute_reference": "RB/1",
        "seen_hash": world["signoff"].content_hash,
    }
    got = {}
    for role in ["anonymous", "officer", "partner", "member", "observer", "other_board",
                 "other_partnership", "chair"]:
        got[role] = client_for(world["users"][role]).post(url, data).status_code
    assert got == {"anonymous": 302, "officer": 403, "partner": 403, "member": 403,
                   "observer": 403, "other_board": 403, "other_partnership": 404, "chair": 302}
    world["signoff"].refresh_from_db()
    assert world["signoff"].decision.recorded_by == world["users"]["chair"]


def test_the_board_reviews_page_is_for_anyone_signed_in(world):
    url = reverse("milestones:reviews")
    assert client_for(None).get(url).status_code == 302
    for role in ROLES[1:]:
        assert client_for(world["users"][role]).get(url).status_code == 200


def test_board_reviews_list_only_what_is_before_the_user_s_own_boards(world):
    url = reverse("milestones:reviews")
    strategy_title = world["strategy"].title
    assert strategy_title in client_for(world["users"]["member"]).get(url).content.decode()
    assert strategy_title not in client_for(world["users"]["other_board"]).get(url).content.decode()
    assert strategy_title not in client_for(world["users"]["partner"]).get(url).content.decode()


def test_the_board_reviews_link_is_in_the_navigation_for_board_members_only(world):
    home = reverse("dashboard:home")
    assert "Board reviews" in client_for(world["users"]["observer"]).get(home).content.decode()
    assert "Board reviews" not in client_for(world["users"]["partner"]).get(home).content.decode()


def test_the_dashboard_shows_a_board_member_what_is_before_their_board(world):
    page = client_for(world["users"]["chair"]).get(reverse("dashboard:home")).content.decode()
    assert "Before your boards" in page and world["strategy"].title in page


def test_the_calendar_page_and_new_address_are_for_anyone_signed_in(world):
    page, new = reverse("milestones:calendar"), reverse("milestones:calendar_regenerate")
    assert client_for(None).get(page).status_code == 302
    assert client_for(None).post(new).status_code == 302
    for role in ROLES[1:]:
        client = client_for(world["users"][role])
        assert client.get(page).status_code == 200
        assert client.get(new).status_code == 405
        assert client.post(new).status_code == 302

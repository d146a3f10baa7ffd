"""The sign-off page and the board reviews list say one thing about where a
person stands, put the forms before the long details, and board members
find their boards' past decisions."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import SignOffOutcome
from milestones.parts import Part, standing
from milestones.services import signoff_decide, signoff_request
from partnerships.models import BoardMembership
from tests import factories
from tests.conftest import client_for
from tests.milestones.factories import board_with_members, review_all, strategy_with_content

pytestmark = pytest.mark.django_db


def _page(user, signoff) -> str:
    response = client_for(user).get(reverse("milestones:signoff", kwargs={"signoff": signoff.pk}))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _summary_value(html: str, key: str) -> str:
    match = re.search(
        rf'<dt class="govuk-summary-list__key">{key}</dt><dd class="govuk-summary-list__value">'
        r"(.*?)</dd>",
        html,
        re.S,
    )
    assert match, key
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_page_opens_with_what_is_asked_the_deadline_the_reviews_and_your_status(world):
    signoff = world["signoff"]
    html = _page(world["users"]["member"], signoff)
    assert _summary_value(html, "What is asked").startswith(
        f"To approve version {signoff.version.number} of {signoff.strategy.title}"
    )
    assert _summary_value(html, "Reviews so far").startswith("0 of the 2 needed for a decision")
    assert _summary_value(html, "Your status") == "Review needed"
    assert "Deadline" in html
    assert "Your review is awaited. 0 of the 2 reviews needed for a decision are in; 2 more " \
        "needed." in html


def test_the_forms_come_before_the_reviews_the_diff_and_the_consultation(world):
    html = _page(world["users"]["chair"], world["signoff"])
    positions = [html.index(marker) for marker in (
        'class="govuk-summary-list"', 'id="review"', 'id="decision"', 'id="reviews"',
        'id="what-changed"', 'id="consultation"', 'id="version"',
    )]
    assert positions == sorted(positions)
    # The first screen links to each form.
    assert html.index('href="#review"') < html.index('class="govuk-summary-list"')


def test_once_enough_reviews_are_in_the_chair_is_asked_to_decide_not_to_review(world):
    signoff = world["signoff"]
    review_all(signoff, world["people"]["voters"][1:3])
    html = _page(world["users"]["chair"], signoff)
    assert "Your part: record the board's decision" in html
    assert "Enough reviews are in (2 of 2): record the board's decision." in html
    assert "Your review is awaited" not in html
    assert "not quorate" not in html
    # The decision form comes first for the chair now.
    assert html.index('id="decision"') < html.index('id="review"')
    assert _summary_value(html, "Your status") == "Decision to record"


def test_a_member_who_has_not_reviewed_after_the_quorum_is_told_it_is_optional(world):
    signoff = world["signoff"]
    board, people = world["board"], world["people"]
    late = factories.BoardMembershipFactory(board=board, role=BoardMembership.Role.MEMBER).user
    review_all(signoff, people["voters"][:2])
    html = _page(late, signoff)
    assert "Your review is awaited" not in html
    assert "Enough reviews are in (2 of 2) for the board to decide. You may still add your " \
        "review." in html


def test_the_board_reviews_list_and_the_page_agree(world):
    signoff = world["signoff"]
    review_all(signoff, world["people"]["voters"][1:3])
    chair = world["users"]["chair"]
    listing = client_for(chair).get(reverse("milestones:reviews")).content.decode()
    assert "Decision to record" in listing and "Review needed" not in listing
    assert "2 of 2 needed" in listing
    assert _summary_value(_page(chair, signoff), "Your status") == "Decision to record"


@pytest.mark.parametrize("role,reviews_in,has_reviewed,part", [
    (BoardMembership.Role.CHAIR, 2, False, Part.DECIDE),
    (BoardMembership.Role.CHAIR, 1, False, Part.REVIEW),
    (BoardMembership.Role.CHAIR, 1, True, Part.REVIEWED),
    (BoardMembership.Role.MEMBER, 2, False, Part.QUORATE),
    (BoardMembership.Role.MEMBER, 2, True, Part.REVIEWED),
    (BoardMembership.Role.SECRETARY, 1, False, Part.WAITING),
    (BoardMembership.Role.SECRETARY, 2, False, Part.DECIDE),
    (BoardMembership.Role.OBSERVER, 2, False, Part.INFORMATION),
])
def test_a_persons_part_follows_their_role_and_the_reviews(role, reviews_in, has_reviewed, part):
    membership = BoardMembership(role=role)
    result = standing(pending=True, membership=membership, reviews_in=reviews_in, quorum=2,
                      has_reviewed=has_reviewed)
    assert result.part == part
    # Never both "enough are in" and "your review is awaited".
    if result.quorate:
        assert "Your review is awaited" not in result.sentence


def test_a_step_waiting_for_an_earlier_board_says_so():
    result = standing(pending=False, membership=BoardMembership(role="chair"), reviews_in=0,
                      quorum=2, has_reviewed=False, waiting_for_earlier=True)
    assert result.part == Part.EARLIER and not result.needs_action
    assert "once the boards before it" in result.sentence


def test_a_decided_sign_off_asks_nothing_of_anyone():
    result = standing(pending=False, membership=BoardMembership(role="chair"), reviews_in=0,
                      quorum=2, has_reviewed=False)
    assert result.part == Part.CLOSED and not result.needs_action


# Past decisions ---------------------------------------------------------------

def _decide(partnership, officer, board, people, day):
    strategy = strategy_with_content(partnership, priorities=0)
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    review_all(request, people["voters"])
    return signoff_decide(request=request, by=people["chair"], outcome=SignOffOutcome.APPROVED,
                          decided_on=day, minute_reference=f"M/{day:%m%d}")


def test_a_board_member_sees_their_boards_past_decisions_most_recent_first(partnership, officer):
    board, people = board_with_members(partnership)
    older = _decide(partnership, officer, board, people, dt.date(2022, 2, 1))
    newer = _decide(partnership, officer, board, people, dt.date(2023, 2, 1))
    other_board, other_people = board_with_members(partnership)
    elsewhere = _decide(partnership, officer, other_board, other_people, dt.date(2024, 2, 1))

    for url in (reverse("dashboard:home"), reverse("milestones:reviews"),
                reverse("milestones:decisions")):
        html = client_for(people["member"]).get(url).content.decode()
        assert html.index(newer.request.strategy.title) < html.index(older.request.strategy.title)
        assert reverse("milestones:signoff", kwargs={"signoff": elsewhere.request_id}) not in html
        assert "1 February 2023" in html
        assert reverse("milestones:signoff", kwargs={"signoff": newer.request_id}) in html


def test_the_decisions_page_is_paginated_and_does_not_grow_in_queries(partnership, officer,
                                                                    settings):
    from milestones import views

    board, people = board_with_members(partnership)
    client = client_for(people["member"])
    url = reverse("milestones:decisions")

    def queries(page=1):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"page": page})
        assert response.status_code == 200
        return len(ctx), response.content.decode()

    views.DECISIONS_PAGE_SIZE, size = 2, views.DECISIONS_PAGE_SIZE
    try:
        for day in (1, 2):
            _decide(partnership, officer, board, people, dt.date(2022, 3, day))
        before, _ = queries()
        for day in (3, 4):
            _decide(partnership, officer, board, people, dt.date(2022, 3, day))
        after, html = queries()
        assert after == before
        assert "4 decisions, showing 1 to 2" in html and 'href="?page=2"' in html
        _, second = queries(2)
        assert "2 March 2022" in second and "4 March 2022" not in second
    finally:
        views.DECISIONS_PAGE_SIZE = size


def test_someone_on_no_board_has_no_decisions_to_see(partnership, officer):
    html = client_for(officer).get(reverse("milestones:decisions")).content.decode()
    assert "Your boards have not recorded a decision here yet." in html


def test_the_second_board_of_a_route_is_told_it_waits_for_the_first(partnership, officer):
    first, _ = board_with_members(partnership)
    second, people = board_with_members(partnership)
    strategy = strategy_with_content(partnership)
    _, later = signoff_request(boards=[first, second], strategy=strategy, by=officer)
    page = _page(people["chair"], later)
    assert "Waiting for an earlier board" in page
    assert "once the boards before it on the route have approved" in page
    assert "Your review is awaited" not in page and 'id="review"' not in page

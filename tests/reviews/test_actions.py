"""The recommendations and actions tracker: officers follow every action of
their partnership; partner officers see and update only their own
organisation's; board members read the board report; nobody else sees any."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from partnerships.models import Membership
from partnerships.services import policing_recommendation_record
from reviews import services
from reviews.models import Action, Review
from tests import factories
from tests.conftest import client_for
from tests.reviews.conftest import add_action, days

pytestmark = pytest.mark.django_db


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _partner_org(user, partnership):
    return Membership.objects.get(user=user, partnership=partnership).organisation


def test_an_officer_adds_an_action_to_a_recommendation_and_it_is_tracked_to_completion(
    partnership, officer, recommendation, council
):
    client = client_for(officer)
    response = client.post(reverse("reviews:action_new", args=[partnership.slug]), {
        "source": f"r{recommendation.pk}", "description": "Agree a protocol with GP practices.",
        "owner": council.pk, **_date("due_on", days(30)),
    })
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert (action.recommendation, action.owner, action.status) == (
        recommendation, council, Action.Status.NOT_STARTED)

    response = client.post(action.get_absolute_url(), {
        "status": "done", **_date("done_on", days(-1)),
        "evidence": "Protocol signed by every GP practice.",
    })
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_on) == (Action.Status.DONE, days(-1))
    event = AuditEvent.objects.get(target_type="reviews.action", target_id=str(action.pk))
    assert "Not started → Done" in event.summary and event.actor == officer

    page = client.get(recommendation.review.get_absolute_url()).content.decode()
    assert "Agree a protocol with GP practices." in page
    assert "Every action done" in page


def test_marking_an_action_done_needs_the_date_and_the_evidence(
    partnership, officer, recommendation, council
):
    action = add_action(recommendation, council, due=10)
    response = client_for(officer).post(action.get_absolute_url(), {"status": "done"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter the date the action was done" in html
    assert "Say what shows the action was done" in html
    assert 'class="govuk-error-summary' in html
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED


def test_a_done_date_in_the_future_or_on_an_open_action_is_refused(recommendation, council):
    from django.core.exceptions import ValidationError

    action = add_action(recommendation, council, due=10)
    with pytest.raises(ValidationError, match="today or in the past"):
        services.action_progress(action=action, status="done", done_on=days(3), evidence="x")
    # Reopened: the date done goes, whatever was sent.
    services.action_progress(action=action, status="done", done_on=days(0), evidence="Minutes")
    services.action_progress(action=action, status="in_progress", done_on=days(0), evidence="")
    action.refresh_from_db()
    assert (action.status, action.done_on) == (Action.Status.IN_PROGRESS, None)


@pytest.mark.parametrize("post", [
    {"source": "r99999999999999999999", "description": "x", "owner": "1",
     "due_on_0": "1", "due_on_1": "1", "due_on_2": "2027"},
    {"source": "zzz", "description": "", "owner": "abc", "due_on_0": "31", "due_on_1": "2",
     "due_on_2": "2027"},
    {"source": "p-1", "description": "x" * 5000, "owner": "99999999999999999999",
     "due_on_0": "a", "due_on_1": "b", "due_on_2": "9" * 30},
    {"source": "r1\x00", "description": "\x00", "due_on_0": "1"},
    {},
])
def test_bad_input_to_the_action_form_gives_messages_never_an_error_page(
    partnership, officer, recommendation, post
):
    response = client_for(officer).post(reverse("reviews:action_new", args=[partnership.slug]),
                                        post)
    assert response.status_code == 200
    assert 'class="govuk-error-message"' in response.content.decode()
    assert not Action.objects.exists()


def test_an_action_cannot_be_owned_by_or_answer_another_partnerships_things(
    partnership, other_partnership, officer, recommendation, council
):
    theirs = factories.OrganisationFactory(partnership=other_partnership)
    their_review = services.review_create(
        partnership=other_partnership, kind=Review.Kind.SCRUTINY, title="Their scrutiny",
        started_on=days(-10), status=Review.Status.UNDER_WAY)
    their_rec = services.recommendation_add(review=their_review, number=1, text="Theirs")
    their_priority = factories.PriorityFactory(
        strategy=factories.StrategyFactory(partnership=other_partnership))
    client = client_for(officer)
    url = reverse("reviews:action_new", args=[partnership.slug])
    html = client.post(url, {"source": f"r{their_rec.pk}", "description": "x",
                             "owner": theirs.pk, "priority": their_priority.pk,
                             **_date("due_on", days(5))}).content.decode()
    assert "Choose one of the partnership&#x27;s recommendations" in html
    assert "Choose one of the partnership&#x27;s organisations" in html
    assert "Choose one of the partnership&#x27;s priorities" in html
    assert not Action.objects.exists()


def test_a_partner_officer_sees_and_updates_only_their_own_organisations_actions(
    partnership, partner_officer, recommendation, council
):
    mine = add_action(recommendation, _partner_org(partner_officer, partnership), due=5,
                      text="Flag domestic abuse on police referrals.")
    theirs = add_action(recommendation, council, due=5, text="Train safeguarding leads.")
    client = client_for(partner_officer)

    listing = client.get(reverse("reviews:actions", args=[partnership.slug])).content.decode()
    assert "Flag domestic abuse" in listing and "Train safeguarding" not in listing
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.post(theirs.get_absolute_url(), {"status": "in_progress"}).status_code == 404

    assert client.post(mine.get_absolute_url(), {"status": "in_progress"}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == Action.Status.IN_PROGRESS

    slug = partnership.slug
    for url in (reverse("reviews:action_new", args=[slug]),
                reverse("reviews:action_edit", args=[slug, mine.pk]),
                reverse("reviews:reviews", args=[slug]),
                recommendation.review.get_absolute_url(),
                reverse("reviews:board_report", args=[slug]),
                reverse("reviews:asb_returns", args=[slug])):
        assert client.get(url).status_code == 403, url
        # Pages that only read answer a POST with 405 before anything else.
        assert client.post(url, {}).status_code in (403, 405), url


def test_another_partnerships_people_find_nothing(
    partnership, other_officer, recommendation, council
):
    action = add_action(recommendation, council, due=5)
    client = client_for(other_officer)
    slug = partnership.slug
    for url in (reverse("reviews:actions", args=[slug]), action.get_absolute_url(),
                reverse("reviews:action_edit", args=[slug, action.pk]),
                reverse("reviews:board_report", args=[slug]),
                recommendation.review.get_absolute_url(),
                reverse("reviews:asb_returns", args=[slug])):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"status": "done"}).status_code in (404, 405), url
    # Their own partnership's pages do not list this one's actions either.
    own = client.get(reverse("reviews:actions", args=[other_officer.memberships.get()
                                                     .partnership.slug]))
    assert own.status_code == 200 and "Agree a protocol" not in own.content.decode()


def test_a_board_member_reads_the_board_report_of_open_and_overdue_actions(
    partnership, board_member, recommendation, council
):
    late = add_action(recommendation, council, due=-3, text="Late action text.")
    add_action(recommendation, council, due=20, text="Later action text.")
    done = add_action(recommendation, council, due=-30, text="Finished action text.")
    services.action_progress(action=done, status="done", done_on=days(-31), evidence="Minutes")
    client = client_for(board_member)
    html = client.get(reverse("reviews:board_report", args=[partnership.slug])).content.decode()
    overdue, later = html.split("Due later")
    assert "Late action text." in overdue and "Later action text." in later
    assert "Finished action text." not in html
    assert partnership.name in html
    assert client.get(reverse("reviews:actions", args=[partnership.slug])).status_code == 403
    assert client.get(late.get_absolute_url()).status_code == 403


def test_a_recommendation_is_met_only_when_every_action_is_done(
    officer, recommendation, council
):
    first = add_action(recommendation, council, due=3)
    add_action(recommendation, council, due=9)
    services.action_progress(action=first, status="done", done_on=days(0), evidence="Minutes")
    page = client_for(officer).get(recommendation.review.get_absolute_url()).content.decode()
    assert "Every action done" not in page


def test_an_administrator_adds_an_action_from_the_policing_bodys_recommendation(partnership):
    admin = factories.AdministratorFactory(partnership=partnership).user
    policing_recommendation_record(partnership=partnership, received_on=days(-9),
                                   recommendation="Cover rural crime.")
    client = client_for(admin)
    page = client.get(reverse("partnerships:policing_recommendations", args=[partnership.slug]))
    [link] = re.findall(r'href="([^"]*/actions/new/\?source=p\d+)"', page.content.decode())
    form = client.get(html.unescape(link)).content.decode()
    chosen = re.search(r'<option value="(p\d+)" selected>([^<]*)</option>', form)
    assert chosen and "Cover rural crime." in chosen.group(2)


def test_the_tracker_filters_by_status_owner_and_source_and_explains_bad_filters(
    partnership, officer, recommendation, council
):
    police = factories.OrganisationFactory(partnership=partnership, name="Police force")
    add_action(recommendation, council, due=-2, text="Overdue one.")
    add_action(recommendation, police, due=9, text="Upcoming one.")
    policing = policing_recommendation_record(partnership=partnership, received_on=days(-40),
                                              recommendation="Cover rural crime.")
    services.action_create(partnership=partnership, source=policing, description="Rural one.",
                           owner=police, due_on=days(60), priority=None)
    client = client_for(officer)
    url = reverse("reviews:actions", args=[partnership.slug])

    def listed(query: str) -> set[str]:
        html = client.get(url + query).content.decode()
        return {t for t in ("Overdue one.", "Upcoming one.", "Rural one.") if t in html}

    assert listed("") == {"Overdue one.", "Upcoming one.", "Rural one."}
    assert listed("?state=overdue") == {"Overdue one."}
    assert listed(f"?owner={police.pk}") == {"Upcoming one.", "Rural one."}
    assert listed("?source=policing") == {"Rural one."}
    assert listed("?source=dardr&state=open") == {"Overdue one.", "Upcoming one."}
    response = client.get(url + "?state=nonsense&owner=abc&page=zz")
    assert response.status_code == 200
    assert "These filters were not used" in response.content.decode()


def test_the_tracker_makes_the_same_queries_for_twice_the_actions(
    partnership, officer, recommendation, council
):
    client = client_for(officer)
    url = reverse("reviews:actions", args=[partnership.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        add_action(recommendation, council, due=n)
    few = queries()
    policing = policing_recommendation_record(partnership=partnership, received_on=days(-4),
                                              recommendation="More.")
    for n in range(3):
        add_action(recommendation, council, due=n + 5)
        services.action_create(partnership=partnership, source=policing, description="P",
                               owner=council, due_on=days(n), priority=None)
    assert queries() == few


def test_review_statuses_follow_the_home_office_quality_assurance_of_dardrs(
    partnership, officer
):
    client = client_for(officer)
    url = reverse("reviews:review_new", args=[partnership.slug])
    base = {"title": "Review", **_date("started_on", days(-100))}
    html = client.post(url, {**base, "kind": "asb", "status": "awaiting_qa"}).content.decode()
    assert "Only a Domestic Abuse Related Death Review waits for Home Office" in html
    html = client.post(url, {**base, "kind": "dardr", "status": "published",
                             **_date("published_on", days(-1))}).content.decode()
    assert "Enter the date the review was sent to the Home Office" in html
    html = client.post(url, {**base, "kind": "dardr", "status": "awaiting_qa",
                             **_date("sent_to_home_office_on", days(-200))}).content.decode()
    assert "must be on or after the date it started" in html
    assert not Review.objects.exists()

    response = client.post(url, {**base, "kind": "dardr", "status": "awaiting_qa",
                                 **_date("sent_to_home_office_on", days(-5))})
    review = Review.objects.get()
    assert response.status_code == 302 and review.status == Review.Status.AWAITING_QA
    response = client.post(reverse("reviews:review_edit", args=[partnership.slug, review.pk]), {
        **base, "kind": "dardr", "status": "published",
        **_date("sent_to_home_office_on", days(-5)), **_date("published_on", days(-1)),
    })
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="publication", target_id=str(review.pk)).exists()


def test_recommendation_numbers_are_unique_in_a_review(partnership, officer, recommendation):
    response = client_for(officer).post(recommendation.review.get_absolute_url(),
                                        {"number": "1", "text": "Again"})
    assert "already has a recommendation with this number" in response.content.decode()


@pytest.mark.parametrize("page", ["board_report", "reviews", "review"])
def test_the_board_report_and_review_pages_make_the_same_queries_for_twice_the_rows(
    partnership, officer, review, recommendation, council, page
):
    client = client_for(officer)
    url = (review.get_absolute_url() if page == "review"
           else reverse(f"reviews:{page}", args=[partnership.slug]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def more(start: int) -> None:
        for n in range(start, start + 2):
            rec = services.recommendation_add(review=review, number=n + 2, text=f"R{n}")
            add_action(rec, council, due=n - 3)
            add_action(recommendation, council, due=n + 3)
            other = services.review_create(
                partnership=partnership, kind=Review.Kind.SCRUTINY, title=f"Scrutiny {n}",
                started_on=days(-n), status=Review.Status.UNDER_WAY)
            add_action(services.recommendation_add(review=other, number=1, text="S"), council,
                       due=n)

    more(0)
    few = queries()
    more(2)
    assert queries() == few

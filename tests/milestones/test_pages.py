"""The plan, milestone, sign-off and approvals pages, as their users use them."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import Milestone, SignOffOutcome, SignOffRequest
from milestones.services import signoff_decide, signoff_request
from strategy.services import strategy_transition
from tests import factories
from tests.conftest import client_for
from tests.milestones.factories import board_with_members, review_all, strategy_with_content

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def _one_h1(html: str) -> str:
    h1s = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert len(h1s) == 1
    return h1s[0].strip()


# Plan ---------------------------------------------------------------------

def test_the_plan_lists_milestones_in_order_and_highlights_the_late_ones(world):
    page = client_for(world["users"]["officer"]).get(
        reverse("milestones:plan", kwargs={"strategy": world["strategy"].slug})
    ).content.decode()
    assert _one_h1(page) == "Plan and timeline"
    titles = [m.title for m in world["plan"]]
    positions = [page.index(t) for t in titles]
    # The chart (aria-hidden) comes first; the ordered list repeats them in order.
    list_part = page[page.index('<ol class="smk-timeline">'):]
    assert [list_part.index(t) for t in titles] == sorted(list_part.index(t) for t in titles)
    assert positions
    assert page.count("smk-timeline__item--late") == len(titles)  # all in 2021-22, long past
    assert 'class="smk-chart" aria-hidden="true"' in page


def test_a_plan_page_makes_as_many_queries_for_twice_the_milestones(world):
    client = client_for(world["users"]["officer"])
    url = reverse("milestones:plan", kwargs={"strategy": world["strategy"].slug})
    before = _queries(client, url)
    for m in list(world["plan"]):
        extra = factories.MilestoneFactory(partnership=world["partnership"],
                                           strategy=world["strategy"], board=world["board"],
                                           owner=world["users"]["officer"])
        extra.depends_on.add(m)
    assert _queries(client, url) == before


def test_an_officer_generates_a_plan_from_a_template_and_an_adoption_date(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership)
    from milestones.demo import partnership_template

    template = partnership_template(partnership)
    url = reverse("milestones:plan_generate", kwargs={"strategy": strategy.slug})
    response = client_for(officer).post(url, {
        "template": template.pk, "adoption_0": "24", "adoption_1": "3", "adoption_2": "2022",
    })
    assert response.status_code == 302
    plan = list(Milestone.objects.filter(strategy=strategy).order_by("due_date", "order"))
    assert plan[0].due_date == dt.date(2021, 7, 24) and plan[-1].due_date == dt.date(2022, 3, 24)


@pytest.mark.parametrize("day,month,year,message", [
    ("", "", "", "Enter the target adoption date"),
    ("31", "2", "2022", "The target adoption date must be a real date"),
    ("24", "", "2022", "The target adoption date must include a month"),
    ("1", "3", "22", "Year must include 4 numbers"),
    ("1", "3", "2202", "Year must be between 2000 and 2100"),
])
def test_the_adoption_date_is_checked_in_plain_english(partnership, officer, day, month, year,
                                                       message):
    strategy = factories.StrategyFactory(partnership=partnership)
    url = reverse("milestones:plan_generate", kwargs={"strategy": strategy.slug})
    response = client_for(officer).post(url, {"adoption_0": day, "adoption_1": month,
                                              "adoption_2": year})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "<title>Error: " in page
    assert not Milestone.objects.filter(strategy=strategy).exists()


def test_a_second_plan_is_refused(world):
    url = reverse("milestones:plan_generate", kwargs={"strategy": world["strategy"].slug})
    response = client_for(world["users"]["officer"]).post(url, {
        "template": world["plan"][0].template_step.template_id,
        "adoption_0": "1", "adoption_1": "3", "adoption_2": "2023",
    })
    assert "already has a plan" in response.content.decode()
    assert Milestone.objects.filter(strategy=world["strategy"]).count() == 8


# Milestones ---------------------------------------------------------------

def test_rescheduling_through_the_page_needs_a_reason_and_shows_it_in_the_history(world):
    client = client_for(world["users"]["officer"])
    milestone = world["plan"][5]
    url = reverse("milestones:milestone_reschedule", kwargs={"milestone": milestone.pk})
    data = {"due_date_0": "24", "due_date_1": "2", "due_date_2": "2022", "reason": ""}
    assert "Enter the reason for the new date" in client.post(url, data).content.decode()
    data["reason"] = "Risk Board meeting moved to the 24th"
    assert client.post(url, data).status_code == 302
    detail = client.get(reverse("milestones:milestone", kwargs={"milestone": milestone.pk}))
    assert "Rescheduled: Risk Board meeting moved to the 24th" in detail.content.decode()


def test_an_officer_edits_a_milestone_and_its_dependencies(world):
    milestone = world["plan"][7]
    url = reverse("milestones:milestone_edit", kwargs={"milestone": milestone.pk})
    response = client_for(world["users"]["officer"]).post(url, {
        "title": "Strategy adopted", "description": "", "kind": "adoption",
        "board": world["board"].pk, "owner": world["users"]["officer"].pk,
        "depends_on": [world["plan"][5].pk, world["plan"][6].pk],
    })
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Strategy adopted" and milestone.board == world["board"]
    assert milestone.depends_on.count() == 2


def test_an_officer_marks_a_milestone_done(world):
    milestone = world["plan"][0]
    client_for(world["users"]["officer"]).post(
        reverse("milestones:milestone_status", kwargs={"milestone": milestone.pk}),
        {"status": "done"},
    )
    milestone.refresh_from_db()
    assert milestone.status == "done" and milestone.completed_on is not None


# Sign-off -----------------------------------------------------------------

def test_an_officer_sends_the_strategy_to_a_route_of_boards(world):
    second = factories.BoardFactory(partnership=world["partnership"])
    strategy = strategy_with_content(world["partnership"])
    url = reverse("milestones:signoff_new", kwargs={"strategy": strategy.slug})
    response = client_for(world["users"]["officer"]).post(url, {
        "subject": "strategy", "first_board": world["board"].pk, "second_board": second.pk,
        "third_board": "", "note": "Final draft",
    })
    assert response.status_code == 302
    steps = list(SignOffRequest.objects.filter(strategy=strategy).order_by("step"))
    assert [(s.board, s.status) for s in steps] == [
        (world["board"], "pending"), (second, "waiting"),
    ]


def test_the_review_page_shows_the_frozen_version_the_diff_and_no_made_up_consultation(world):
    signoff = world["signoff"]
    review_all(signoff, world["people"]["voters"])
    signoff_decide(request=signoff, by=world["people"]["chair"],
                   outcome=SignOffOutcome.APPROVED, decided_on=dt.date(2022, 2, 1),
                   minute_reference="A/1")
    strategy = world["strategy"]
    strategy.foreword = "Written after the first approval."
    strategy.save()
    (next_request,) = signoff_request(boards=[world["board"]], strategy=strategy,
                                      by=world["users"]["officer"])
    page = client_for(world["users"]["member"]).get(
        reverse("milestones:signoff", kwargs={"signoff": next_request.pk})
    ).content.decode()
    assert next_request.content_hash in page
    assert "What changed" in page and "Written after the first approval." in page
    assert "Compared with version 1" in page
    assert "No consultation summary is available for this version." in page
    assert "Record my review" in page and "Record the decision" not in page


def test_opening_the_page_after_an_edit_asks_about_the_new_version(world):
    world["strategy"].aim = "A new aim"
    world["strategy"].save()
    page = client_for(world["users"]["chair"]).get(
        reverse("milestones:signoff", kwargs={"signoff": world["signoff"].pk})
    ).content.decode()
    world["signoff"].refresh_from_db()
    assert world["signoff"].version.number == 2
    assert "version 2" in page and "A new aim" in page


def test_a_decision_without_quorum_is_shown_as_an_error_next_to_the_form(world):
    signoff = world["signoff"]
    response = client_for(world["users"]["chair"]).post(
        reverse("milestones:signoff_decide", kwargs={"signoff": signoff.pk}),
        {"outcome": "approved", "decided_on_0": "1", "decided_on_1": "2", "decided_on_2": "2022",
         "minute_reference": "A/1", "seen_hash": signoff.content_hash},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "not quorate" in page and "<title>Error: " in page
    assert not hasattr(SignOffRequest.objects.get(pk=signoff.pk), "decision")


def test_the_review_page_makes_as_many_queries_for_twice_the_reviews(partnership, officer):
    board, people = board_with_members(partnership, quorum=2, voters=3)
    strategy = strategy_with_content(partnership)
    (signoff,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    review_all(signoff, people["voters"])
    client = client_for(people["chair"])
    url = reverse("milestones:signoff", kwargs={"signoff": signoff.pk})
    before = _queries(client, url)
    more = [factories.BoardMembershipFactory(board=board).user for _ in range(3)]
    review_all(signoff, more)
    assert _queries(client, url) == before


def test_the_board_reviews_page_makes_as_many_queries_for_twice_the_requests(partnership,
                                                                             officer):
    board, people = board_with_members(partnership)
    client = client_for(people["member"])

    def add(n):
        for _ in range(n):
            strategy = strategy_with_content(partnership, priorities=0)
            signoff_request(boards=[board], strategy=strategy, by=officer)

    add(2)
    before = _queries(client, reverse("milestones:reviews"))
    add(2)
    assert _queries(client, reverse("milestones:reviews")) == before
    assert client.get(reverse("milestones:reviews")).content.decode().count("Review needed") == 4


# Public approvals ------------------------------------------------------------

def _published_with_decisions(partnership, officer, boards=1):
    strategy = strategy_with_content(partnership)
    decisions = []
    for _ in range(boards):
        board, people = board_with_members(partnership)
        (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
        review_all(request, people["voters"])
        decisions.append(signoff_decide(request=request, by=people["chair"],
                                        outcome=SignOffOutcome.APPROVED,
                                        decided_on=dt.date(2022, 2, 1), minute_reference="M/1"))
    for status in ("sign_off", "adopted", "published"):
        strategy_transition(strategy=strategy, to_status=status, by=officer)
    return strategy, decisions


def test_anyone_can_check_which_version_each_board_approved(partnership, officer, client):
    strategy, (decision,) = _published_with_decisions(partnership, officer)
    page = client.get(reverse("milestones:approvals", kwargs={"strategy": strategy.slug}))
    html = page.content.decode()
    assert page.status_code == 200
    assert _one_h1(html) == "Board approvals"
    assert decision.content_hash in html and decision.request.board.name in html
    assert "Yes" in html  # the published text is the approved text


def test_the_approvals_page_of_an_unpublished_strategy_is_not_found_by_the_public(world, client):
    url = reverse("milestones:approvals", kwargs={"strategy": world["strategy"].slug})
    assert client.get(url).status_code == 404


def test_the_partnerships_own_people_see_approvals_before_publication(world, partnership,
                                                                      officer):
    strategy, (decision,) = _decided_not_published(partnership, officer)
    url = reverse("milestones:approvals", kwargs={"strategy": strategy.slug})
    board_member = decision.request.board.memberships.order_by("pk").first().user
    for user in (officer, board_member):
        page = client_for(user).get(url)
        html = page.content.decode()
        assert page.status_code == 200, user
        assert "not published yet" in html
        assert decision.content_hash in html and decision.request.board.name in html
        # Back to the manage page, not to a public page that does not exist yet.
        assert reverse("strategy:detail", args=[strategy.slug]) in html


def test_another_partnerships_people_do_not_find_approvals_before_publication(partnership,
                                                                              officer):
    strategy, _ = _decided_not_published(partnership, officer)
    url = reverse("milestones:approvals", kwargs={"strategy": strategy.slug})
    other = factories.PartnershipFactory()
    stranger = factories.MembershipFactory(partnership=other, role="officer").user
    assert client_for(stranger).get(url).status_code == 404


def _decided_not_published(partnership, officer):
    strategy = strategy_with_content(partnership)
    board, people = board_with_members(partnership)
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    review_all(request, people["voters"])
    decision = signoff_decide(request=request, by=people["chair"],
                              outcome=SignOffOutcome.APPROVED,
                              decided_on=dt.date(2022, 2, 1), minute_reference="M/1")
    return strategy, [decision]


def test_the_approvals_page_makes_as_many_queries_for_twice_the_decisions(partnership, officer,
                                                                         client):
    one, _ = _published_with_decisions(partnership, officer, boards=1)
    two, _ = _published_with_decisions(partnership, officer, boards=2)
    assert _queries(client, reverse("milestones:approvals", kwargs={"strategy": one.slug})) == (
        _queries(client, reverse("milestones:approvals", kwargs={"strategy": two.slug}))
    )


def test_a_milestone_page_makes_as_many_queries_for_twice_the_history_and_dependencies(world):
    from milestones.services import milestone_reschedule

    client = client_for(world["users"]["officer"])
    milestone = world["plan"][7]
    url = reverse("milestones:milestone", kwargs={"milestone": milestone.pk})

    def grow():
        for day in (10, 11):
            milestone_reschedule(milestone=milestone, due_date=dt.date(2022, 3, day),
                                 reason=f"Moved to the {day}th")
        milestone.depends_on.add(*world["plan"][:2])

    grow()
    before = _queries(client, url)
    grow()
    milestone.depends_on.add(*world["plan"][2:4])
    assert _queries(client, url) == before


def test_the_edit_page_makes_as_many_queries_for_twice_the_plan(world):
    client = client_for(world["users"]["officer"])
    url = reverse("milestones:milestone_edit", kwargs={"milestone": world["milestone"].pk})
    before = _queries(client, url)
    for _ in range(len(world["plan"])):
        factories.MilestoneFactory(partnership=world["partnership"], strategy=world["strategy"])
        factories.MembershipFactory(partnership=world["partnership"])
    assert _queries(client, url) == before


def test_the_strategy_page_links_to_its_plan_and_sign_offs(world):
    strategy = world["strategy"]
    page = client_for(world["users"]["officer"]).get(
        reverse("strategy:detail", args=[strategy.slug])
    ).content.decode()
    assert f'href="{reverse("milestones:plan", args=[strategy.slug])}"' in page
    assert "Plan, timeline and board sign-offs" in page

"""The dashboard leads with what needs doing: late first, then due today,
this week and coming up, each a link that says what to do and by when."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation.models import Consultation
from dashboard.todo import Group, period_name
from milestones.services import signoff_request
from partnerships.models import Membership
from reminders.kinds import Kind
from reminders.models import Notice, SentReminder
from strategy.models import Measure, Strategy
from tests import factories
from tests.conftest import client_for
from tests.consultation.factories import open_consultation
from tests.milestones.factories import board_with_members, review_all, strategy_with_content

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _today():
    return timezone.localdate()


def _todo_section(html: str) -> str:
    start = html.index('id="todo-heading"')
    return html[start : html.index("</section>", start)]


def _milestone(partnership, days, **kwargs):
    return factories.MilestoneFactory(
        partnership=partnership, due_date=_today() + dt.timedelta(days=days), **kwargs
    )


def _dashboard(user) -> str:
    response = client_for(user).get(reverse("dashboard:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_officer_sees_late_then_today_then_this_week_then_coming_up_with_counts(
    partnership, officer
):
    _milestone(partnership, 20, title="Book the board room")
    _milestone(partnership, 3, title="Send the papers")
    _milestone(partnership, 0, title="Agree the agenda")
    _milestone(partnership, -14, title="Circulate the draft")
    html = _todo_section(_dashboard(officer))

    headings = re.findall(r'<h3 class="govuk-heading-m smk-todo__group[^"]*"[^>]*>([^<]+)', html)
    assert [h.strip() for h in headings] == ["Late", "Due today", "Due this week", "Coming up"]
    assert "<strong>1</strong> late, <strong>1</strong> due today, <strong>1</strong> due this " \
        "week and <strong>1</strong> coming up" in html
    assert "Mark “Circulate the draft” done, or reschedule it" in html
    assert "(due 14 days ago)" in html
    assert "Complete “Agree the agenda”</a> <span class=\"smk-todo__when\">(due today)" in html
    assert "(due in 3 days)" in html and "(due in 20 days)" in html
    # Most urgent first.
    order = [html.index(t) for t in ("Circulate", "Agree the agenda", "Send the papers",
                                     "Book the board room")]
    assert order == sorted(order)


def test_what_needs_doing_comes_before_every_other_panel(partnership, officer):
    _milestone(partnership, -1, title="Circulate the draft")
    html = _dashboard(officer)
    assert html.index("What needs doing") < html.index("Notices") < html.index("What is due")


def test_nothing_to_do_says_so(partnership, officer):
    html = _todo_section(_dashboard(officer))
    assert "Nothing needs doing: nothing is late, due this week or due in the next four weeks." \
        in html


def test_another_partnerships_deadlines_are_not_shown(partnership, officer, other_partnership):
    _milestone(other_partnership, -1, title="Someone else's milestone")
    assert "Someone else's milestone" not in _dashboard(officer)


def test_a_partner_officer_is_asked_for_their_own_organisations_figures_only(partnership):
    police = factories.OrganisationFactory(partnership=partnership)
    fire = factories.OrganisationFactory(partnership=partnership)
    partner = factories.MembershipFactory(
        partnership=partnership, role=Membership.Role.PARTNER, organisation=police
    ).user
    strategy = factories.StrategyFactory(partnership=partnership, status=Strategy.Status.PUBLISHED)
    today = _today()
    common = dict(
        objective__priority__strategy=strategy,
        frequency=Measure.Frequency.QUARTERLY,
        baseline_date=today - dt.timedelta(days=400),
        target_date=today + dt.timedelta(days=700),
    )
    factories.MeasureFactory(title="Violence with injury", owner_organisation=police, **common)
    factories.MeasureFactory(title="Deliberate fires", owner_organisation=fire, **common)
    html = _todo_section(_dashboard(partner))
    assert re.search(r"Enter the Q\d \d{4}/\d\d figure for Violence with injury", html)
    assert "Deliberate fires" not in html


def test_a_figure_already_entered_is_not_asked_for(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership, status=Strategy.Status.PUBLISHED)
    today = _today()
    measure = factories.MeasureFactory(
        objective__priority__strategy=strategy, title="Violence with injury",
        frequency=Measure.Frequency.MONTHLY,
        baseline_date=today - dt.timedelta(days=400), target_date=today + dt.timedelta(days=700),
    )
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    assert "Violence with injury" in _todo_section(_dashboard(officer))
    factories.MeasurementFactory(measure=measure, period_end=last_month_end, value=5)
    assert "Violence with injury" not in _todo_section(_dashboard(officer))


@pytest.mark.parametrize("frequency,end,name", [
    (Measure.Frequency.QUARTERLY, dt.date(2022, 9, 30), "Q2 2022/23"),
    (Measure.Frequency.QUARTERLY, dt.date(2023, 3, 31), "Q4 2022/23"),
    (Measure.Frequency.MONTHLY, dt.date(2023, 3, 31), "March 2023"),
    (Measure.Frequency.ANNUALLY, dt.date(2023, 3, 31), "2022/23"),
])
def test_periods_are_named_as_partnerships_report_them(frequency, end, name):
    assert period_name(frequency, end) == name


def test_an_open_consultation_asks_for_its_responses_to_be_reviewed(partnership, officer):
    closes = timezone.now() + dt.timedelta(days=18)
    consultation = open_consultation(partnership, title="Have your say", closes_at=closes)
    html = _todo_section(_dashboard(officer))
    assert "Review responses to the open consultation “Have your say”" in html
    assert "(closes in 18 days)" in html
    assert consultation.get_manage_url() in html


def test_a_closed_consultation_asks_for_an_export_before_its_data_is_deleted(
    partnership, officer
):
    consultation = open_consultation(partnership, title="Have your say")
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - dt.timedelta(days=consultation.retention_days - 5),
        status=Consultation.Status.FEEDBACK,
    )
    html = _todo_section(_dashboard(officer))
    assert "Export what you still need from “Have your say” before its free text is deleted" \
        in html
    assert "(deleted in 5 days)" in html


def _signoff(partnership, officer, *, quorum=2):
    board, people = board_with_members(partnership, quorum=quorum)
    strategy = strategy_with_content(partnership)
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    return request, people


def test_a_member_is_asked_to_review_and_the_chair_to_decide_once_enough_reviews_are_in(
    partnership, officer
):
    request, people = _signoff(partnership, officer)
    member_html = _todo_section(_dashboard(people["member"]))
    assert f"Review {request.subject_title} for the {request.board.name}" in member_html
    assert "Decide" not in member_html

    review_all(request, people["voters"][1:3])
    chair_html = _todo_section(_dashboard(people["chair"]))
    assert f"Decide the {request.board.name} sign-off of {request.subject_title}" in chair_html
    # Enough reviews are in: the chair is not also told their review is awaited.
    assert "Review " not in chair_html
    assert reverse("milestones:signoff", args=[request.pk]) + "#decision" in chair_html
    # The member who reviewed has nothing left to do about it.
    assert request.subject_title not in _todo_section(_dashboard(people["member"]))


def test_a_review_notice_that_no_longer_holds_is_left_off_the_dashboard(partnership, officer):
    request, people = _signoff(partnership, officer)
    chair = people["chair"]
    now = timezone.now()
    from django.contrib.contenttypes.models import ContentType

    reminder = SentReminder.objects.create(
        recipient=chair, subject_type=ContentType.objects.get_for_model(request),
        subject_id=request.pk, kind=Kind.SIGNOFF_REVIEW, threshold="wait:0",
        title="Your review is awaited: the strategy", body="", path="/", claimed_at=now,
    )
    Notice.objects.create(recipient=chair, reminder=reminder, title=reminder.title,
                          created_at=now)
    assert "Your review is awaited: the strategy" in _dashboard(chair)
    review_all(request, people["voters"][1:3])
    assert "Your review is awaited: the strategy" not in _dashboard(chair)


def test_the_dashboard_makes_as_many_queries_for_twice_the_tasks(partnership, officer):
    client = client_for(officer)
    strategy = factories.StrategyFactory(partnership=partnership, status=Strategy.Status.PUBLISHED)
    today = _today()

    def add_tasks():
        for days in (-3, 0, 4, 15):
            _milestone(partnership, days)
        factories.MeasureFactory(
            objective__priority__strategy=strategy, frequency=Measure.Frequency.MONTHLY,
            baseline_date=today - dt.timedelta(days=400),
            target_date=today + dt.timedelta(days=700),
        )
        open_consultation(partnership, closes_at=timezone.now() + dt.timedelta(days=10))
        closed = open_consultation(partnership)
        Consultation.objects.filter(pk=closed.pk).update(
            closes_at=timezone.now() - dt.timedelta(days=27),
            retention_days=30,
            status=Consultation.Status.FEEDBACK,
        )
        request, people = _signoff(partnership, officer)
        factories.BoardMembershipFactory(board=request.board, user=officer, role="member")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("dashboard:home"))
        assert response.status_code == 200
        return len(ctx), response.content.decode().count('class="smk-todo__item')

    _, standing_items = count()  # statutory duties, whatever else there is
    add_tasks()
    queries, items = count()
    add_tasks()
    more_queries, more_items = count()
    assert items - standing_items == 8
    assert more_items - standing_items == 16
    assert more_queries == queries


def test_groups_follow_the_calendar():
    from dashboard.todo import group_for

    today = dt.date(2026, 3, 2)
    assert group_for(dt.date(2026, 3, 1), today) == Group.LATE
    assert group_for(today, today) == Group.TODAY
    assert group_for(dt.date(2026, 3, 9), today) == Group.WEEK
    assert group_for(dt.date(2026, 3, 10), today) == Group.LATER
    assert group_for(None, today) == Group.LATER

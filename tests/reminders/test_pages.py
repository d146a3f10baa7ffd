"""The reminder pages: preferences, notices, the statutory compliance page and
recording a duty. Role matrix and query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Membership
from reminders.models import DutyRecord, Notice, ReminderPreferences
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _notice(user, title="Milestone due in 7 days: Board paper", **kwargs):
    return Notice.objects.create(
        recipient=user,
        title=title,
        body="It is due.",
        path="/dashboard/",
        created_at=timezone.now(),
        **kwargs,
    )


# Preferences ---------------------------------------------------------------


def test_preferences_start_with_every_kind_on_and_single_emails(officer):
    response = client_for(officer).get(reverse("reminders:preferences"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    # Every kind, including review actions, the ASB case review figures and
    # the serious violence strategy's annual review.
    assert html.count('name="kinds"') == 12
    assert html.count('checked="checked"') == 13  # twelve kinds and "one e-mail for each"


def test_saving_preferences_turns_kinds_off_and_chooses_the_digest(officer):
    response = client_for(officer).post(
        reverse("reminders:preferences"),
        {"kinds": ["milestone", "assessment_due"], "daily_digest": "1"},
    )
    assert response.status_code == 302
    prefs = ReminderPreferences.objects.get(user=officer)
    assert prefs.daily_digest is True
    assert prefs.wants("milestone") and prefs.wants("assessment_due")
    assert not prefs.wants("measure_update")


def test_preferences_without_a_choice_of_delivery_show_the_error(officer):
    response = client_for(officer).post(reverse("reminders:preferences"), {"kinds": []})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Reminder preferences" in html
    assert "Choose how reminders should arrive" in html
    assert "govuk-error-summary" in html


def test_preferences_page_queries_do_not_grow(officer, django_assert_max_num_queries):
    client = client_for(officer)
    with django_assert_max_num_queries(8):
        client.get(reverse("reminders:preferences"))


# Notices -------------------------------------------------------------------


def test_the_dashboard_lists_unread_notices_with_a_mark_as_read_button(partnership, officer):
    unread = _notice(officer, title="Unread one")
    _notice(officer, title="Read one", read_at=timezone.now())
    html = client_for(officer).get(reverse("dashboard:home")).content.decode()
    assert "Unread one" in html and "Read one" not in html
    assert reverse("reminders:notice_read", args=[unread.pk]) in html
    assert reverse("reminders:preferences") in html
    assert reverse("reminders:compliance", args=[partnership.slug]) in html


def test_marking_a_notice_as_read_removes_it_from_the_dashboard(officer):
    notice = _notice(officer)
    client = client_for(officer)
    response = client.post(
        reverse("reminders:notice_read", args=[notice.pk]), {"next": "/dashboard/"}
    )
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert notice.title not in client.get(reverse("dashboard:home")).content.decode()


def test_nobody_can_mark_another_persons_notice(officer, other_officer):
    notice = _notice(officer)
    response = client_for(other_officer).post(reverse("reminders:notice_read", args=[notice.pk]))
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_as_read_needs_a_post(officer):
    notice = _notice(officer)
    assert (
        client_for(officer).get(reverse("reminders:notice_read", args=[notice.pk])).status_code
        == 405
    )


def test_marking_as_read_never_redirects_off_site(officer):
    notice = _notice(officer)
    response = client_for(officer).post(
        reverse("reminders:notice_read", args=[notice.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dashboard:home")


def test_the_notices_panel_costs_the_same_with_twice_the_notices(officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(officer)
    for i in range(5):
        _notice(officer, title=f"Notice {i}")
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("dashboard:home"))
    for i in range(5, 10):
        _notice(officer, title=f"Notice {i}")
    with CaptureQueriesContext(connection) as second:
        response = client.get(reverse("dashboard:home"))
    assert len(second) == len(first)
    assert response.content.decode().count("Mark as read") == 10


# Compliance page -----------------------------------------------------------


@pytest.fixture
def people(partnership, other_partnership):
    board = factories.BoardFactory(partnership=partnership)
    return {
        "officer": (factories.MembershipFactory(partnership=partnership).user, 200, 200),
        "partner officer": (
            factories.MembershipFactory(partnership=partnership, role=Membership.Role.PARTNER).user,
            200,
            403,
        ),
        "board member": (factories.BoardMembershipFactory(board=board).user, 200, 403),
        "officer of another partnership": (
            factories.MembershipFactory(partnership=other_partnership).user,
            404,
            404,
        ),
        "administrator": (
            factories.UserFactory(username="root", is_superuser=True, is_staff=True),
            200,
            200,
        ),
        "signed in, no partnership": (factories.UserFactory(), 404, 404),
    }


def test_compliance_page_role_matrix(partnership, people):
    page = reverse("reminders:compliance", args=[partnership.slug])
    record = reverse("reminders:duty_record", args=[partnership.slug])
    for who, (user, view_status, record_status) in people.items():
        client = client_for(user)
        assert client.get(page).status_code == view_status, who
        assert client.get(record).status_code == record_status, who
        response = client.post(record, {"duty": "pcc", "done_on": "2 4 2024"})
        assert response.status_code == (302 if record_status == 200 else record_status), who


def test_compliance_page_lists_every_duty_with_its_status(partnership, officer):
    DutyRecord.objects.create(partnership=partnership, duty="pcc", done_on=timezone.localdate())
    html = (
        client_for(officer)
        .get(reverse("reminders:compliance", args=[partnership.slug]))
        .content.decode()
    )
    for name in (
        "Annual strategic assessment",
        "Three-year strategy",
        "Annual refresh of the strategy",
        "Public consultation",
        # No body recorded for this partnership: the duty says so plainly.
        "Send the plan to the local policing body",
        "Annual scrutiny",
        "Publish a summary of the plan",
    ):
        assert name in html
    assert "Up to date" in html and "Not recorded" in html
    assert "Record a duty" in html


def test_board_members_see_the_page_without_the_record_button(partnership, board_member):
    html = (
        client_for(board_member)
        .get(reverse("reminders:compliance", args=[partnership.slug]))
        .content.decode()
    )
    assert "Statutory duties" in html and "Record a duty" not in html


def test_compliance_page_queries_do_not_grow_with_the_data(partnership, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_data(offset):
        for i in range(3):
            year = 2010 + offset + i
            DutyRecord.objects.create(
                partnership=partnership,
                duty="scrutiny",
                done_on=dt.date(year, 5, 1),
                recorded_by=officer,
            )
            factories.StrategyFactory(
                partnership=partnership,
                status="published",
                period_start=dt.date(year, 4, 1),
                period_end=dt.date(year + 3, 3, 31),
            )
            from strategy.models import StrategicAssessment

            StrategicAssessment.objects.create(
                partnership=partnership, year=year, title=f"SA {year}", status="signed_off"
            )

    client = client_for(officer)
    url = reverse("reminders:compliance", args=[partnership.slug])
    add_data(0)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    add_data(3)
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(second) == len(first)


def test_recording_a_duty_shows_it_on_the_page(partnership, officer):
    client = client_for(officer)
    response = client.post(
        reverse("reminders:duty_record", args=[partnership.slug]),
        {"duty": "pcc", "done_on": "2 4 2024", "note": "Letter to the PCC"},
    )
    assert response.status_code == 302
    record = DutyRecord.objects.get()
    assert (record.duty, record.done_on, record.recorded_by) == (
        "pcc",
        dt.date(2024, 4, 2),
        officer,
    )
    html = client.get(response["Location"]).content.decode()
    assert "Letter to the PCC" in html and "2 Apr 2024" in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"duty": "pcc", "done_on": ""}, "Enter the date it was done"),
        ({"duty": "pcc", "done_on": "31 2 2024"}, "Enter a real date, like 2 4 2024"),
        ({"done_on": "2 4 2024"}, "Choose the duty that was done"),
        ({"duty": "pcc", "done_on": "2 4 2999"}, "The date must be today or in the past"),
    ],
)
def test_recording_a_duty_explains_what_is_wrong(partnership, officer, data, message):
    response = client_for(officer).post(
        reverse("reminders:duty_record", args=[partnership.slug]), data
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "<title>Error: " in html
    assert not DutyRecord.objects.exists()


# Partnership reminder settings ----------------------------------------------


def test_settings_page_role_matrix(partnership, people):
    url = reverse("reminders:settings", args=[partnership.slug])
    for who, (user, _view, record_status) in people.items():
        # Who may record duties is who may change the settings: the officers.
        assert client_for(user).get(url).status_code == record_status, who


def test_an_officer_changes_the_milestone_thresholds(partnership, officer):
    from reminders.models import ReminderSettings

    data = {
        "milestone_days": "21,7",
        "overdue_window_days": "10",
        "measure_grace_days": "14",
        "annual_lead_days": "60",
        "assessment_due_month": "7",
        "renewal_lead_days": "270",
        "signoff_review_days": "3",
        "signoff_repeat_days": "7",
        "signoff_decision_days": "10",
        "consultation_opening_days": "2",
        "consultation_closing_days": "7",
        "retention_notice_days": "30",
    }
    response = client_for(officer).post(
        reverse("reminders:settings", args=[partnership.slug]), data
    )
    assert response.status_code == 302
    saved = ReminderSettings.objects.get(partnership=partnership)
    assert saved.milestone_thresholds == [7, 21]
    assert (saved.overdue_window_days, saved.assessment_due_month) == (10, 7)
    assert (
        saved.signoff_decision_days,
        saved.consultation_opening_days,
        saved.retention_notice_days,
    ) == (10, 2, 30)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("milestone_days", "soon", "Enter whole numbers of days separated by commas, like 14,7,1"),
        ("assessment_due_month", "13", "Enter a month from 1 to 12"),
        ("overdue_window_days", "", "Enter a number of days"),
    ],
)
def test_settings_explain_what_is_wrong(partnership, officer, field, value, message):
    from reminders.models import ReminderSettings

    data = {
        f: getattr(ReminderSettings(), f)
        for f in (
            "milestone_days",
            "overdue_window_days",
            "measure_grace_days",
            "annual_lead_days",
            "assessment_due_month",
            "renewal_lead_days",
            "signoff_review_days",
            "signoff_repeat_days",
            "signoff_decision_days",
            "consultation_opening_days",
            "consultation_closing_days",
            "retention_notice_days",
        )
    }
    data[field] = value
    response = client_for(officer).post(
        reverse("reminders:settings", args=[partnership.slug]), data
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert message in html
    assert not ReminderSettings.objects.exists()

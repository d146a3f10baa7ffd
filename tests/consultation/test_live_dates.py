"""A live consultation takes responses from now on: it cannot close in the
past (that is a historical record), and an opening date that has passed is
refused with the way to open it now; what is recorded as its opening is when
people could first answer."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation import services
from consultation.models import Consultation
from tests import factories
from tests.conftest import client_for
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime(FORMAT)


def _form(strategy, **overrides) -> dict:
    later = timezone.now() + dt.timedelta(days=7)
    data = {
        "strategy": str(strategy.pk), "title": "Have your say", "slug": "have-your-say",
        "summary": "Tell us", "opens_at": _local(later), "closes_at": "",
        "audiences": ["public"], "retention_days": "365",
    }
    data.update(overrides)
    return data


@pytest.fixture
def strategy(partnership):
    return factories.StrategyFactory(partnership=partnership)


def _post(officer, data):
    return client_for(officer).post(reverse("consultation:create"), data)


def test_a_live_consultation_cannot_close_in_the_past(strategy, officer):
    past = timezone.now() - dt.timedelta(days=3)
    response = _post(officer, _form(strategy, opens_at=_local(past - dt.timedelta(weeks=12)),
                                    closes_at=_local(past), open_now="on"))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert page.count("The closing date must be in the future") == 2
    assert "record a past consultation instead" in page
    assert reverse("consultation:record_past") in page  # the page links the historical mode
    assert not Consultation.objects.exists()


def test_an_opening_date_that_has_passed_is_refused_with_the_way_to_open_it_now(
    strategy, officer
):
    response = _post(officer, _form(strategy,
                                    opens_at=_local(timezone.now() - dt.timedelta(days=2))))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("The opening date has passed") == 2
    assert "Open it as soon as it is scheduled" in page
    assert not Consultation.objects.exists()


def test_open_now_stands_for_the_opening_date(strategy, officer):
    before = timezone.now().replace(second=0, microsecond=0)
    response = _post(officer, _form(strategy, opens_at="", open_now="on"))
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert before <= consultation.opens_at <= timezone.now()
    assert consultation.closes_at == consultation.opens_at + dt.timedelta(weeks=12)


def test_open_now_replaces_a_past_opening_date_given_with_it(strategy, officer):
    response = _post(officer, _form(
        strategy, opens_at=_local(timezone.now() - dt.timedelta(days=40)), open_now="on",
    ))
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.opens_at >= timezone.now() - dt.timedelta(minutes=2)


def test_without_an_opening_date_or_open_now_the_form_asks_for_one(strategy, officer):
    page = _post(officer, _form(strategy, opens_at="")).content.decode()
    assert page.count("Enter when the consultation opens") == 2


@pytest.mark.parametrize("value", ["31/02/2030", "2030-02-31T09:00", "\x00", "9" * 40,
                                   "<script>alert(1)</script>", "tomorrow"])
def test_a_hostile_date_is_a_message_not_an_error_page(strategy, officer, value):
    for field in ("opens_at", "closes_at"):
        response = _post(officer, _form(strategy, **{field: value}))
        assert response.status_code == 200
        assert "Enter a real date and time" in response.content.decode()
    assert not Consultation.objects.exists()


def test_the_create_page_suggests_an_opening_in_the_future(officer, strategy):
    page = client_for(officer).get(reverse("consultation:create"))
    initial = page.context["form"].initial["opens_at"]
    assert initial > timezone.now() and timezone.localtime(initial).hour == 9


def test_an_open_consultation_is_edited_without_questioning_its_past_opening(
    partnership, officer
):
    consultation = open_consultation(partnership)
    url = reverse("consultation:edit", args=[consultation.slug])
    form = client_for(officer).get(url).context["form"]
    assert "open_now" not in form.fields  # it has opened
    response = client_for(officer).post(url, {
        "title": "New title", "summary": "Tell us", "opens_at": _local(consultation.opens_at),
        "closes_at": _local(consultation.closes_at), "audiences": consultation.audiences,
        "retention_days": "365",
    })
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "New title"


def test_moving_an_open_consultations_closing_into_the_past_is_refused(partnership, officer):
    consultation = open_consultation(partnership)
    url = reverse("consultation:edit", args=[consultation.slug])
    response = client_for(officer).post(url, {
        "title": "Have your say", "summary": "Tell us",
        "opens_at": _local(consultation.opens_at),
        "closes_at": _local(timezone.now() - dt.timedelta(hours=1)),
        "audiences": consultation.audiences, "retention_days": "365",
    })
    assert "The closing date must be in the future" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.closes_at > timezone.now()


def test_scheduled_after_its_opening_time_it_opened_when_it_was_scheduled(strategy):
    planned = timezone.now() - dt.timedelta(days=3)
    consultation = services.consultation_create(
        strategy=strategy, title="Late", slug="late", summary="Say.", opens_at=planned,
    )
    before = timezone.now()
    services.consultation_schedule(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == "open"
    assert consultation.opens_at == planned
    assert consultation.opened_at >= before  # not three days ago: nobody could answer then


def test_scheduled_before_its_opening_time_it_opened_at_that_time(strategy):
    consultation = services.consultation_create(
        strategy=strategy, title="On time", slug="on-time", summary="Say.",
        opens_at=timezone.now() + dt.timedelta(hours=1),
    )
    services.consultation_schedule(consultation=consultation)
    later = timezone.now() + dt.timedelta(hours=1, minutes=4)
    services.consultations_advance_all(now=later)
    consultation.refresh_from_db()
    assert consultation.opened_at == consultation.opens_at


def test_a_second_partnerships_officer_gets_no_choice_of_this_strategy(
    strategy, other_officer
):
    response = client_for(other_officer).post(reverse("consultation:create"), _form(strategy))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Consultation.objects.exists()

"""The demo has the 2021-22 consultation on the 2022 draft, closed, with
generated responses, coded themes and a published "you said, we did"; and
the consultation on the annual refresh, open today."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultation.models import (
    Answer,
    Consultation,
    DraftComment,
    EqualityResponse,
    Response,
    SchoolClassCode,
    Theme,
)
from consultation.services import fairness_checks, you_said_we_did

pytestmark = pytest.mark.django_db


def _2022():
    return Consultation.objects.get(slug="safermk-strategy-2022-consultation")


def test_the_demo_consultation_ran_from_october_2021_to_january_2022(demo):
    consultation = _2022()
    assert consultation.strategy.slug == "safermk-strategy-2022"
    assert (consultation.opens_at.year, consultation.opens_at.month) == (2021, 10)
    assert (consultation.closes_at.year, consultation.closes_at.month) == (2022, 1)
    assert consultation.status == Consultation.Status.FEEDBACK
    assert consultation.version.reason == "consultation"


def test_the_demo_has_a_few_hundred_responses_across_channels_and_schools(demo):
    responses = Response.objects.filter(consultation=_2022())
    assert 200 <= responses.count() <= 500
    assert set(responses.values_list("channel", flat=True)) == {
        "online", "paper", "event", "school"}
    assert SchoolClassCode.objects.filter(consultation=_2022()).count() == 3
    assert responses.filter(audience="young_people").values("class_code").distinct().count() == 3
    assert not EqualityResponse.objects.filter(response__audience="young_people").exists()
    assert Theme.answers.through.objects.exists()


def test_every_demo_theme_has_a_we_did_answer_and_feeds_the_pdf(demo):
    consultation = _2022()
    assert all(ok for _label, ok, _detail in fairness_checks(consultation))
    [entry] = you_said_we_did(consultation.strategy)
    assert len(entry["themes"]) == 6
    assert all(t["we_did"] for t in entry["themes"])
    assert any(t["priority"] for t in entry["themes"])
    assert any(t["why_not"] and not t["priority"] for t in entry["themes"])


def test_the_demo_consultation_is_loaded_once_and_the_same_every_time(demo):
    before = {m.__name__: m.objects.count()
              for m in (Consultation, Response, Answer, DraftComment, EqualityResponse, Theme)}
    references = list(Response.objects.order_by("submitted_at", "reference")
                      .values_list("reference", flat=True)[:5])
    call_command("load_demo", "--quiet-users")
    after = {m.__name__: m.objects.count()
             for m in (Consultation, Response, Answer, DraftComment, EqualityResponse, Theme)}
    assert after == before
    assert references[0].startswith("SMK-")


def test_each_theme_that_changed_the_2022_strategy_names_a_priority_with_what_it_promised(demo):
    [entry] = you_said_we_did(_2022().strategy)
    by_name = {t["name"]: t for t in entry["themes"]}
    lighting = by_name["Street lighting and feeling safe after dark"]
    assert lighting["priority"] == "Tackling violence against women and girls"
    assert by_name["Speeding and road safety"]["priority"] in ("", None)


def test_the_refresh_consultation_is_open_today_with_responses_so_far_and_a_class_code(
    demo, client
):
    consultation = Consultation.objects.get(partnership=demo, strategy__kind="refresh")
    assert consultation.is_open
    today = timezone.localdate()
    assert timezone.localdate(consultation.closes_at) == today + dt.timedelta(weeks=4)
    assert consultation.duration_weeks >= 12
    responses = consultation.responses.all()
    assert 100 <= responses.count() <= 200
    assert {"online", "paper", "school"} <= set(responses.values_list("channel", flat=True))
    assert responses.filter(submitted_at__gt=timezone.now()).count() == 0
    assert Answer.objects.filter(response__consultation=consultation).exclude(text="").exists()
    code = consultation.class_codes.get(code="MK9CPA")
    assert code.is_active
    start = client.get(reverse("consultation:schools", args=[consultation.slug]))
    assert start.status_code == 200

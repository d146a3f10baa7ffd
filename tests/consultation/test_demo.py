"""The demo has the 2021-22 consultation on the 2022 draft, closed, with
generated responses, coded themes and a published "you said, we did"."""

import pytest
from django.core.management import call_command

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


def test_the_demo_consultation_ran_from_october_2021_to_january_2022(demo):
    consultation = Consultation.objects.get(partnership=demo)
    assert consultation.strategy.slug == "safermk-strategy-2022"
    assert (consultation.opens_at.year, consultation.opens_at.month) == (2021, 10)
    assert (consultation.closes_at.year, consultation.closes_at.month) == (2022, 1)
    assert consultation.status == Consultation.Status.FEEDBACK
    assert consultation.version.reason == "consultation"


def test_the_demo_has_a_few_hundred_responses_across_channels_and_schools(demo):
    responses = Response.objects.filter(consultation__partnership=demo)
    assert 200 <= responses.count() <= 500
    assert set(responses.values_list("channel", flat=True)) == {
        "online", "paper", "event", "school"}
    assert SchoolClassCode.objects.filter(consultation__partnership=demo).count() == 3
    assert responses.filter(audience="young_people").values("class_code").distinct().count() == 3
    assert not EqualityResponse.objects.filter(response__audience="young_people").exists()
    assert Theme.answers.through.objects.exists()


def test_every_demo_theme_has_a_we_did_answer_and_feeds_the_pdf(demo):
    consultation = Consultation.objects.get(partnership=demo)
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

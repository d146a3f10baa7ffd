"""The consultation summary a board sees beside the version it signs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation import services as consultation_services
from consultation.models import DraftComment
from milestones.evidence import consultation_summary
from milestones.services import signoff_request
from strategy.models import StrategyVersion
from strategy.services import version_create
from tests.conftest import client_for
from tests.consultation.factories import open_consultation
from tests.milestones.factories import board_with_members, strategy_with_content

pytestmark = pytest.mark.django_db


def _respond(consultation, n: int) -> None:
    """n responses, every other one on paper from a stakeholder, each with a
    comment on the draft as a whole."""
    for i in range(n):
        stakeholder = i % 2 == 1
        consultation_services.response_submit(
            consultation=consultation,
            audience="stakeholder" if stakeholder else "public",
            channel="paper" if stakeholder else "online",
            answers={},
            comments={"general": "Better street lighting" if i % 3 else "More buses at night"},
        )


def _code(consultation, themes=None):
    """Code every comment about lighting to "Lighting" and the rest to
    "Transport"; returns the two themes."""
    lighting, transport = themes or (
        consultation_services.theme_create(consultation=consultation, name="Lighting"),
        consultation_services.theme_create(consultation=consultation, name="Transport"),
    )
    for comment in DraftComment.objects.filter(consultation=consultation):
        theme = lighting if "lighting" in comment.text else transport
        consultation_services.comment_code(comment=comment, themes=[theme])
    return lighting, transport


def _later_version(consultation) -> StrategyVersion:
    strategy = consultation.strategy
    strategy.foreword = "Rewritten after the consultation."
    strategy.save()
    return version_create(strategy=strategy, reason=StrategyVersion.Reason.SIGN_OFF)


@pytest.fixture
def consultation(partnership):
    return open_consultation(partnership, title="Have your say on the draft")


def test_a_strategy_never_consulted_on_has_no_summary(partnership):
    strategy = strategy_with_content(partnership)
    version = version_create(strategy=strategy, reason=StrategyVersion.Reason.SIGN_OFF)
    assert consultation_summary(version) is None


def test_a_consultation_that_has_not_opened_yet_is_not_shown(partnership):
    later = timezone.now() + dt.timedelta(days=7)
    consultation = open_consultation(partnership, opens_at=later,
                                     closes_at=later + dt.timedelta(weeks=12))
    assert consultation_summary(consultation.version) is None


def test_a_later_version_shows_the_consultation_held_on_an_earlier_one(consultation):
    _respond(consultation, 6)
    version = _later_version(consultation)
    assert version.number > consultation.version.number

    summary = consultation_summary(version)

    assert summary["title"] == "Have your say on the draft"
    assert summary["version_number"] == consultation.version.number
    assert summary["on_this_version"] is False
    assert consultation_summary(consultation.version)["on_this_version"] is True


def test_a_version_frozen_before_the_consultation_does_not_show_it(partnership):
    strategy = strategy_with_content(partnership)
    before = version_create(strategy=strategy, reason=StrategyVersion.Reason.SIGN_OFF)
    now = timezone.now()
    consultation = consultation_services.consultation_create(
        strategy=strategy, title="Have your say", slug="have-your-say",
        summary="Tell us what you think.", background="Background to the draft.",
        opens_at=now - dt.timedelta(days=1), closes_at=None, audiences=["public"],
    )
    consultation_services.consultation_schedule(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.version.number > before.number

    assert consultation_summary(before) is None
    assert consultation_summary(consultation.version)["title"] == "Have your say"


def test_responses_are_counted_by_channel_and_audience_and_themes_ranked(consultation):
    _respond(consultation, 6)
    _code(consultation)

    summary = consultation_summary(consultation.version)

    assert summary["responses"] == 6
    assert [(b.label, b.count) for b in summary["by_channel"]] == [
        ("Online", 3), ("Paper form", 3),
    ]
    assert [(b.label, b.count) for b in summary["by_audience"]] == [
        ("Members of the public", 3), ("Stakeholders and organisations", 3),
    ]
    # Comments 1, 2, 4 and 5 mention lighting; 0 and 3 buses.
    assert summary["themes"] == [
        {"name": "Lighting", "mentions": 4}, {"name": "Transport", "mentions": 2},
    ]
    assert summary["published"] is False and summary["you_said_we_did"] == []


def test_the_fair_consultation_checklist_comes_from_the_consultation_app(consultation):
    summary = consultation_summary(consultation.version)
    labels = [c["label"] for c in summary["checks"]]
    assert "Adequate time to respond" in labels
    assert "“You said, we did” published" in labels
    published = next(c for c in summary["checks"] if c["label"] == "“You said, we did” published")
    assert published["passed"] is False and published["detail"] == "Not published yet."


def test_you_said_we_did_is_shown_once_published(consultation):
    _respond(consultation, 3)
    lighting, transport = _code(consultation)
    priority = consultation.strategy.priorities.first()
    consultation_services.theme_update(
        theme=lighting, name="Lighting", you_said="Dark streets feel unsafe.",
        we_did="Added street lighting to the priority.", priority=priority,
    )
    consultation_services.theme_update(
        theme=transport, name="Transport", you_said="Buses stop too early.",
        we_did="Passed to the council's transport team.",
        why_not="Bus timetables are outside the partnership's remit.",
    )
    consultation_services.consultation_close_now(consultation=consultation)
    consultation_services.consultation_publish_feedback(consultation=consultation)

    summary = consultation_summary(_later_version(consultation))

    assert summary["published"] is True
    assert summary["results_url"] == reverse("consultation:results", args=[consultation.slug])
    assert [(t["name"], t["you_said"], t["priority"]) for t in summary["you_said_we_did"]] == [
        ("Lighting", "Dark streets feel unsafe.", priority.title),
        ("Transport", "Buses stop too early.", ""),
    ]


def _review_page(consultation, partnership):
    board, people = board_with_members(partnership)
    (signoff,) = signoff_request(boards=[board], strategy=consultation.strategy)
    return client_for(people["member"]), signoff


def test_the_review_page_shows_the_consultation_summary(consultation, partnership):
    _respond(consultation, 4)
    _code(consultation)
    client, signoff = _review_page(consultation, partnership)

    page = client.get(reverse("milestones:signoff", args=[signoff.pk])).content.decode()

    assert "Have your say on the draft" in page
    assert "Responses by channel" in page and "Responses by audience" in page
    assert "Fair consultation checks" in page and "Adequate time to respond" in page
    assert "Lighting" in page and "Transport" in page
    assert "“You said, we did” has not been published yet." in page
    assert "No consultation summary is available" not in page


def test_the_review_page_queries_do_not_grow_with_responses(consultation, partnership):
    _respond(consultation, 5)
    themes = _code(consultation)
    client, signoff = _review_page(consultation, partnership)
    address = reverse("milestones:signoff", args=[signoff.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200

    _respond(consultation, 5)
    _code(consultation, themes)
    with CaptureQueriesContext(connection) as many:
        page = client.get(address)
    assert page.status_code == 200
    assert consultation_summary(signoff.version)["responses"] == 10
    assert ">10<" in page.content.decode().replace(" ", "")

    assert len(many) == len(few)

"""The question builder offers only the moves that make sense: no "Move up"
on the first section, no "Move down" on the last."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation import services
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_first_section_cannot_move_up_and_the_last_cannot_move_down(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership)
    consultation = services.consultation_create(
        strategy=strategy, title="Have your say", slug="have-your-say", summary="Tell us.",
        background="", opens_at=timezone.now() + dt.timedelta(days=30), closes_at=None,
        audiences=["public"],
    )
    for title in ("About you", "Your area"):
        services.section_create(consultation=consultation, title=title, audience="all")
    html = client_for(officer).get(
        reverse("consultation:questions", args=[consultation.slug])
    ).content.decode()
    titles = [s.title for s in consultation.sections.order_by("order", "pk")]
    assert len(titles) >= 2
    ups = re.findall(r"Move up<span class=\"govuk-visually-hidden\"> section ([^<]+)<", html)
    downs = re.findall(r"Move down<span class=\"govuk-visually-hidden\"> section ([^<]+)<", html)
    assert ups == titles[1:]
    assert downs == titles[:-1]

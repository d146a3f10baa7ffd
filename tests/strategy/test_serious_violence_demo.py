"""The demo's serious violence strand: a signed-off strategic needs
assessment with its local definition and public summary, the strategy in
force after consulting each required consultee and the sign-off of each
specified authority, and its annual review on the statutory duties page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from consultation.consultees import required_consultees
from milestones.models import SignOffDecision
from reminders.duties import add_years
from strategy.demo import _last_end
from strategy.models import Measure, StrategicAssessment, Strategy
from strategy.performance import MeasureStatus, assess_measure
from strategy.snapshot import content_hash, strategy_content
from tests.conftest import client_for
from tests.serious_violence import SV

pytestmark = pytest.mark.django_db


def test_the_demo_serious_violence_strategy_is_in_force_with_every_sign_off(demo, client):
    strategy = Strategy.objects.get(partnership=demo, duty=Strategy.Duty.SERIOUS_VIOLENCE)
    assert strategy.status == Strategy.Status.PUBLISHED
    today = dt.date.today()
    assert strategy.period_start <= today <= strategy.period_end
    needs = strategy.assessments.get()
    assert needs.duty == StrategicAssessment.Duty.SERIOUS_VIOLENCE
    assert needs.status == StrategicAssessment.Status.SIGNED_OFF
    assert needs.local_definition and needs.public_summary
    assert all(row.consulted for row in required_consultees(strategy))
    current = content_hash(strategy_content(strategy))
    decisions = SignOffDecision.objects.filter(request__strategy=strategy,
                                               content_hash=current)
    assert sorted(d.request.authority.kind for d in decisions) == sorted(SV.authority_kinds)
    # The community safety strategy stays in force beside it.
    assert Strategy.objects.filter(partnership=demo, status="published",
                                   duty=Strategy.Duty.COMMUNITY_SAFETY).count() == 1
    html = client.get(needs.get_public_url()).content.decode()
    assert needs.public_summary in html and needs.summary not in html


def test_the_compliance_page_shows_the_annual_review_date(demo):
    from django.contrib.auth import get_user_model

    strategy = Strategy.objects.get(partnership=demo, duty=Strategy.Duty.SERIOUS_VIOLENCE)
    adopted = strategy.transitions.get(to_status="adopted").happened_on
    due = add_years(min(adopted, strategy.period_start), 1)
    officer = get_user_model().objects.get(username="officer")
    html = client_for(officer).get(reverse("reminders:compliance", args=[demo.slug]))
    html = html.content.decode()
    assert "Annual review of the serious violence strategy" in html
    row = html[html.index("Annual review of the serious violence strategy"):][:900]
    assert f"{due:%-d %b %Y}" in row.replace("\xa0", " "), row
    assert due > dt.date.today()



def test_each_serious_violence_measure_has_a_figure_for_every_quarter_due_so_far(demo):
    strategy = Strategy.objects.get(partnership=demo, duty=Strategy.Duty.SERIOUS_VIOLENCE)
    last_due = _last_end(dt.date.today() - dt.timedelta(days=14), "quarterly")
    measures = Measure.objects.filter(objective__priority__strategy=strategy)
    assert measures.count() == 2
    for measure in measures:
        ends = sorted(measure.measurements.values_list("period_end", flat=True))
        assert ends[-1] == last_due
        assert ends[0] >= strategy.period_start
        assert assess_measure(measure).status != MeasureStatus.NO_DATA

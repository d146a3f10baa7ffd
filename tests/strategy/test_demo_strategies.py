"""The demo's strategies: 2018/21 fully filled, published and since
superseded, the 2021 assessment, the 2022/25 strategy from partners'
proposals to its full final draft, and the strategy in force today."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from partnerships import demo as partnerships_demo
from strategy import demo as strategy_demo
from strategy.models import (
    Measure,
    Measurement,
    Objective,
    Priority,
    PriorityProposal,
    Strategy,
    StrategyVersion,
)
from strategy.performance import MeasureStatus, assess_measure
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_2018_strategy_was_published_with_its_whole_golden_thread_and_is_superseded(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2018-2021")
    assert strategy.status == Strategy.Status.SUPERSEDED
    for priority in strategy.priorities.all():
        objectives = list(priority.objectives.all())
        assert 2 <= len(objectives) <= 3, priority.title
        for objective in objectives:
            assert objective.lead_organisation.partnership == demo
            assert objective.measures.exists()
    version = strategy.versions.filter(reason=StrategyVersion.Reason.PUBLICATION).last()
    measures = [m for p in version.content["priorities"] for o in p["objectives"]
                for m in o["measures"]]
    assert len(measures) == Measure.objects.filter(
        objective__priority__strategy=strategy).count()
    assert all(m["baseline_value"] and m["target_value"] and m["data_source"]
               for m in measures)


def test_the_2018_measures_have_years_of_measurements_and_a_believable_mix(demo):
    measures = Measure.objects.filter(
        objective__priority__strategy__slug="safermk-strategy-2018-2021"
    ).prefetch_related("measurements")
    statuses = {assess_measure(m, list(m.measurements.all())).status for m in measures}
    assert {MeasureStatus.ON_TRACK, MeasureStatus.AT_RISK, MeasureStatus.OFF_TRACK} <= statuses
    periods = Measurement.objects.filter(measure__in=measures).values_list("period_end",
                                                                           flat=True)
    assert min(periods) <= dt.date(2018, 6, 30) and max(periods) == dt.date(2021, 3, 31)
    assert {m.frequency for m in measures} == {"quarterly", "annually"}


def test_the_police_demo_user_updates_the_measures_thames_valley_police_owns(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2018-2021")
    police = client_for(get_user_model().objects.get(username="police"))
    tvp = Measure.objects.filter(objective__priority__strategy=strategy,
                                 owner_organisation__kind="police")
    council = Measure.objects.filter(objective__priority__strategy=strategy,
                                     owner_organisation__kind="council")
    assert tvp.count() >= 3
    assert police.get(reverse("strategy:measurement_create",
                              args=[strategy.slug, tvp.first().pk])).status_code == 200
    assert police.get(reverse("strategy:measurement_create",
                              args=[strategy.slug, council.first().pk])).status_code == 403


def test_the_2021_assessment_has_the_lines_of_enquiry_of_the_report_with_findings(demo):
    assessment = demo.assessments.get(year=2021)
    lines = {line.title: line.findings for line in assessment.lines_of_enquiry.all()}
    for title in ("Violence against women and girls", "Modern day slavery",
                  "Impact of the pandemic on crime and disorder"):
        assert lines[title]
    assert assessment.emerging_priorities and assessment.data_sources


def test_the_2022_strategy_is_informed_by_the_assessment_and_partners_proposals(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2022")
    assert strategy.assessments.filter(year=2021).exists()
    assert strategy.priorities.count() >= 4
    statuses = list(strategy.proposals.values_list("status", flat=True))
    assert statuses.count(PriorityProposal.Status.ACCEPTED) >= 1
    assert statuses.count(PriorityProposal.Status.MERGED) == 1
    # Every proposal was decided before the strategy was adopted.
    assert statuses.count(PriorityProposal.Status.DECLINED) == 2
    assert PriorityProposal.Status.PROPOSED not in statuses
    assert all(p.decision_reason for p in strategy.proposals.all())


def test_loading_the_demo_twice_adds_nothing():
    from safermk.demo import load_all

    load_all()
    models = (Priority, Objective, Measure, Measurement, PriorityProposal, StrategyVersion)
    first = {m.__name__: m.objects.count() for m in models}
    load_all()
    assert {m.__name__: m.objects.count() for m in models} == first


def test_a_database_loaded_by_the_earlier_demo_gets_the_thread_in_a_new_published_version():
    # The earlier demo published the 2018 strategy with its priorities only.
    partnership = partnerships_demo.load()
    strategy = Strategy.objects.create(
        partnership=partnership, slug="safermk-strategy-2018-2021",
        title="SaferMK Community Safety Strategy 2018–2021",
        period_start=dt.date(2018, 4, 1), period_end=dt.date(2021, 3, 31),
    )
    for order, (title, _codes) in enumerate(strategy_demo.PRIORITIES_2018):
        Priority.objects.create(strategy=strategy, title=title, order=order)
    factories.move_through(
        strategy, ("drafting", "consultation", "sign_off", "adopted", "published")
    )
    first_published = strategy.versions.get(reason=StrategyVersion.Reason.PUBLICATION)

    strategy_demo.strategy_2018_to_sign_off(partnership)

    assert Objective.objects.filter(priority__strategy=strategy).count() >= 8
    latest = strategy.versions.order_by("-number").first()
    assert latest.reason == StrategyVersion.Reason.PUBLICATION and latest != first_published
    assert "added to the published strategy" in latest.note
    assert latest.content["priorities"][0]["objectives"]
    unchanged = StrategyVersion.objects.get(pk=first_published.pk)
    assert unchanged.content_hash == first_published.content_hash
    assert unchanged.content["priorities"][0]["objectives"] == []


def test_the_2022_final_draft_gives_every_priority_objectives_and_measures_with_data(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2022")
    version = strategy.versions.filter(reason=StrategyVersion.Reason.PUBLICATION).last()
    for priority in version.content["priorities"]:
        assert priority["objectives"], priority["title"]
        for objective in priority["objectives"]:
            assert objective["measures"], objective["title"]
    measures = Measure.objects.filter(objective__priority__strategy=strategy)
    assert not measures.filter(measurements=None).exists()
    periods = Measurement.objects.filter(measure__in=measures).values_list(
        "period_end", flat=True)
    assert min(periods) >= dt.date(2022, 4, 1) and max(periods) == dt.date(2025, 3, 31)
    # What "you said, we did" promised is in the text the boards approved.
    titles = {o["title"] for p in version.content["priorities"] for o in p["objectives"]}
    assert any("lighting on the redways" in t for t in titles)
    assert any("safe spaces" in t for t in titles)


def test_the_public_list_shows_the_strategy_in_force_as_current_and_the_others_replaced(
    demo, client
):
    current = Strategy.objects.get(partnership=demo, status=Strategy.Status.PUBLISHED,
                                   duty=Strategy.Duty.COMMUNITY_SAFETY)
    assert current.kind == Strategy.Kind.FULL
    assert current.period_start <= dt.date.today() <= current.period_end
    html = client.get(reverse("strategy:public_list")).content.decode()
    # With the serious violence strategy, also in force.
    assert html.count("In force</strong>") == 2
    assert html.index(current.title) < html.index(
        "In force</strong>", html.index(current.title)) < html.index(
        "SaferMK Community Safety Strategy 2022–2025")
    assert html.count("Replaced</strong>") == 2

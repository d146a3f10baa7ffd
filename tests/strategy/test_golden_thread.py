"""Officers build the golden thread with GOV.UK forms; partner officers
record measurements of their own measures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from strategy.models import Measure, Measurement, Objective, Priority, Strategy
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _date(name, d, m, y):
    return {f"{name}_0": d, f"{name}_1": m, f"{name}_2": y}


def test_an_officer_creates_a_strategy_and_the_slug_comes_from_the_title(world):
    assessment_id = world.assessment.pk
    data = {"title": "Safer Town Strategy 2025 to 2028", "kind": "full", "aim": "Safe town",
            "assessments": [assessment_id],
            **_date("period_start", "1", "4", "2025"), **_date("period_end", "31", "3", "2028")}
    response = client_for(world.officer).post(
        reverse("strategy:create", args=[world.partnership.slug]), data
    )
    strategy = Strategy.objects.get(slug="safer-town-strategy-2025-to-2028")
    assert response["Location"] == strategy.get_absolute_url()
    assert strategy.partnership == world.partnership
    assert strategy.status == Strategy.Status.PLANNING
    assert list(strategy.assessments.all()) == [world.assessment]
    assert strategy.period_start == dt.date(2025, 4, 1)


def test_the_strategy_form_says_what_to_fix(world):
    data = {"kind": "refresh", **_date("period_start", "1", "4", "2025"),
            **_date("period_end", "31", "2", "2025")}
    html = client_for(world.officer).post(
        reverse("strategy:create", args=[world.partnership.slug]), data
    ).content.decode()
    assert "<title>Error: Create a strategy" in html
    assert "Enter the strategy&#x27;s title" in html
    assert "Choose the three-year strategy that this refresh updates" in html
    data.update(_date("period_end", "31", "13", "2025"))
    html = client_for(world.officer).post(
        reverse("strategy:create", args=[world.partnership.slug]), data
    ).content.decode()
    assert "The last day of the period must be a real date" in html


def test_the_end_of_the_period_must_follow_its_start(world):
    data = {"title": "Backwards", "kind": "full",
            **_date("period_start", "1", "4", "2025"), **_date("period_end", "1", "4", "2024")}
    html = client_for(world.officer).post(
        reverse("strategy:create", args=[world.partnership.slug]), data
    ).content.decode()
    assert "The end of the period must be after its start." in html
    assert not Strategy.objects.filter(title="Backwards").exists()


def test_a_refresh_names_a_parent_of_the_same_partnership(world, other_partnership):
    foreign = factories.StrategyFactory(partnership=other_partnership)
    data = {"title": "Refresh 2026", "kind": "refresh", "parent": foreign.pk,
            **_date("period_start", "1", "4", "2026"), **_date("period_end", "31", "3", "2027")}
    html = client_for(world.officer).post(
        reverse("strategy:create", args=[world.partnership.slug]), data
    ).content.decode()
    assert "Select a valid choice" in html
    data["parent"] = world.strategy.pk
    client_for(world.officer).post(reverse("strategy:create", args=[world.partnership.slug]), data)
    assert Strategy.objects.get(title="Refresh 2026").parent == world.strategy


def test_an_officer_edits_the_strategys_details(world):
    url = reverse("strategy:edit", args=[world.strategy.slug])
    data = {"title": "Renamed strategy", "slug": world.strategy.slug, "kind": "full",
            "pcc_plan_reference": "Police and Crime Plan 2021–2025",
            "pcc_alignment": "Shares the plan's priority on violence.",
            **_date("period_start", "1", "4", "2022"), **_date("period_end", "31", "3", "2025")}
    assert client_for(world.officer).post(url, data).status_code == 302
    world.strategy.refresh_from_db()
    assert world.strategy.title == "Renamed strategy"
    assert world.strategy.pcc_alignment == "Shares the plan's priority on violence."


def test_an_officer_adds_edits_and_deletes_a_priority(world):
    client = client_for(world.officer)
    s = world.strategy.slug
    html = client.post(reverse("strategy:priority_create", args=[s]), {"title": ""}).content
    assert b"Enter the priority" in html
    client.post(reverse("strategy:priority_create", args=[s]), {"title": "Exploitation"})
    added = Priority.objects.get(strategy=world.strategy, title="Exploitation")
    assert added.order > world.priority.order
    client.post(reverse("strategy:priority_edit", args=[s, added.pk]),
                {"title": "Exploitation and modern slavery", "description": "From the SA"})
    added.refresh_from_db()
    assert added.title == "Exploitation and modern slavery"
    assert client.get(reverse("strategy:priority_delete", args=[s, added.pk])).status_code == 200
    client.post(reverse("strategy:priority_delete", args=[s, added.pk]))
    assert not Priority.objects.filter(pk=added.pk).exists()


def test_priorities_move_up_and_down(world):
    second = factories.PriorityFactory(strategy=world.strategy, title="Second")
    third = factories.PriorityFactory(strategy=world.strategy, title="Third")
    client = client_for(world.officer)
    s = world.strategy.slug

    def titles():
        return list(world.strategy.priorities.order_by("order", "pk").values_list("title",
                                                                                   flat=True))

    client.post(reverse("strategy:priority_move", args=[s, third.pk]), {"direction": "up"})
    assert titles() == [world.priority.title, "Third", "Second"]
    client.post(reverse("strategy:priority_move", args=[s, world.priority.pk]),
                {"direction": "down"})
    assert titles() == ["Third", world.priority.title, "Second"]
    # The first cannot go higher.
    client.post(reverse("strategy:priority_move", args=[s, third.pk]), {"direction": "up"})
    assert titles() == ["Third", world.priority.title, "Second"]
    assert second.pk  # still there


def test_an_objective_needs_a_lead_organisation_of_the_partnership(world, other_partnership):
    client = client_for(world.officer)
    url = reverse("strategy:objective_create", args=[world.strategy.slug, world.priority.pk])
    foreign = factories.OrganisationFactory(partnership=other_partnership)
    html = client.post(url, {"title": "Safer nights", "lead_organisation": foreign.pk}).content
    assert b"Select a valid choice" in html
    html = client.post(url, {"title": "Safer nights"}).content
    assert b"Choose the organisation that leads this objective" in html
    client.post(url, {"title": "Safer nights", "lead_organisation": world.other_org.pk})
    objective = Objective.objects.get(title="Safer nights")
    assert objective.priority == world.priority and objective.lead_organisation == world.other_org


def test_an_officer_adds_a_measure_with_every_field(world):
    url = reverse("strategy:measure_create", args=[world.strategy.slug, world.objective.pk])
    data = {"title": "Repeat victims", "unit": "%", "baseline_value": "31.5",
            **_date("baseline_date", "31", "3", "2022"), "target_value": "27",
            **_date("target_date", "31", "3", "2025"), "direction": "lower",
            "frequency": "annually", "data_source": "MARAC records",
            "owner_organisation": world.other_org.pk, "owner": world.partner.pk}
    response = client_for(world.officer).post(url, data)
    measure = Measure.objects.get(title="Repeat victims")
    assert response["Location"] == reverse("strategy:measure_detail",
                                           args=[world.strategy.slug, measure.pk])
    assert measure.baseline_value == Decimal("31.5") and measure.target_value == 27
    assert measure.owner_organisation == world.other_org and measure.owner == world.partner
    assert measure.frequency == "annually" and measure.direction == "lower"


def test_the_measure_form_says_what_to_fix(world):
    url = reverse("strategy:measure_create", args=[world.strategy.slug, world.objective.pk])
    data = {"title": "Repeat victims", "unit": "%", "baseline_value": "lots",
            **_date("baseline_date", "31", "3", "2022"), "target_value": "27",
            **_date("target_date", "31", "3", "2021"), "direction": "lower",
            "frequency": "annually", "data_source": "MARAC",
            "owner_organisation": world.other_org.pk}
    html = client_for(world.officer).post(url, data).content.decode()
    assert "Enter a number, like 120 or 45.5" in html
    assert "The target date must be after the baseline date" in html
    assert not Measure.objects.filter(title="Repeat victims").exists()


def test_an_officer_edits_and_deletes_a_measure_and_an_objective(world):
    client = client_for(world.officer)
    s = world.strategy.slug
    m = world.measure
    data = {"title": "Knife crime", "unit": m.unit, "baseline_value": "100",
            **_date("baseline_date", "31", "3", "2022"), "target_value": "70",
            **_date("target_date", "31", "3", "2025"), "direction": "lower",
            "frequency": "quarterly", "data_source": "Police",
            "owner_organisation": m.owner_organisation_id}
    client.post(reverse("strategy:measure_edit", args=[s, m.pk]), data)
    m.refresh_from_db()
    assert m.title == "Knife crime" and m.target_value == 70
    client.post(reverse("strategy:measure_delete", args=[s, m.pk]))
    assert not Measure.objects.filter(pk=m.pk).exists()
    client.post(reverse("strategy:objective_delete", args=[s, world.objective.pk]))
    assert not Objective.objects.filter(pk=world.objective.pk).exists()


def test_a_partner_officer_records_a_measurement_and_who_entered_it_is_kept(world):
    client = client_for(world.partner)
    url = reverse("strategy:measurement_create", args=[world.strategy.slug, world.measure.pk])
    data = {**_date("period_end", "30", "9", "2022"), "value": "91.5", "note": "Summer peak"}
    assert client.post(url, data).status_code == 302
    measurement = Measurement.objects.get(measure=world.measure, period_end="2022-09-30")
    assert measurement.value == Decimal("91.5") and measurement.note == "Summer peak"
    assert measurement.entered_by == world.partner
    page = client.get(reverse("strategy:measure_detail",
                              args=[world.strategy.slug, world.measure.pk])).content.decode()
    assert "Summer peak" in page


def test_a_second_value_for_the_same_period_is_refused_with_a_message(world):
    url = reverse("strategy:measurement_create", args=[world.strategy.slug, world.measure.pk])
    period = world.measurement.period_end
    data = {**_date("period_end", str(period.day), str(period.month), str(period.year)),
            "value": "80"}
    html = client_for(world.officer).post(url, data).content.decode()
    assert "There is already a measurement for the period ending" in html
    assert world.measure.measurements.count() == 1


def test_a_measurement_for_a_period_not_yet_ended_is_refused(world):
    url = reverse("strategy:measurement_create", args=[world.strategy.slug, world.measure.pk])
    future = dt.date.today() + dt.timedelta(days=40)
    data = {**_date("period_end", str(future.day), str(future.month), str(future.year)),
            "value": "80"}
    html = client_for(world.officer).post(url, data).content.decode()
    assert "The period must have ended" in html


def test_a_partner_officer_corrects_their_measurement(world):
    url = reverse("strategy:measurement_edit", args=[world.strategy.slug, world.measurement.pk])
    p = world.measurement.period_end
    data = {**_date("period_end", str(p.day), str(p.month), str(p.year)), "value": "93",
            "note": "Corrected after audit"}
    assert client_for(world.partner).post(url, data).status_code == 302
    world.measurement.refresh_from_db()
    assert world.measurement.value == 93 and world.measurement.entered_by == world.partner


def test_the_detail_page_shows_the_golden_thread_with_status_chart_and_table(world):
    html = client_for(world.board_member).get(world.strategy.get_absolute_url()).content.decode()
    assert world.priority.title in html and world.objective.title in html
    assert world.measure.title in html
    assert world.objective.lead_organisation.name in html
    assert 'class="govuk-tag govuk-tag--' in html
    assert "<svg" in html and "Measurements: " + world.measure.title in html
    # Board members read; they are offered no edit links.
    assert reverse("strategy:priority_create", args=[world.strategy.slug]) not in html


def test_measurements_can_be_recorded_for_a_published_strategy(published, officer):
    measure = Measure.objects.get(objective__priority__strategy=published)
    url = reverse("strategy:measurement_create", args=[published.slug, measure.pk])
    data = {**_date("period_end", "31", "3", "2023"), "value": "88"}
    assert client_for(officer).post(url, data).status_code == 302
    assert measure.measurements.filter(period_end="2023-03-31").exists()


def test_two_partnerships_may_each_have_a_strategy_with_the_same_title(
    world, other_officer, other_partnership
):
    data = {"title": "Community Safety Strategy 2025 to 2028", "kind": "full", "aim": "Safe",
            **_date("period_start", "1", "4", "2025"), **_date("period_end", "31", "3", "2028")}
    client_for(world.officer).post(reverse("strategy:create", args=[world.partnership.slug]), data)
    other = other_partnership
    response = client_for(other_officer).post(
        reverse("strategy:create", args=[other.slug]), data
    )

    first = Strategy.objects.get(partnership=world.partnership, title=data["title"])
    second = Strategy.objects.get(partnership=other, title=data["title"])
    assert response["Location"] == second.get_absolute_url()
    assert first.title == second.title
    assert first.slug == "community-safety-strategy-2025-to-2028"
    assert second.slug == f"{other.slug}-community-safety-strategy-2025-to-2028"


def test_a_web_address_typed_by_an_officer_that_is_taken_is_refused(
    world, other_officer, other_partnership
):
    factories.StrategyFactory(slug="our-strategy")
    other = other_partnership
    data = {"title": "Our strategy", "slug": "our-strategy", "kind": "full", "aim": "Safe",
            **_date("period_start", "1", "4", "2025"), **_date("period_end", "31", "3", "2028")}
    response = client_for(other_officer).post(reverse("strategy:create", args=[other.slug]), data)
    assert response.status_code == 200
    assert "Another strategy already uses this web address name" in response.content.decode()

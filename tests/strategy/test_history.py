"""The history of changes: who changed what, when, with before and after."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_changes_made_through_the_pages_are_recorded_with_who_and_what(world):
    client = client_for(world.officer)
    s = world.strategy.slug
    client.post(reverse("strategy:priority_edit", args=[s, world.priority.pk]),
                {"title": "Serious violence", "description": ""})
    old_title = world.priority.title
    html = client.get(reverse("strategy:history", args=[s])).content.decode()
    assert "Changed priority: Serious violence" in html
    assert f'<del class="smk-del">{old_title}</del>' in html
    assert '<ins class="smk-ins">Serious violence</ins>' in html
    name = world.officer.get_full_name()
    assert name in html


def test_the_history_names_the_lead_organisation_not_its_number(world):
    client = client_for(world.officer)
    s = world.strategy.slug
    client.post(reverse("strategy:objective_edit", args=[s, world.objective.pk]),
                {"title": world.objective.title, "lead_organisation": world.other_org.pk})
    html = client.get(reverse("strategy:history", args=[s])).content.decode()
    assert f'<ins class="smk-ins">{world.other_org.name}</ins>' in html


def test_deleted_rows_stay_in_the_history(world):
    client = client_for(world.officer)
    s = world.strategy.slug
    client.post(reverse("strategy:measure_delete", args=[s, world.other_measure.pk]))
    html = client.get(reverse("strategy:history", args=[s])).content.decode()
    assert f"Deleted measure: {world.other_measure.title}" in html


def test_measurements_entered_by_partners_appear_in_the_history(world):
    client = client_for(world.partner)
    s = world.strategy.slug
    client.post(reverse("strategy:measurement_create", args=[s, world.measure.pk]),
                {"period_end_0": "31", "period_end_1": "12", "period_end_2": "2022",
                 "value": "77"})
    html = client.get(reverse("strategy:history", args=[s])).content.decode()
    assert "Added measurement: Value for the period ending 31 December 2022: 77" in html
    assert world.partner.get_full_name() in html


def test_the_history_names_people_and_priorities_and_writes_numbers_plainly(world):
    from strategy import services

    services.measure_update(measure=world.measure, owner=world.partner, target_value=75)
    services.proposal_merge(proposal=world.proposal, into=world.priority, reason="Overlaps")
    html = client_for(world.officer).get(
        reverse("strategy:history", args=[world.strategy.slug])
    ).content.decode()
    assert f'<ins class="smk-ins">{world.partner.get_full_name()}</ins>' in html
    assert '<del class="smk-del">80</del> <ins class="smk-ins">75</ins>' in html
    assert f'<ins class="smk-ins">{world.priority.title}</ins>' in html

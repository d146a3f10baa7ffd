"""A measure that follows a crime series gets a measurement for each
complete period of its frequency, from the imported counts, through the
strategy's measurement services (with history), recorded as from police.uk."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from crimedata import services
from crimedata.models import CrimeSeriesLink
from strategy.models import Measure, Measurement
from tests import factories
from tests.conftest import client_for
from tests.crimedata.files import street_file

pytestmark = pytest.mark.django_db


def _measure(partnership, frequency, baseline=dt.date(2025, 3, 31)):
    return factories.MeasureFactory(objective__priority__strategy__partnership=partnership,
                                    frequency=frequency, baseline_date=baseline,
                                    target_date=dt.date(2028, 3, 31))


def _upload(client, partnership, *files):
    return client.post(reverse("crimedata:upload", args=[partnership.slug]),
                       {"files": list(files)}, follow=True)


def _values(measure):
    return {m.period_end: m.value for m in Measurement.objects.filter(measure=measure)}


def test_a_quarterly_measure_gets_its_measurement_only_when_three_months_exist(
    partnership, officer, area
):
    measure = _measure(partnership, Measure.Frequency.QUARTERLY)
    services.crime_link_save(measure=measure, crime_type="Burglary", per_thousand=False)
    client = client_for(officer)
    _upload(client, partnership, street_file("2026-04", {"Burglary": 3, "Drugs": 9}),
            street_file("2026-05", {"Burglary": 4}))
    assert _values(measure) == {}
    response = _upload(client, partnership, street_file("2026-06", {"Burglary": 5}))
    assert _values(measure) == {dt.date(2026, 6, 30): Decimal("12")}
    assert "1 measurement of the measures that follow a crime series written" in \
        response.content.decode()
    written = Measurement.objects.get(measure=measure)
    assert written.note == "From police.uk street-level crime: Burglary, April to June 2026."
    assert written.entered_by == officer
    assert written.history.count() == 1
    # A month of the quarter imported again changes the measurement, with history.
    _upload(client, partnership, street_file("2026-05", {"Burglary": 1}))
    written.refresh_from_db()
    assert written.value == Decimal("9") and written.history.count() == 2


def test_a_rate_per_1000_people_uses_the_areas_population(partnership, officer, area):
    measure = _measure(partnership, Measure.Frequency.MONTHLY)
    services.crime_link_save(measure=measure, crime_type="all", per_thousand=True)
    _upload(client_for(officer), partnership,
            street_file("2026-04", {"Burglary": 30, "Drugs": 7, "Anti-social behaviour": 50}))
    # (30 + 7) crimes in a population of 20,000: 1.85 per 1,000 people.
    assert _values(measure) == {dt.date(2026, 4, 30): Decimal("1.85")}


def test_a_rate_waits_for_the_population(partnership, officer):
    services.crime_area_save(partnership=partnership, lsoa_codes=["E01000001"],
                             population=None)
    measure = _measure(partnership, Measure.Frequency.MONTHLY)
    services.crime_link_save(measure=measure, crime_type="Drugs", per_thousand=True)
    response = _upload(client_for(officer), partnership, street_file("2026-04", {"Drugs": 2}))
    assert _values(measure) == {}
    assert "is per 1,000 people: record the area&#x27;s population" in response.content.decode()


def test_an_annual_measure_needs_the_whole_financial_year(partnership, officer, area):
    measure = _measure(partnership, Measure.Frequency.ANNUALLY)
    services.crime_link_save(measure=measure, crime_type="Robbery", per_thousand=False)
    client = client_for(officer)
    months = [services.add_months(dt.date(2025, 4, 1), i) for i in range(12)]
    _upload(client, partnership, *[street_file(f"{m:%Y-%m}", {"Robbery": 2}) for m in months[:10]])
    assert _values(measure) == {}
    _upload(client, partnership, *[street_file(f"{m:%Y-%m}", {"Robbery": 2}) for m in months[10:]])
    assert _values(measure) == {dt.date(2026, 3, 31): Decimal("24")}


def test_periods_before_the_baseline_are_not_written(partnership, officer, area):
    measure = _measure(partnership, Measure.Frequency.MONTHLY, baseline=dt.date(2026, 4, 30))
    services.crime_link_save(measure=measure, crime_type="Drugs", per_thousand=False)
    _upload(client_for(officer), partnership, street_file("2026-03", {"Drugs": 1}),
            street_file("2026-04", {"Drugs": 2}))
    assert _values(measure) == {dt.date(2026, 4, 30): Decimal("2")}


def test_an_officer_links_a_measure_from_the_page_and_its_history_is_written(
    partnership, officer, area
):
    measure = _measure(partnership, Measure.Frequency.MONTHLY)
    client = client_for(officer)
    _upload(client, partnership, street_file("2026-04", {"Shoplifting": 6}))
    page = client.get(reverse("crimedata:links", args=[partnership.slug])).content.decode()
    assert measure.title in page
    response = client.post(reverse("crimedata:links", args=[partnership.slug]),
                           {"measure": measure.pk, "crime_type": "Shoplifting",
                            "per_thousand": "on"}, follow=True)
    assert f"“{measure.title}” now follows Shoplifting, per 1,000 people." in \
        response.content.decode()
    assert _values(measure) == {dt.date(2026, 4, 30): Decimal("0.30")}
    # Stopping keeps what was written.
    client.post(reverse("crimedata:link_remove", args=[partnership.slug]),
                {"measure": measure.pk})
    assert not CrimeSeriesLink.objects.exists()
    assert _values(measure) == {dt.date(2026, 4, 30): Decimal("0.30")}


def test_the_update_action_brings_a_typed_figure_in_line_with_the_counts(
    partnership, officer, area
):
    measure = _measure(partnership, Measure.Frequency.MONTHLY)
    client = client_for(officer)
    _upload(client, partnership, street_file("2026-04", {"Drugs": 4}))
    Measurement.objects.create(measure=measure, period_end=dt.date(2026, 4, 30), value=99)
    CrimeSeriesLink.objects.create(measure=measure, crime_type="Drugs")
    client.post(reverse("crimedata:measurements_update", args=[partnership.slug]))
    assert _values(measure) == {dt.date(2026, 4, 30): Decimal("4")}
    response = client.post(reverse("crimedata:measurements_update", args=[partnership.slug]),
                           follow=True)
    assert "are up to date" in response.content.decode()


def test_another_partnerships_imports_never_reach_a_measure(
    partnership, officer, area, other_partnership, other_officer, other_area
):
    measure = _measure(partnership, Measure.Frequency.MONTHLY)
    services.crime_link_save(measure=measure, crime_type="all", per_thousand=False)
    _upload(client_for(other_officer), other_partnership,
            street_file("2026-04", {"Drugs": 4}, lsoa="W01000009"))
    assert _values(measure) == {}


def test_complete_periods_follow_the_measures_calendar():
    months = {dt.date(2026, m, 1) for m in (1, 2, 3, 4, 5)}
    assert services.complete_periods("quarterly", months) == [
        [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    ]
    assert len(services.complete_periods("monthly", months)) == 5
    assert services.complete_periods("annually", months) == []

"""The counts page (table of the latest 12 months with totals, the import
log, the CSV download) and the form that records the area."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crimedata import services
from crimedata.models import CrimeArea
from crimedata.streetfile import StreetFile
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _import(partnership, months, officer=None):
    files = [
        StreetFile(name=f"{m:%Y-%m}-shire-street.csv", month=m, rows_read=20, rows_in_area=8,
                   falls_within="Shire Constabulary",
                   counts={"Burglary": m.month, "Anti-social behaviour": 5, "Drugs": 1})
        for m in months
    ]
    services.crime_import_save(partnership=partnership, files=files, by=officer)


def _months(first: dt.date, n: int) -> list[dt.date]:
    return [services.add_months(first, i) for i in range(n)]


def test_the_page_shows_the_latest_12_months_by_type_with_totals(partnership, officer, area):
    _import(partnership, _months(dt.date(2025, 1, 1), 15), officer)
    response = client_for(officer).get(reverse("crimedata:counts", args=[partnership.slug]))
    page = response.content.decode()
    assert "Crimes by type and month, April 2025 to March 2026" in page
    assert 'class="smk-table-scroll" role="region"' in page
    assert "Mar 2025" not in page.split("<caption")[1].split("</table>")[0]
    table = response.context["rows"]
    burglary = next(r for r in table if r.label == "Burglary")
    assert burglary.cells == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    assert burglary.total == 78
    total = next(r for r in table if r.label == "Total crime")
    assert total.cells[0] == 5 and total.total == 78 + 12
    asb = table[-1]
    assert asb.label == "Anti-social behaviour" and asb.total == 60
    assert "2026-03-shire-street.csv" in page


def test_months_not_imported_are_named(partnership, officer, area):
    _import(partnership, [dt.date(2026, 1, 1), dt.date(2026, 3, 1)], officer)
    page = client_for(officer).get(reverse("crimedata:counts", args=[partnership.slug])) \
        .content.decode()
    assert "Not imported yet in these 12 months:" in page
    assert "February 2026" in page


def test_the_page_makes_the_same_queries_with_twice_the_months(partnership, officer, area):
    client = client_for(officer)
    url = reverse("crimedata:counts", args=[partnership.slug])
    _import(partnership, _months(dt.date(2025, 1, 1), 4), officer)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _import(partnership, _months(dt.date(2025, 5, 1), 8), officer)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


def test_the_csv_download_has_every_months_counts(partnership, officer, area):
    _import(partnership, [dt.date(2026, 8, 1), dt.date(2026, 9, 1)], officer)
    response = client_for(officer).get(reverse("crimedata:counts_csv", args=[partnership.slug]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Month,Crime type,Count"
    assert "2026-08,Burglary,8" in lines and "2026-09,Drugs,1" in lines
    assert len(lines) == 1 + 6


def test_the_area_takes_codes_one_a_line_or_separated_by_commas(partnership, officer):
    client = client_for(officer)
    url = reverse("crimedata:area", args=[partnership.slug])
    response = client.post(url, {"lsoa_codes": "e01000001, E01000002\nW01000003;E01000001",
                                 "population": "12000"})
    assert response.status_code == 302
    area = CrimeArea.objects.get(partnership=partnership)
    assert area.lsoa_codes == ["E01000001", "E01000002", "W01000003"]
    assert area.population == 12000 and area.updated_by == officer
    # Saved again without a population, it has none.
    client.post(url, {"lsoa_codes": "E01000001"})
    area.refresh_from_db()
    assert (area.lsoa_codes, area.population) == (["E01000001"], None)


def test_the_area_names_the_codes_that_are_not_lsoa_codes(partnership, officer):
    response = client_for(officer).post(
        reverse("crimedata:area", args=[partnership.slug]),
        {"lsoa_codes": "E01000001\nE02000001\nMK1 1AA\n=cmd()", "population": "many"},
    )
    page = response.content.decode()
    assert "These are not LSOA codes: “E02000001”, “MK1”, “1AA”, “=CMD()”" in page
    assert "Enter the population as a whole number" in page
    assert not CrimeArea.objects.exists()


def test_an_empty_area_says_what_to_enter(partnership, officer):
    response = client_for(officer).post(reverse("crimedata:area", args=[partnership.slug]),
                                        {"lsoa_codes": " ,\n "})
    assert "Paste the LSOA codes of the partnership&#x27;s area" in response.content.decode()

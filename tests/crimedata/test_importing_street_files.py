"""Importing police.uk street-level files: counts in the area kept, rows
outside it counted and ignored, a month imported again replaced, and
every wrong file refused whole with a plain message and nothing changed."""

import pytest
from django.urls import reverse

from crimedata.models import CrimeCount, CrimeImport
from tests.conftest import client_for
from tests.crimedata.files import (
    ELSEWHERE,
    OURS,
    THEIRS,
    month_rows,
    row,
    street_file,
    text,
    upload,
)

pytestmark = pytest.mark.django_db


def _post(client, partnership, *files):
    return client.post(reverse("crimedata:upload", args=[partnership.slug]),
                       {"files": list(files)}, follow=True)


def _counts(partnership):
    return {(c.month.strftime("%Y-%m"), c.crime_type): c.count
            for c in CrimeCount.objects.filter(partnership=partnership)}


def _page(response) -> str:
    return response.content.decode()


def test_a_good_file_keeps_the_counts_of_the_rows_in_the_area(partnership, officer, area):
    rows = month_rows("2026-09", {"Burglary": 3, "Anti-social behaviour": 2, "Drugs": 1})
    rows.append(row("2026-09", "Burglary", OURS[2]))
    rows += [row("2026-09", "Robbery", ELSEWHERE), row("2026-09", "Burglary", "")]
    response = _post(client_for(officer), partnership,
                     upload("2026-09-shire-street.csv", text(rows)))
    assert response.status_code == 200
    assert _counts(partnership) == {
        ("2026-09", "Burglary"): 4, ("2026-09", "Anti-social behaviour"): 2,
        ("2026-09", "Drugs"): 1,
    }
    log = CrimeImport.objects.get(partnership=partnership)
    assert (log.file_name, log.rows_read, log.rows_in_area, log.replaced) == (
        "2026-09-shire-street.csv", 9, 7, False)
    assert log.imported_by == officer
    page = _page(response)
    assert "September 2026 imported from 2026-09-shire-street.csv: 7 rows in your area " \
           "counted, 2 rows outside it ignored." in page
    assert "no personal data is kept" in page


def test_a_file_saved_with_a_byte_order_mark_imports_the_same(partnership, officer, area):
    body = "\ufeff" + text(month_rows("2026-08", {"Shoplifting": 2}))
    _post(client_for(officer), partnership, upload("2026-08-shire-street.csv",
                                                   body.encode("utf-8")))
    assert _counts(partnership) == {("2026-08", "Shoplifting"): 2}


def test_several_files_import_together(partnership, officer, area):
    _post(client_for(officer), partnership,
          street_file("2026-07", {"Drugs": 1}), street_file("2026-08", {"Drugs": 2}))
    assert _counts(partnership) == {("2026-07", "Drugs"): 1, ("2026-08", "Drugs"): 2}


def test_importing_a_month_again_replaces_its_counts(partnership, officer, area):
    client = client_for(officer)
    _post(client, partnership, street_file("2026-09", {"Burglary": 3, "Drugs": 2}))
    _post(client, partnership, street_file("2026-08", {"Robbery": 1}))
    response = _post(client, partnership, street_file("2026-09", {"Burglary": 5}))
    assert _counts(partnership) == {("2026-09", "Burglary"): 5, ("2026-08", "Robbery"): 1}
    assert "September 2026 replaced from" in _page(response)
    assert CrimeImport.objects.filter(partnership=partnership, replaced=True).count() == 1
    # The same file again changes nothing.
    _post(client, partnership, street_file("2026-09", {"Burglary": 5}))
    assert _counts(partnership) == {("2026-09", "Burglary"): 5, ("2026-08", "Robbery"): 1}


def test_two_partnerships_importing_the_same_file_get_their_own_counts(
    partnership, officer, area, other_partnership, other_officer, other_area
):
    rows = month_rows("2026-09", {"Burglary": 2}, OURS[0])
    rows += month_rows("2026-09", {"Burglary": 1, "Robbery": 4}, THEIRS[0])
    body = text(rows)
    _post(client_for(officer), partnership, upload("2026-09-shire-street.csv", body))
    _post(client_for(other_officer), other_partnership, upload("2026-09-shire-street.csv", body))
    assert _counts(partnership) == {("2026-09", "Burglary"): 2}
    assert _counts(other_partnership) == {("2026-09", "Burglary"): 1, ("2026-09", "Robbery"): 4}


REFUSED = {
    "wrong columns": (
        text([["1", "2026-09", "x"]], header=["Crime ID", "Month", "Outcome type"]),
        "This is not a police.uk street-level crime file: it has no “Reported by”",
    ),
    "columns in another order": (
        text([], header=["Month", "Crime ID", *text([]).strip().split(",")[2:]]),
        "its columns are in another order",
    ),
    "empty": ("", "The file is empty"),
    "only blank lines": ("\r\n\r\n", "The file is empty"),
    "column names only": (text([]), "The file has its column names but no rows"),
    "mixed months": (
        text(month_rows("2026-09", {"Drugs": 2}) + month_rows("2026-08", {"Drugs": 1})),
        "row 4 is for another month than September 2026",
    ),
    "no month": (text([row("Sept 2026", "Drugs", OURS[0])]), "row 2 has no month like 2026-09"),
    "unknown crime type": (
        text([row("2026-09", "=HYPERLINK(\"http://x\")", OURS[0])]),
        "row 2 has a crime type police.uk does not use",
    ),
    "a short row": (
        text([["abc", "2026-09", "Shire"]]), "row 2 does not have the file's 12 columns",
    ),
    "other area": (
        text(month_rows("2026-09", {"Burglary": 3}, ELSEWHERE)),
        "None of the 3 rows is in your area: check the file is for the police force that "
        "covers your area (this one is for Shire Constabulary)",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_wrong_file_is_refused_with_a_plain_message_and_nothing_changes(
    partnership, officer, area, case
):
    client = client_for(officer)
    _post(client, partnership, street_file("2026-01", {"Drugs": 1}))
    before = (_counts(partnership), CrimeImport.objects.count())
    body, message = REFUSED[case]
    response = _post(client, partnership, upload("2026-09-shire-street.csv", body))
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert message in page.replace("&quot;", '"').replace("&#x27;", "'"), page
    assert (_counts(partnership), CrimeImport.objects.count()) == before


def test_one_wrong_file_among_several_stops_them_all(partnership, officer, area):
    response = _post(client_for(officer), partnership, street_file("2026-08", {"Drugs": 1}),
                     upload("2026-09-shire-street.csv", ""))
    assert "2026-09-shire-street.csv: The file is empty" in _page(response)
    assert not CrimeCount.objects.exists() and not CrimeImport.objects.exists()


def test_two_files_of_the_same_month_are_refused(partnership, officer, area):
    first = street_file("2026-09", {"Drugs": 1})
    second = upload("2026-09-copy-street.csv", text(month_rows("2026-09", {"Drugs": 2})))
    response = _post(client_for(officer), partnership, first, second)
    assert "are both for September 2026: upload each month once" in _page(response)
    assert not CrimeCount.objects.exists()


def test_rows_of_a_month_other_than_the_file_name_says_are_refused(partnership, officer, area):
    body = text(month_rows("2026-08", {"Drugs": 1}))
    response = _post(client_for(officer), partnership, upload("2026-09-shire-street.csv", body))
    assert "row 2 is for another month than September 2026" in _page(response)
    assert not CrimeCount.objects.exists()


def test_no_file_chosen_says_what_to_do(partnership, officer, area):
    response = client_for(officer).post(reverse("crimedata:upload", args=[partnership.slug]))
    assert "Choose the police.uk street-level files to import" in _page(response)


def test_importing_before_the_area_is_recorded_sends_the_officer_to_record_it(
    partnership, officer
):
    response = client_for(officer).get(reverse("crimedata:upload", args=[partnership.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("crimedata:area", args=[partnership.slug])

"""Whatever is uploaded as a street-level file, the page answers with a
message and nothing is kept: binary garbage, a huge line, text that is not
UTF-8, a file over the size limit, formulas in cells."""

import html
import random

import pytest
from django.test import override_settings
from django.urls import reverse

from crimedata.models import CrimeCount, CrimeImport
from tests.conftest import client_for
from tests.crimedata.files import ELSEWHERE, OURS, month_rows, row, text, upload

pytestmark = pytest.mark.django_db


def _post(client, partnership, *files):
    return client.post(reverse("crimedata:upload", args=[partnership.slug]),
                       {"files": list(files)})


def _refused(response, message: str) -> None:
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page
    assert message in page, page
    assert not CrimeCount.objects.exists() and not CrimeImport.objects.exists()


def test_binary_garbage_is_refused(partnership, officer, area):
    generator = random.Random(20261130)
    client = client_for(officer)
    for size in (1, 17, 4096, 70_000):
        garbage = bytes(generator.getrandbits(8) for _ in range(size))
        response = _post(client, partnership, upload("2026-09-shire-street.csv", garbage))
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    assert not CrimeCount.objects.exists()


def test_a_zip_or_spreadsheet_is_refused(partnership, officer, area):
    _refused(_post(client_for(officer), partnership,
                   upload("2026-09.xlsx", b"PK\x03\x04\x14\x00\x00\x00\x08\x00")),
             "The file is not a CSV file")


def test_a_huge_line_is_refused(partnership, officer, area):
    rows = month_rows("2026-09", {"Drugs": 2})
    rows.append(row("2026-09", "Drugs", OURS[0], Location="x" * 300_000))
    _refused(_post(client_for(officer), partnership, upload("2026-09-shire-street.csv",
                                                            text(rows))),
             "Line 4 of the file cannot be read as CSV")


def test_a_file_not_saved_as_utf8_is_refused(partnership, officer, area):
    body = text(month_rows("2026-09", {"Drugs": 1}) + [
        row("2026-09", "Drugs", OURS[0], Location="On or near Café £ Street")
    ]).encode("cp1252")
    _refused(_post(client_for(officer), partnership, upload("2026-09-shire-street.csv", body)),
             "The file is not saved as UTF-8 text")


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(partnership, officer, area):
    body = text(month_rows("2026-09", {"Drugs": 40}))
    assert len(body) > 1000
    _refused(_post(client_for(officer), partnership, upload("2026-09-shire-street.csv", body)),
             "2026-09-shire-street.csv: the file must be 1000")


def test_formulas_in_cells_are_never_kept_or_sent_back(partnership, officer, area):
    formula = '=HYPERLINK("http://example.com/steal","Click")'
    rows = [row("2026-09", "Drugs", OURS[0], Location=formula, Context="@SUM(1+1)",
                **{"LSOA name": "+cmd|' /C calc'!A0", "Crime ID": "-2+3"})]
    client = client_for(officer)
    response = _post(client, partnership, upload("2026-09-shire-street.csv", text(rows)))
    assert response.status_code == 302
    assert CrimeCount.objects.get(partnership=partnership).count == 1
    download = client.get(reverse("crimedata:counts_csv", args=[partnership.slug]))
    body = download.content.decode("utf-8-sig")
    assert body.splitlines() == ["Month,Crime type,Count", "2026-09,Drugs,1"]


def test_a_formula_in_the_force_name_is_shown_as_text(partnership, officer, area):
    rows = [row("2026-09", "Drugs", ELSEWHERE, force='<script>alert(1)</script>=cmd()')]
    response = _post(client_for(officer), partnership, upload("2026-09-shire-street.csv",
                                                              text(rows)))
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;=cmd()" in page
    _refused(response, "The file's one row is not in your area")


def test_a_hostile_file_name_is_shown_as_text(partnership, officer, area):
    name = '2026-09-"><img src=x onerror=alert(1)>-street.csv'
    response = _post(client_for(officer), partnership, upload(name, ""))
    page = response.content.decode()
    assert "<img src=x" not in page
    assert "The file is empty" in page

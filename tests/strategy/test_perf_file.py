"""Measurements by the file: download, fill in, upload, check, confirm."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from partnerships.models import Membership
from strategy.models import Measurement
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _urls(strategy):
    s = strategy.slug
    return {
        "upload": reverse("strategy:perf_upload", args=[s]),
        "xlsx": reverse("strategy:perf_download_xlsx", args=[s]),
        "csv": reverse("strategy:perf_download_csv", args=[s]),
        "check": reverse("strategy:perf_check", args=[s]),
    }


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _upload(client, w, content: bytes, name="filled.xlsx"):
    return client.post(_urls(w.strategy)["upload"],
                       {"file": SimpleUploadedFile(name, content)})


def _fill(rows, measure_id, period_end, value, note=None):
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("Measure ID")] in (measure_id, str(measure_id)):
            row[header.index("Period end date")] = period_end
            row[header.index("Value")] = value
            if note is not None:
                row[header.index("Note")] = note
    return rows


def _values(measure):
    return sorted((m.period_end, m.value) for m in measure.measurements.all())


def test_xlsx_round_trip_as_officer(world):
    w = world
    client = client_for(w.officer)
    response = client.get(_urls(w.strategy)["xlsx"])
    assert response.status_code == 200
    assert "draft-strategy-measurements.xlsx" in response["Content-Disposition"]
    rows = _xlsx_rows(response.content)
    assert rows[0][:4] == ["Measure ID", "Priority", "Objective", "Measure"]
    assert {r[0] for r in rows[1:]} == {w.measure.pk, w.other_measure.pk}
    # The last value is shown.
    mine = next(r for r in rows if r[0] == w.measure.pk)
    assert mine[7] == "2022-06-30" and Decimal(str(mine[8])) == Decimal("95")
    rows = [list(r) for r in rows]
    _fill(rows, w.measure.pk, dt.datetime(2022, 9, 30), 90, "Quarter 2")
    _fill(rows, w.other_measure.pk, "30/06/2022", "101.5")  # changes the recorded 95
    response = _upload(client, w, _xlsx(rows))
    assert response.status_code == 302 and response["Location"] == _urls(w.strategy)["check"]
    page = client.get(_urls(w.strategy)["check"]).content.decode()
    assert "1 new, 1 changed, 0 unchanged, 0 with a problem" in page
    # Nothing is saved before confirmation.
    assert _values(w.measure) == [(dt.date(2022, 6, 30), Decimal("95"))]
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(_urls(w.strategy)["check"], {"token": token})
    assert response.status_code == 302
    assert _values(w.measure) == [(dt.date(2022, 6, 30), Decimal("95")),
                                  (dt.date(2022, 9, 30), Decimal("90"))]
    new = w.measure.measurements.get(period_end=dt.date(2022, 9, 30))
    assert new.entered_by == w.officer and new.note == "Quarter 2"
    assert new.history.count() == 1
    assert _values(w.other_measure) == [(dt.date(2022, 6, 30), Decimal("101.5"))]
    assert w.other_measurement.history.count() == 2  # created, then updated


def test_csv_round_trip_as_partner_officer(world):
    w = world
    client = client_for(w.partner)
    response = client.get(_urls(w.strategy)["csv"])
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Disposition"].endswith('measurements.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # Only the measure the partner's organisation owns.
    assert [r[0] for r in rows[1:]] == [str(w.measure.pk)]
    _fill(rows, w.measure.pk, "2022-12-31", "1,234.5")
    assert _upload(client, w, _csv(rows), "figures.csv").status_code == 302
    page = client.get(_urls(w.strategy)["check"]).content.decode()
    assert "1 new, 0 changed" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    client.post(_urls(w.strategy)["check"], {"token": token})
    assert (dt.date(2022, 12, 31), Decimal("1234.50")) in _values(w.measure)


def test_double_confirm_saves_once(world):
    w = world
    client = client_for(w.officer)
    rows = [["Measure ID", "Period end date", "Value"], [w.measure.pk, "2022-09-30", 80]]
    _upload(client, w, _csv(rows), "a.csv")
    page = client.get(_urls(w.strategy)["check"]).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    first = client.post(_urls(w.strategy)["check"], {"token": token})
    second = client.post(_urls(w.strategy)["check"], {"token": token}, follow=True)
    assert first.status_code == 302
    assert "already been saved or has expired" in second.content.decode()
    assert w.measure.measurements.filter(period_end=dt.date(2022, 9, 30)).count() == 1
    assert w.measure.measurements.get(period_end=dt.date(2022, 9, 30)).history.count() == 1


def test_a_row_of_another_organisations_measure_stops_the_whole_file(world):
    w = world
    client = client_for(w.partner)
    rows = [["Measure ID", "Period end date", "Value"],
            [w.measure.pk, "2022-09-30", 80],
            [w.other_measure.pk, "2022-09-30", 70]]
    _upload(client, w, _csv(rows), "a.csv")
    page = client.get(_urls(w.strategy)["check"]).content.decode()
    assert f"Only {w.other_org.name} can update this measure" in page
    assert 'name="token"' not in page  # no save button
    # Even a forged confirmation saves nothing.
    key = f"strategy:perf-upload:{w.partner.pk}:{w.strategy.pk}"
    from django.core.cache import cache
    token = cache.get(key)["token"]
    client.post(_urls(w.strategy)["check"], {"token": token})
    assert not Measurement.objects.filter(period_end=dt.date(2022, 9, 30)).exists()


@pytest.mark.parametrize("row, reason", [
    (["{measure}", "2022-09-31", "5"], "is not a real date"),
    (["{measure}", "soon", "5"], "is not a real date"),
    (["{measure}", "2099-03-31", "5"], "in the future"),
    (["{measure}", "2021-03-31", "5"], "before the measure&#x27;s baseline date"),
    (["{measure}", "2022-09-30", "lots"], "is not a number"),
    (["{measure}", "2022-09-30", "-3"], "cannot be below zero"),
    (["{measure}", "2022-09-30", "1.234"], "more than 2 decimal places"),
    (["{measure}", "2022-09-30", "1e400"], "is not a number"),
    (["{measure}", "", "5"], "Enter the period end date"),
    (["{measure}", "2022-09-30", ""], "Enter the value"),
    (["999999", "2022-09-30", "5"], "There is no measure with ID 999999"),
    (["abc", "2022-09-30", "5"], "There is no measure with ID abc"),
    (["{foreign}", "2022-09-30", "5"], "belongs to another strategy"),
])
def test_wrong_rows_are_explained_and_nothing_is_saved(world, row, reason):
    w = world
    foreign = factories.MeasureFactory(
        objective=factories.ObjectiveFactory(
            priority=factories.PriorityFactory(
                strategy=factories.StrategyFactory(partnership=w.partnership))))
    client = client_for(w.officer)
    row = [c.format(measure=w.measure.pk, foreign=foreign.pk) for c in row]
    rows = [["Measure ID", "Period end date", "Value"], row,
            [w.other_measure.pk, "2022-09-30", "7"]]
    assert _upload(client, w, _csv(rows), "a.csv").status_code == 302
    page = client.get(_urls(w.strategy)["check"]).content.decode()
    assert reason in page
    assert "1 with a problem" in page and 'name="token"' not in page
    before = Measurement.objects.count()
    for guess in ("guess", "\u00e9\u200f", ""):
        assert client.post(_urls(w.strategy)["check"], {"token": guess}).status_code == 302
    assert Measurement.objects.count() == before


def test_percentages_must_be_between_0_and_100_and_duplicates_are_refused(world):
    w = world
    w.measure.unit = "%"
    w.measure.save()
    client = client_for(w.officer)
    rows = [["Measure ID", "Period end date", "Value"],
            [w.measure.pk, "30/09/2022", "120"],
            [w.other_measure.pk, "30/09/2022", "7"],
            [w.other_measure.pk, "30 September 2022", "8"]]
    _upload(client, w, _csv(rows), "a.csv")
    page = client.get(_urls(w.strategy)["check"]).content.decode()
    assert "A percentage must be between 0 and 100" in page
    assert "Row 3 already has this measure and period end date" in page


@pytest.mark.parametrize("content, name, message", [
    (b"%PDF-1.4 not a sheet\x00\x01", "a.pdf", "not a spreadsheet we can read"),
    (b"PK\x03\x04garbage", "a.xlsx", "not a spreadsheet we can read"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "a.xls", "old Excel (.xls) file"),
    (b"Name,Score\nA,1\n", "a.csv", "The file has no “Measure ID” or “Period end date” or "
     "“Value” column"),
    (b"Measure ID,Period end date,Value\n1,,\n", "a.csv", "No row has a period end date"),
    (b"", "a.csv", "The file is empty"),
])
def test_files_that_cannot_be_used_are_refused_next_to_the_field(world, content, name,
                                                                   message):
    w = world
    client = client_for(w.officer)
    response = _upload(client, w, content, name)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x201C;", "“").replace("&#x201D;", "”")
    assert message in page.replace("&#x27;", "'")
    assert 'id="file-error"' in page or "govuk-error-message" in page
    # No preview was kept.
    assert client.get(_urls(w.strategy)["check"]).status_code == 302


def test_sending_no_file_asks_for_one(world):
    response = client_for(world.officer).post(_urls(world.strategy)["upload"], {})
    assert response.status_code == 200
    assert "Choose the spreadsheet to upload" in response.content.decode()


def test_another_partnerships_measure_is_not_said_to_exist(world, other_officer):
    theirs = factories.MeasureFactory(objective=factories.ObjectiveFactory(
        priority=factories.PriorityFactory(strategy=factories.StrategyFactory(
            partnership=other_officer.memberships.get().partnership))))
    client = client_for(world.officer)
    rows = [["Measure ID", "Period end date", "Value"], [theirs.pk, "2022-09-30", "5"]]
    _upload(client, world, _csv(rows), "a.csv")
    page = client.get(_urls(world.strategy)["check"]).content.decode()
    assert f"There is no measure with ID {theirs.pk}" in page
    assert theirs.title not in page


def test_a_file_over_the_size_limit_is_refused(world):
    client = client_for(world.officer)
    response = _upload(client, world, b"a" * (2 * 1024 * 1024 + 1), "big.csv")
    assert "2 MB or smaller" in response.content.decode()


def test_an_xlsx_file_renamed_csv_is_read_by_its_content(world):
    w = world
    client = client_for(w.officer)
    content = _xlsx([["Measure ID", "Period end date", "Value"], [w.measure.pk, "2022-09-30", 5]])
    assert _upload(client, w, content, "renamed.csv").status_code == 302
    assert "1 new" in client.get(_urls(w.strategy)["check"]).content.decode()


def test_confirm_is_all_or_none(world, monkeypatch):
    """A row that fails in the service after the check rolls back the rows before it."""
    from strategy import services

    w = world
    client = client_for(w.officer)
    rows = [["Measure ID", "Period end date", "Value"],
            [w.measure.pk, "2022-09-30", 1], [w.other_measure.pk, "2022-09-30", 2]]
    _upload(client, w, _csv(rows), "a.csv")
    page = client.get(_urls(w.strategy)["check"]).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    real = services.measurement_create

    def second_fails(*, measure, **kwargs):
        if measure.pk == w.other_measure.pk:
            from django.core.exceptions import ValidationError
            raise ValidationError({"value": "Refused"})
        return real(measure=measure, **kwargs)

    monkeypatch.setattr(services, "measurement_create", second_fails)
    response = client.post(_urls(w.strategy)["check"], {"token": token}, follow=True)
    assert "Nothing was saved" in response.content.decode()
    assert not Measurement.objects.filter(period_end=dt.date(2022, 9, 30)).exists()


def test_figures_changed_after_the_check_are_checked_again_on_confirm(world):
    w = world
    client = client_for(w.officer)
    rows = [["Measure ID", "Period end date", "Value"], [w.measure.pk, "2022-09-30", 1]]
    _upload(client, w, _csv(rows), "a.csv")
    page = client.get(_urls(w.strategy)["check"]).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    # Meanwhile the measure passes to the other organisation... and the officer
    # is demoted to partner officer of the first one.
    Membership.objects.filter(user=w.officer, partnership=w.partnership).update(
        role=Membership.Role.PARTNER, organisation=w.other_org)
    client.post(_urls(w.strategy)["check"], {"token": token})
    assert not w.measure.measurements.filter(period_end=dt.date(2022, 9, 30)).exists()


def test_who_may_use_it(world, other_partnership):
    w = world
    urls = _urls(w.strategy)
    for user, status in ((w.officer, 200), (w.partner, 200), (w.board_member, 403),
                         (w.other_officer, 404)):
        client = client_for(user)
        for name in ("upload", "xlsx", "csv"):
            assert client.get(urls[name]).status_code == status, (user, name)
        assert client.post(urls["check"], {"token": "x"}).status_code in (
            (302,) if status == 200 else (status,))
    assert client_for(None).get(urls["upload"]).status_code == 302
    # The strategy page links to it for those who may use it.
    assert urls["upload"] in client_for(w.partner).get(
        reverse("strategy:detail", args=[w.strategy.slug])).content.decode()
    assert urls["upload"] not in client_for(w.board_member).get(
        reverse("strategy:detail", args=[w.strategy.slug])).content.decode()


def test_another_partnerships_officer_has_their_own_strategies(other_partnership, other_officer):
    from tests.strategy.factories import build_thread

    strategy = factories.StrategyFactory(partnership=other_partnership, title="Their plan")
    build_thread(strategy, priorities=1, objectives=1, measures=2, measurements=1)
    client = client_for(other_officer)
    response = client.get(reverse("strategy:perf_download_csv", args=[strategy.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and "their-plan-measurements.csv" in response["Content-Disposition"]
    page = client.get(reverse("strategy:perf_upload", args=[strategy.slug])).content.decode()
    assert other_partnership.name in page

"""Measurements by the file: a spreadsheet of the measures a person may
update, with their last values, downloaded as XLSX or CSV and uploaded
again filled in.

An upload is read into plain rows (`read_upload`), checked against the
database (`check_rows`: each row is new, changed, unchanged or wrong, with
the reason) and kept server-side until the person confirms; `apply_rows`
checks them again and saves all of them through the measurement services in
one transaction, or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from strategy import services
from strategy.models import Measure, Measurement, Strategy

MAX_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 30 * 1024 * 1024
MAX_ROWS = 2000
# The largest value a measurement holds (14 digits, 2 of them decimals).
MAX_VALUE = Decimal("999999999999.99")

HEADERS = [
    "Measure ID", "Priority", "Objective", "Measure", "Unit", "Frequency",
    "Owner organisation", "Last period end", "Last value",
    "Period end date", "Value", "Note",
]
REQUIRED = ("Measure ID", "Period end date", "Value")

NEW, CHANGED, UNCHANGED, WRONG = "new", "changed", "unchanged", "wrong"


class UploadError(Exception):
    """The file as a whole cannot be read: its message is shown next to the field."""


def updatable_measures(access, strategy: Strategy):
    measures = (
        Measure.objects.filter(objective__priority__strategy=strategy)
        .select_related("objective__priority", "owner_organisation")
        .order_by("objective__priority__order", "objective__priority__pk",
                  "objective__order", "objective__pk", "order", "pk")
    )
    return [m for m in measures
            if access.can_update_for_organisation(strategy.partnership_id,
                                                  m.owner_organisation_id)]


def may_upload(access, strategy: Strategy) -> bool:
    return bool(updatable_measures(access, strategy))


def file_name(strategy: Strategy, extension: str) -> str:
    return f"{slugify(strategy.title)[:80] or 'strategy'}-measurements.{extension}"


def sheet_rows(measures) -> list[list]:
    last = {}
    for m in Measurement.objects.filter(measure__in=measures).order_by("period_end"):
        last[m.measure_id] = m
    rows = [list(HEADERS)]
    for measure in measures:
        point = last.get(measure.pk)
        rows.append([
            measure.pk, measure.objective.priority.title, measure.objective.title,
            measure.title, measure.unit, measure.get_frequency_display(),
            measure.owner_organisation.name,
            point.period_end.isoformat() if point else "",
            point.value if point else "",
            "", "", "",
        ])
    return rows


def _safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Measurements"
    for row in rows:
        sheet.append([_safe(v) for v in row])
    for column, width in zip("ABCDEFGHIJKL", (11, 30, 30, 40, 12, 11, 28, 15, 12, 16, 12, 30),
                             strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    workbook.properties.title = title[:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Reading an upload -------------------------------------------------------------


def read_upload(data: bytes) -> list[dict]:
    """The rows of an uploaded XLSX or CSV file (told apart by content), as
    dicts of text keyed by the required and optional columns, with their line
    number. Raises UploadError for a file that cannot be used."""
    if not data:
        raise UploadError("The file is empty: choose the spreadsheet you filled in")
    if len(data) > MAX_BYTES:
        raise UploadError("The file must be 2 MB or smaller")
    if data[:4] == b"PK\x03\x04":
        table = _xlsx_table(data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UploadError("The file is an old Excel (.xls) file: save it as .xlsx or CSV "
                          "and upload that")
    else:
        table = _csv_table(data)
    return _rows(table)


def _xlsx_table(data: bytes) -> list[list]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise UploadError("The spreadsheet is too large: upload at most "
                                  f"{MAX_ROWS} rows")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UploadError:
        raise
    except Exception as exc:  # zipfile, openpyxl and XML errors alike
        raise UploadError("The file is not a spreadsheet we can read: upload the XLSX or CSV "
                          "file you downloaded") from exc
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append(list(row))
            if len(table) > MAX_ROWS + 1:
                raise UploadError(f"The file has more than {MAX_ROWS} rows: split it")
        return table
    finally:
        workbook.close()


def _csv_table(data: bytes) -> list[list]:
    if b"\x00" in data:
        raise UploadError("The file is not a spreadsheet we can read: upload the XLSX or CSV "
                          "file you downloaded")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise UploadError("The file is not a CSV file we can read: upload the XLSX or CSV "
                          "file you downloaded") from exc
    if len(table) > MAX_ROWS + 1:
        raise UploadError(f"The file has more than {MAX_ROWS} rows: split it")
    return table


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(table: list[list]) -> list[dict]:
    if not table:
        raise UploadError("The file is empty: choose the spreadsheet you filled in")
    header = [_text(h).lower() for h in table[0]]
    positions = {}
    for name in HEADERS:
        if name.lower() in header:
            positions[name] = header.index(name.lower())
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        raise UploadError(
            "The file has no " + " or ".join(f"“{m}”" for m in missing)
            + " column: download the spreadsheet again, fill it in and upload it "
            "without changing its first row"
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        def cell(name, cells=cells):
            i = positions.get(name)
            return _text(cells[i]) if i is not None and i < len(cells) else ""
        row = {"line": line, "measure": cell("Measure ID"), "period_end": cell("Period end date"),
               "value": cell("Value"), "note": cell("Note"), "title": cell("Measure")}
        if row["period_end"] or row["value"] or row["note"]:
            rows.append(row)
    if not rows:
        raise UploadError("No row has a period end date or value: fill in at least one row")
    return rows


# Checking rows ------------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y",
                "%Y-%m-%d %H:%M:%S")


def parse_date(text: str) -> dt.date | None:
    text = re.sub(r"\s+", " ", text.strip())
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_value(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace("%", "").replace("£", "").strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _is_percent(unit: str) -> bool:
    unit = unit.strip().lower()
    return unit in ("%", "percent", "per cent", "percentage") or unit.startswith("% ")


@dataclass
class CheckedRow:
    line: int
    measure_text: str
    period_text: str
    value_text: str
    note: str
    status: str = WRONG
    reasons: list[str] = field(default_factory=list)
    measure: Measure | None = None
    period_end: dt.date | None = None
    value: Decimal | None = None
    existing: Measurement | None = None


def check_rows(rows: list[dict], *, access, strategy: Strategy,
               today: dt.date | None = None) -> list[CheckedRow]:
    today = today or dt.date.today()
    ids = {int(r["measure"]) for r in rows if r["measure"].isdigit() and len(r["measure"]) < 10}
    measures = {
        m.pk: m for m in Measure.objects.filter(pk__in=ids)
        .select_related("objective__priority__strategy", "owner_organisation")
    }
    existing = {
        (m.measure_id, m.period_end): m
        for m in Measurement.objects.filter(measure_id__in=[
            pk for pk, m in measures.items() if m.objective.priority.strategy_id == strategy.pk
        ])
    }
    seen: dict[tuple, int] = {}
    checked = []
    for r in rows:
        row = CheckedRow(line=r["line"], measure_text=r["measure"] or r.get("title", ""),
                         period_text=r["period_end"], value_text=r["value"], note=r["note"])
        reasons = row.reasons
        measure = measures.get(int(r["measure"])) if r["measure"] in {str(i) for i in ids} else None
        if not r["measure"]:
            reasons.append("The measure ID is missing")
        elif measure is None or (
            measure.objective.priority.strategy.partnership_id != strategy.partnership_id
        ):
            # Another partnership's measures are not even said to exist.
            reasons.append(f"There is no measure with ID {r['measure'][:20]}")
            measure = None
        elif measure.objective.priority.strategy_id != strategy.pk:
            reasons.append("This measure belongs to another strategy")
            measure = None
        elif not access.can_update_for_organisation(strategy.partnership_id,
                                                    measure.owner_organisation_id):
            reasons.append(f"Only {measure.owner_organisation.name} can update this measure")
            measure = None
        row.measure = measure
        if measure is not None:
            row.measure_text = measure.title
        # The date.
        if not r["period_end"]:
            reasons.append("Enter the period end date")
        else:
            period_end = parse_date(r["period_end"])
            if period_end is None:
                reasons.append(f"“{r['period_end'][:30]}” is not a real date: write it like "
                               "31/03/2024 or 2024-03-31")
            elif period_end > today:
                reasons.append("The period end date is in the future: the period must have "
                               "ended")
            elif measure is not None and period_end < measure.baseline_date:
                reasons.append("The period ends before the measure's baseline date "
                               f"({measure.baseline_date:%-d %B %Y})")
            else:
                row.period_end = period_end
        # The value.
        if not r["value"]:
            reasons.append("Enter the value")
        else:
            value = parse_value(r["value"])
            if value is None:
                reasons.append(f"“{r['value'][:30]}” is not a number: write it like 120 or 45.5")
            elif abs(value) > MAX_VALUE:
                reasons.append("The value is too large")
            elif value != value.quantize(Decimal("0.01")):
                reasons.append("The value has more than 2 decimal places")
            elif measure is not None and value < 0 and not (
                measure.baseline_value < 0 or measure.target_value < 0
            ):
                reasons.append(f"The value cannot be below zero for {measure.unit}")
            elif measure is not None and _is_percent(measure.unit) and not 0 <= value <= 100:
                reasons.append("A percentage must be between 0 and 100")
            else:
                row.value = value.quantize(Decimal("0.01"))
        if len(row.note) > 5000:
            reasons.append("The note is longer than 5,000 characters")
        if measure is not None and row.period_end is not None:
            key = (measure.pk, row.period_end)
            if key in seen:
                reasons.append(f"Row {seen[key]} already has this measure and period end date")
            else:
                seen[key] = row.line
            row.existing = existing.get(key)
        if not reasons:
            if row.existing is None:
                row.status = NEW
            elif row.existing.value == row.value and (
                not row.note or row.note == row.existing.note
            ):
                row.status = UNCHANGED
            else:
                row.status = CHANGED
        checked.append(row)
    return checked


def summary(rows: list[CheckedRow]) -> dict[str, int]:
    counts = {NEW: 0, CHANGED: 0, UNCHANGED: 0, WRONG: 0}
    for row in rows:
        counts[row.status] += 1
    return counts


class RowsChanged(Exception):
    """The rows no longer check out (someone changed the figures meanwhile)."""


@transaction.atomic
def apply_rows(rows: list[dict], *, access, strategy: Strategy, by) -> dict[str, int]:
    """Check the rows again and save every new and changed one, or none."""
    # One upload of a strategy at a time: a second confirm waits here and then
    # finds the rows already saved (unchanged).
    Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
    checked = check_rows(rows, access=access, strategy=strategy)
    counts = summary(checked)
    if counts[WRONG]:
        raise RowsChanged(checked)
    for row in checked:
        try:
            if row.status == NEW:
                services.measurement_create(measure=row.measure, period_end=row.period_end,
                                            value=row.value, note=row.note, by=by)
            elif row.status == CHANGED:
                services.measurement_update(
                    measurement=row.existing, period_end=row.period_end, value=row.value,
                    note=row.note or row.existing.note, by=by,
                )
        except ValidationError as exc:
            row.status = WRONG
            row.reasons = [m for m in exc.messages]
            raise RowsChanged(checked) from exc
    return counts

"""Reading one police.uk street-level crime file into counts.

A file is checked whole before anything is kept: its columns, its
encoding, every row's month and crime type. What comes out is the month,
how many rows were read, how many fell in the partnership's area and the
count of each crime type among them. Nothing else of a row is kept: no
location, crime ID or outcome.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from crimedata.models import CrimeType

COLUMNS = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
NAME_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-")
KNOWN_TYPES = {t.value for t in CrimeType}
# How many wrong rows a message names before it says "and N more".
SHOWN = 5


class FileProblem(Exception):
    """The file cannot be imported: its message says why, in plain words."""


@dataclass
class StreetFile:
    name: str
    month: dt.date
    rows_read: int
    rows_in_area: int
    falls_within: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows_outside(self) -> int:
        return self.rows_read - self.rows_in_area


def month_label(month: dt.date) -> str:
    return f"{month:%B %Y}"


def _month(text: str) -> dt.date | None:
    found = MONTH.match(text)
    if not found:
        return None
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def _quoted(text: str) -> str:
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"


def _rows_message(lines: list[int], one: str, many: str) -> str:
    """`one` and `many` say what is wrong, for one row and for several
    ("has no month", "have no month")."""
    shown = ", ".join(f"{n:,}" for n in lines[:SHOWN])
    more = f" and {len(lines) - SHOWN:,} more" if len(lines) > SHOWN else ""
    if len(lines) == 1:
        return f"row {shown} {one}"
    return f"rows {shown}{more} {many}"


def read_street_file(data: bytes, *, name: str, area: set[str]) -> StreetFile:
    """Counts of the rows of `data` (a whole file) in `area` (LSOA codes).
    Raises FileProblem, with a message for the person who uploaded it, for
    anything that is not a police.uk street-level file of one month."""
    if not data.strip():
        raise FileProblem("The file is empty: choose a street-level crime file from police.uk")
    if b"\x00" in data:
        raise FileProblem("The file is not a CSV file: choose a street-level crime file "
                          "(ending -street.csv) from police.uk")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem("The file is not saved as UTF-8 text, as police.uk publishes it: "
                          "upload the file as you downloaded it, without opening and "
                          "saving it in a spreadsheet") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise FileProblem("The file is empty: choose a street-level crime file from "
                              "police.uk")
        _check_columns([h.strip() for h in header])
        return _count(reader, name=name, area=area)
    except csv.Error as exc:
        raise FileProblem(f"Line {reader.line_num:,} of the file cannot be read as CSV: upload "
                          "the street-level file as you downloaded it from police.uk") from exc


def _check_columns(header: list[str]) -> None:
    if header == COLUMNS:
        return
    missing = [c for c in COLUMNS if c not in header]
    unexpected = [h for h in header if h not in COLUMNS]
    parts = []
    if missing:
        parts.append("it has no " + ", ".join(_quoted(c) for c in missing[:SHOWN])
                     + (" column" if len(missing) == 1 else " columns"))
    if unexpected:
        parts.append("it has columns police.uk files do not have: "
                     + ", ".join(_quoted(h) for h in unexpected[:SHOWN]))
    if not parts:
        parts.append("its columns are in another order")
    raise FileProblem(
        "This is not a police.uk street-level crime file: " + "; ".join(parts)
        + ". Upload a file ending -street.csv, unchanged (the outcomes and stop and search "
        "files have other columns)"
    )


def _count(reader, *, name: str, area: set[str]) -> StreetFile:
    named = NAME_MONTH.match(name or "")
    file_month = dt.date(int(named.group(1)), int(named.group(2)), 1) if named else None
    wrong_shape: list[int] = []
    bad_month: list[int] = []
    other_month: list[int] = []
    bad_type: list[int] = []
    unknown_types: list[str] = []
    counts: Counter[str] = Counter()
    forces: Counter[str] = Counter()
    rows_read = 0
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue  # a blank line, as at the end of a file
        rows_read += 1
        line = reader.line_num
        if len(row) != len(COLUMNS):
            wrong_shape.append(line)
            continue
        month = _month(row[1].strip())
        if month is None:
            bad_month.append(line)
            continue
        if file_month is None:
            file_month = month
        if month != file_month:
            other_month.append(line)
            continue
        crime_type = row[9].strip()
        if crime_type not in KNOWN_TYPES:
            bad_type.append(line)
            if len(unknown_types) < SHOWN and crime_type not in unknown_types:
                unknown_types.append(crime_type)
            continue
        forces[row[3].strip()[:100]] += 1
        if row[7].strip() in area:
            counts[crime_type] += 1
    problems = []
    if wrong_shape:
        columns = f"the file's {len(COLUMNS)} columns"
        problems.append(_rows_message(wrong_shape, f"does not have {columns}",
                                      f"do not have {columns}"))
    if bad_month:
        problems.append(_rows_message(bad_month, "has no month like 2026-09 in the Month column",
                                      "have no month like 2026-09 in the Month column"))
    if other_month:
        other = (f"for another month than {month_label(file_month)}: every row of a file must "
                 "be for the same month, as in the files police.uk publishes")
        problems.append(_rows_message(other_month, f"is {other}", f"are {other}"))
    if bad_type:
        kinds = ("a crime type police.uk does not use ("
                 + ", ".join(_quoted(t) for t in unknown_types) + ")")
        problems.append(_rows_message(bad_type, f"has {kinds}", f"have {kinds}"))
    if problems:
        raise FileProblem("Nothing was imported: " + "; ".join(problems) + ".")
    if rows_read == 0:
        raise FileProblem("The file has its column names but no rows: choose a month's "
                          "street-level crime file from police.uk")
    falls_within = forces.most_common(1)[0][0] if forces else ""
    in_area = sum(counts.values())
    if in_area == 0:
        force = f" (this one is for {falls_within})" if falls_within else ""
        rows = "The file's one row is not" if rows_read == 1 else (
            f"None of the {rows_read:,} rows is")
        raise FileProblem(
            f"{rows} in your area: check the file is for the police "
            f"force that covers your area{force}, and that your area's LSOA codes are right"
        )
    return StreetFile(name=name, month=file_month, rows_read=rows_read, rows_in_area=in_area,
                      falls_within=falls_within, counts=dict(counts))

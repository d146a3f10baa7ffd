"""Small police.uk street-level crime files, made in the published format."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from crimedata.streetfile import COLUMNS

OURS = ["E01000001", "E01000002", "E01000003"]
THEIRS = ["W01000009"]
ELSEWHERE = "E01999999"


def row(month: str, crime_type: str, lsoa: str, *, crime_id: str = "abc123",
        force: str = "Shire Constabulary", **cells) -> list[str]:
    base = {
        "Crime ID": "" if crime_type == "Anti-social behaviour" else crime_id,
        "Month": month, "Reported by": force, "Falls within": force,
        "Longitude": "-0.75", "Latitude": "52.04", "Location": "On or near High Street",
        "LSOA code": lsoa, "LSOA name": "Town 001A", "Crime type": crime_type,
        "Last outcome category": "Under investigation", "Context": "",
    }
    base.update(cells)
    return [base[c] for c in COLUMNS]


def text(rows: list[list[str]], header: list[str] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header or COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


def month_rows(month: str, counts: dict[str, int], lsoa: str = OURS[0]) -> list[list[str]]:
    rows = []
    for crime_type, n in counts.items():
        rows += [row(month, crime_type, lsoa, crime_id=f"id{i}") for i in range(n)]
    return rows


def upload(name: str, body: str | bytes) -> SimpleUploadedFile:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return SimpleUploadedFile(name, data, content_type="text/csv")


def street_file(month: str, counts: dict[str, int], *, outside: int = 0,
                lsoa: str = OURS[0]) -> SimpleUploadedFile:
    rows = month_rows(month, counts, lsoa)
    rows += [row(month, "Burglary", ELSEWHERE) for _ in range(outside)]
    return upload(f"{month}-shire-street.csv", text(rows))

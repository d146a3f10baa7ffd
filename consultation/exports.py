"""CSV and XLSX exports of responses, and of equality monitoring in a
separate file that carries no reference number and is sorted by its own
values, so its rows cannot be matched back to answers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from openpyxl import Workbook

from consultation.models import (
    Answer,
    Consultation,
    DraftComment,
    EqualityResponse,
    Question,
    Response,
)


def _columns(consultation: Consultation) -> tuple[list[str], list[tuple]]:
    questions = list(
        Question.objects.filter(section__consultation=consultation)
        .select_related("section")
        .order_by("section__order", "section__pk", "order", "pk")
    )
    priorities = consultation.draft_priorities
    keys: list[tuple] = []
    headers: list[str] = []
    for q in questions:
        if q.kind == Question.Kind.SAFETY:
            for part, label in Question.SAFETY_PARTS:
                keys.append((q.pk, part))
                headers.append(f"{q.text} ({label.lower()})")
        elif q.kind == Question.Kind.RANKING:
            for p in priorities:
                keys.append((q.pk, str(p["id"])))
                headers.append(f"{q.text}: {p['title']} (rank)")
        else:
            keys.append((q.pk, ""))
            headers.append(q.text)
    refs = [f"priority:{p['id']}" for p in priorities] + ["general"]
    labels = [p["title"] for p in priorities] + ["The draft as a whole"]
    for ref, label in zip(refs, labels, strict=True):
        keys.append(("comment", ref))
        headers.append(f"Comment: {label}")
    return headers, keys


def response_rows(consultation: Consultation) -> Iterator[list]:
    headers, keys = _columns(consultation)
    kinds = dict(
        Question.objects.filter(section__consultation=consultation).values_list("pk", "kind")
    )
    yield ["Reference", "Submitted", "Channel", "Audience", "Organisation", "School",
           "Class", "Age band", *headers]
    cells: dict[int, dict[tuple, str]] = {}
    for a in (
        Answer.objects.filter(response__consultation=consultation)
        .values_list("response_id", "question_id", "part", "value", "rank", "text")
        .order_by("response_id", "pk")
        .iterator(chunk_size=5000)
    ):
        response_id, question_id, part, value, rank, text = a
        row = cells.setdefault(response_id, {})
        kind = kinds.get(question_id)
        if kind == Question.Kind.SAFETY:
            row[(question_id, part)] = value
        elif kind == Question.Kind.RANKING:
            row[(question_id, value)] = str(rank)
        elif kind == Question.Kind.TEXT:
            row[(question_id, "")] = text
        elif kind == Question.Kind.MULTIPLE:
            key = (question_id, "")
            row[key] = f"{row[key]}; {value}" if key in row else value
        else:
            row[(question_id, "")] = value
    for response_id, ref, text in (
        DraftComment.objects.filter(consultation=consultation)
        .values_list("response_id", "priority_ref", "text")
        .iterator(chunk_size=5000)
    ):
        cells.setdefault(response_id, {})[("comment", ref)] = text
    for r in (
        Response.objects.filter(consultation=consultation)
        .select_related("class_code")
        .order_by("submitted_at", "pk")
        .iterator(chunk_size=2000)
    ):
        row = cells.get(r.pk, {})
        yield [
            r.reference,
            r.submitted_at.isoformat(timespec="minutes"),
            r.get_channel_display(),
            r.get_audience_display(),
            r.organisation_name,
            r.class_code.school if r.class_code else "",
            r.class_code.class_name if r.class_code else "",
            r.get_age_band_display() if r.age_band else "",
            *[row.get(key, "") for key in keys],
        ]


def equality_rows(consultation: Consultation) -> Iterator[list]:
    fields = EqualityResponse.FIELDS
    labels = {
        name: dict(EqualityResponse._meta.get_field(name).choices) for name in fields
    }
    yield ["Age", "Sex", "Ethnic group", "Disability", "Postcode district"]
    rows = (
        EqualityResponse.objects.filter(consultation=consultation)
        .order_by(*fields, "postcode_district")
        .values_list(*fields, "postcode_district")
    )
    for row in rows.iterator(chunk_size=5000):
        yield [labels[name].get(value, "") for name, value in zip(fields, row[:4], strict=True)] + [
            row[4]
        ]


def _safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def as_csv(rows: Iterator[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows: Iterator[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

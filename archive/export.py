"""Writing a partnership archive: a .zip of JSON (one file per kind), CSV
where the kind is a table, the stored PDFs and logo, a manifest and a
README.txt that describes every file and field.

Rows are streamed from the database, so a partnership with tens of
thousands of responses is written without holding them all in memory.
Free text is written only as the consultation's retention period allows,
even where the nightly retention task has not yet run.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from archive import readme
from archive.kinds import (
    FORMAT_NAME,
    KINDS,
    PEOPLE,
    PEOPLE_FIELDS,
    RESPONSIBILITIES,
    RESPONSIBILITY_FIELDS,
    RESPONSIBILITY_MODEL,
    SCHEMA_VERSION,
    Kind,
    column,
    fields_of,
    m2m_of,
)
from archive.names import safe_file_name
from consultation.models import Consultation
from consultation.services import RETENTION_MARK
from partnerships.models import Partnership
from safermk.backup import applied_migrations

CHUNK = 2000
User = get_user_model()


def encode(value):
    """A value as JSON can hold it; read back by the field's to_python."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        raise TypeError("Binary fields are not archived")
    return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def is_tabular(kind: Kind) -> bool:
    """A kind is written as CSV too unless a field holds structured JSON."""
    return not any(isinstance(f, models.JSONField) for f in fields_of(kind))


@dataclass
class Retention:
    """Consultations whose free text and equality data are past their
    retention period now, whether or not the nightly task has run."""

    past: set[int] = field(default_factory=set)

    @classmethod
    def for_partnership(cls, partnership: Partnership, now: dt.datetime) -> Retention:
        past = set()
        for consultation in Consultation.objects.filter(partnership=partnership):
            if consultation.data_deleted_at:
                continue
            ended = consultation.ended_at
            if ended and ended < now and ended + dt.timedelta(
                days=consultation.retention_days
            ) <= now:
                past.add(consultation.pk)
        return cls(past)


@dataclass
class Written:
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)


class ArchiveWriter:
    def __init__(self, partnership: Partnership, *, now: dt.datetime | None = None,
                 progress: Callable[[int, int, str], None] | None = None) -> None:
        self.partnership = partnership
        self.now = now or timezone.now()
        self.progress = progress or (lambda done, total, step: None)
        self.retention = Retention.for_partnership(partnership, self.now)
        self._ids: dict[type, set[int]] = {}
        self.people: set[int] = set()
        self.responsibilities: set[int] = set()
        self.file_names: list[str] = []
        self.written = Written()

    @property
    def steps_total(self) -> int:
        # Each kind, people and responsibilities, the files, the README.
        return len(KINDS) + 4

    # Which ids a link may point at ------------------------------------------
    def _ids_of(self, model) -> set[int]:
        if model not in self._ids:
            from archive.kinds import KIND_BY_MODEL

            kind = KIND_BY_MODEL[model]
            self._ids[model] = set(kind.queryset(self.partnership).values_list("pk", flat=True))
        return self._ids[model]

    def _link(self, f: models.ForeignKey, value):
        """The id a link is written with; None for a link to a record that is
        not in the archive (the installation's own plan templates)."""
        if value is None:
            return None
        target = f.related_model
        if target is User:
            self.people.add(value)
            return value
        if target is Partnership:
            return value
        from archive.kinds import KIND_BY_MODEL

        if target in KIND_BY_MODEL and value not in self._ids_of(target):
            return None if f.null else value
        return value

    # Rows ---------------------------------------------------------------------
    def rows(self, kind: Kind) -> Iterator[dict]:
        fields = fields_of(kind)
        names = [column(f) for f in fields]
        queryset = kind.queryset(self.partnership)
        if kind.name == "equality_responses" and self.retention.past:
            queryset = queryset.exclude(consultation_id__in=self.retention.past)
        m2m = {f.name: self._m2m_values(kind, f) for f in m2m_of(kind)}
        for f in m2m_of(kind):
            if f.related_model is RESPONSIBILITY_MODEL:
                for targets in m2m[f.name].values():
                    self.responsibilities.update(targets)
        for values in queryset.values(*names).iterator(chunk_size=CHUNK):
            row = {}
            for f, name in zip(fields, names, strict=True):
                value = values[name]
                if f.is_relation:
                    value = self._link(f, value)
                elif isinstance(f, models.FileField):
                    if value:
                        self.file_names.append(value)
                row[name] = encode(value)
            self._apply_retention(kind, row)
            for name, targets in m2m.items():
                row[name] = sorted(targets.get(values["id"], ()))
            yield row

    def _apply_retention(self, kind: Kind, row: dict) -> None:
        if not self.retention.past:
            return
        if kind.name == "answers" and row["text"]:
            if self._consultation_of_question(row["question_id"]) in self.retention.past:
                row["text"] = RETENTION_MARK
        elif kind.name == "draft_comments" and row["consultation_id"] in self.retention.past:
            row["text"] = RETENTION_MARK

    def _consultation_of_question(self, question_id: int) -> int:
        if not hasattr(self, "_question_consultation"):
            from consultation.models import Question

            self._question_consultation = dict(
                Question.objects.filter(section__consultation__partnership=self.partnership)
                .values_list("pk", "section__consultation_id")
            )
        return self._question_consultation[question_id]

    def _m2m_values(self, kind: Kind, f: models.ManyToManyField) -> dict[int, list[int]]:
        through = f.remote_field.through
        source = f.m2m_field_name()
        target = f.m2m_reverse_field_name()
        ids = kind.queryset(self.partnership).values("pk")
        found: dict[int, list[int]] = {}
        for source_id, target_id in through.objects.filter(
            **{f"{source}__in": ids}
        ).values_list(f"{source}_id", f"{target}_id").order_by("pk"):
            found.setdefault(source_id, []).append(target_id)
        return found

    # The archive ----------------------------------------------------------------
    def write(self, handle) -> Written:
        total = self.steps_total
        done = 0
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for kind in KINDS:
                self.progress(done, total, f"Writing {kind.name.replace('_', ' ')}")
                columns = [column(f) for f in fields_of(kind)] + [f.name for f in m2m_of(kind)]
                self._write_kind(zf, kind.name, columns, self.rows(kind), tabular=is_tabular(kind))
                done += 1
            self.progress(done, total, "Writing people and statutory responsibilities")
            self._write_kind(zf, PEOPLE, list(PEOPLE_FIELDS), self._people_rows(), tabular=True)
            done += 1
            self._write_kind(zf, RESPONSIBILITIES, list(RESPONSIBILITY_FIELDS),
                             self._responsibility_rows(), tabular=True)
            done += 1
            self.progress(done, total, "Adding the stored files")
            self._write_files(zf)
            done += 1
            self.progress(done, total, "Writing the README")
            manifest = self.manifest()
            zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
            zf.writestr("README.txt", readme.text(manifest, tabular={
                kind.name for kind in KINDS if is_tabular(kind)
            }))
            done += 1
        self.progress(done, total, "Done")
        return self.written

    def _write_kind(self, zf: zipfile.ZipFile, name: str, columns: list[str],
                    rows: Iterator[dict], *, tabular: bool) -> None:
        count = 0
        spool = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", newline="",
                                              encoding="utf-8") if tabular else None
        writer = csv.writer(spool) if spool else None
        if writer:
            writer.writerow(columns)
        with zf.open(f"data/{name}.json", "w") as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8")
            out.write("[")
            for row in rows:
                out.write(",\n" if count else "\n")
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=False))
                if writer:
                    writer.writerow([_csv_cell(row[c]) for c in columns])
                count += 1
            out.write("\n]\n")
            out.flush()
            out.detach()
        if spool:
            spool.seek(0)
            with zf.open(f"csv/{name}.csv", "w") as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                while block := spool.read(1 << 20):
                    out.write(block)
                out.flush()
                out.detach()
            spool.close()
        self.written.counts[name] = count

    def _people_rows(self) -> Iterator[dict]:
        for person in User.objects.filter(pk__in=self.people).order_by("pk").values(
            *PEOPLE_FIELDS
        ):
            yield dict(person)

    def _responsibility_rows(self) -> Iterator[dict]:
        for row in RESPONSIBILITY_MODEL.objects.filter(pk__in=self.responsibilities).order_by(
            "pk"
        ).values(*RESPONSIBILITY_FIELDS):
            yield dict(row)

    def _write_files(self, zf: zipfile.ZipFile) -> None:
        for name in sorted(set(self.file_names)):
            if not safe_file_name(name) or not default_storage.exists(name):
                self.written.missing_files.append(name)
                continue
            digest = hashlib.sha256()
            size = 0
            with default_storage.open(name, "rb") as source, zf.open(f"files/{name}", "w") as out:
                while block := source.read(1 << 20):
                    digest.update(block)
                    size += len(block)
                    out.write(block)
            self.written.files[name] = {"bytes": size, "sha256": digest.hexdigest()}

    def manifest(self) -> dict:
        return {
            "format": FORMAT_NAME,
            "schema_version": SCHEMA_VERSION,
            "made_at": self.now.isoformat(),
            "partnership": {"slug": self.partnership.slug, "name": self.partnership.name,
                            "short_code": self.partnership.short_code},
            "counts": self.written.counts,
            "files": self.written.files,
            "files_not_found": self.written.missing_files,
            "migrations": applied_migrations(),
        }


def archive_write(*, partnership: Partnership, handle, progress=None,
                  now: dt.datetime | None = None) -> Written:
    return ArchiveWriter(partnership, now=now, progress=progress).write(handle)

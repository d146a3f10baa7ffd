"""Loading a partnership archive into this installation.

Everything is checked before anything is written, and everything is written
in one transaction: a refused or failed import changes nothing (stored files
it had saved are deleted again). The archive is treated as hostile: member
names are checked against the names a writer makes (no absolute paths, no
`..`), sizes and compression ratios are bounded before a byte is inflated,
and every value goes through its field's own validation.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, models, transaction

from archive.kinds import (
    FORMAT_NAME,
    KIND_BY_MODEL,
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
from archive.names import allowed_member
from partnerships.models import Partnership

User = get_user_model()
BATCH = 1000


class ArchiveRefused(Exception):
    """The archive cannot be loaded; the message says why. Nothing changed."""


@dataclass
class Loaded:
    partnership: Partnership
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0


# Reading the zip safely -------------------------------------------------------


class SafeZip:
    def __init__(self, path: Path) -> None:
        self.max_total = settings.PARTNERSHIP_ARCHIVE_IMPORT_MAX_BYTES
        self.max_ratio = settings.PARTNERSHIP_ARCHIVE_IMPORT_MAX_RATIO
        self.max_members = settings.PARTNERSHIP_ARCHIVE_IMPORT_MAX_FILES
        try:
            self.zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ArchiveRefused(f"{path} is not a readable .zip file ({exc}).") from exc
        infos = self.zf.infolist()
        if len(infos) > self.max_members:
            raise ArchiveRefused(
                f"The archive has {len(infos)} entries; at most {self.max_members} are accepted."
            )
        self.members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            if not allowed_member(info.filename):
                raise ArchiveRefused(
                    f"The archive holds {info.filename!r}, a name a partnership archive never "
                    "has (absolute, with .. or unexpected): refused."
                )
            if info.filename in self.members:
                raise ArchiveRefused(f"The archive holds {info.filename!r} twice.")
            if info.flag_bits & 0x1:
                raise ArchiveRefused("The archive is encrypted.")
            if info.file_size > 1024 and info.file_size > self.max_ratio * max(
                info.compress_size, 1
            ):
                raise ArchiveRefused(
                    f"{info.filename} would grow more than {self.max_ratio} times when "
                    "unpacked: refused as a possible zip bomb."
                )
            total += info.file_size
            self.members[info.filename] = info
        if total > self.max_total:
            raise ArchiveRefused(
                f"The archive would unpack to {total} bytes; at most {self.max_total} are "
                "accepted (PARTNERSHIP_ARCHIVE_IMPORT_MAX_BYTES)."
            )

    def read(self, name: str) -> bytes:
        info = self.members.get(name)
        if info is None:
            raise ArchiveRefused(f"The archive has no {name}.")
        # The sizes in the directory may lie: never read past what it declares.
        with self.zf.open(info) as handle:
            data = handle.read(info.file_size + 1)
        if len(data) != info.file_size:
            raise ArchiveRefused(f"{name} is not the size the archive's directory says.")
        return data

    def json(self, name: str):
        try:
            return json.loads(self.read(name).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ArchiveRefused(f"{name} is not valid JSON ({exc}).") from exc
        except RecursionError as exc:
            raise ArchiveRefused(f"{name} is nested too deeply to be a partnership "
                                 "archive.") from exc

    def close(self) -> None:
        self.zf.close()


# Checking what is in it -----------------------------------------------------------


def _check_manifest(manifest) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise ArchiveRefused("manifest.json does not describe a partnership archive.")
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ArchiveRefused(
            f"The archive has schema version {version!r}; this installation reads version "
            f"{SCHEMA_VERSION} only."
        )
    if not isinstance(manifest.get("counts"), dict) or not isinstance(
        manifest.get("files"), dict
    ):
        raise ArchiveRefused("manifest.json lacks its counts or its list of files.")


def _rows(archive: SafeZip, name: str, columns: list[str], expected: int) -> list[dict]:
    rows = archive.json(f"data/{name}.json")
    if not isinstance(rows, list):
        raise ArchiveRefused(f"data/{name}.json is not a list of rows.")
    if len(rows) != expected:
        raise ArchiveRefused(
            f"data/{name}.json has {len(rows)} rows; the manifest says {expected}."
        )
    wanted = set(columns)
    seen = set()
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict) or set(row) != wanted:
            got = sorted(row) if isinstance(row, dict) else type(row).__name__
            raise ArchiveRefused(
                f"Row {number} of data/{name}.json does not have the fields of schema version "
                f"{SCHEMA_VERSION} (expected {sorted(wanted)}, found {got})."
            )
        if not isinstance(row["id"], int) or row["id"] in seen:
            raise ArchiveRefused(f"Row {number} of data/{name}.json has a missing or repeated id.")
        seen.add(row["id"])
    return rows


class Loader:
    def __init__(self, archive: SafeZip) -> None:
        self.archive = archive
        self.ids: dict[str, dict[int, int]] = {}
        self.saved_files: list[str] = []
        self.file_names: dict[str, str] = {}

    def read_all(self) -> None:
        manifest = self.archive.json("manifest.json")
        _check_manifest(manifest)
        self.manifest = manifest
        counts = manifest["counts"]
        self.data: dict[str, list[dict]] = {}
        for kind in KINDS:
            columns = [column(f) for f in fields_of(kind)] + [f.name for f in m2m_of(kind)]
            self.data[kind.name] = _rows(self.archive, kind.name, columns,
                                         _count(counts, kind.name))
        self.data[PEOPLE] = _rows(self.archive, PEOPLE, list(PEOPLE_FIELDS),
                                  _count(counts, PEOPLE))
        self.data[RESPONSIBILITIES] = _rows(self.archive, RESPONSIBILITIES,
                                            list(RESPONSIBILITY_FIELDS),
                                            _count(counts, RESPONSIBILITIES))
        if len(self.data["partnership"]) != 1:
            raise ArchiveRefused("The archive must hold exactly one partnership.")
        for name, part in manifest["files"].items():
            if not isinstance(part, dict) or f"files/{name}" not in self.archive.members:
                raise ArchiveRefused(f"The manifest lists files/{name}, which is not there.")
            data = self.archive.read(f"files/{name}")
            if hashlib.sha256(data).hexdigest() != part.get("sha256"):
                raise ArchiveRefused(f"files/{name} does not match its SHA-256 in the manifest.")
        extra = {
            n for n in self.archive.members if n.startswith("files/")
        } - {f"files/{n}" for n in manifest["files"]}
        if extra:
            raise ArchiveRefused(f"The archive holds files the manifest does not list: "
                                 f"{sorted(extra)[:3]}.")

    def check_not_here(self) -> None:
        row = self.data["partnership"][0]
        if Partnership.objects.filter(slug=row["slug"]).exists():
            raise ArchiveRefused(
                f"A partnership with the web address name {row['slug']!r} already exists here: "
                "nothing was imported."
            )
        if Partnership.objects.filter(short_code=row["short_code"]).exists():
            raise ArchiveRefused(
                f"A partnership with the short code {row['short_code']!r} already exists here: "
                "nothing was imported (response references start with it)."
            )

        for kind in KINDS[1:]:
            for f in fields_of(kind):
                if not f.unique or f.primary_key or f.is_relation:
                    continue
                values = {row[column(f)] for row in self.data[kind.name]} - {None, ""}
                if not values:
                    continue
                taken = sorted(kind.model.objects.filter(**{f"{f.name}__in": values})
                               .values_list(f.name, flat=True)[:3])
                if taken:
                    raise ArchiveRefused(
                        f"{kind.name}: {f.verbose_name} already here: "
                        f"{', '.join(map(repr, taken))}. Each must be unique in the "
                        "installation: nothing was imported."
                    )

    # Writing -------------------------------------------------------------------------
    def load(self) -> Loaded:
        self._people()
        self._responsibilities()
        deferred: list[tuple[Kind, list[models.Model], list[dict]]] = []
        for position, kind in enumerate(KINDS):
            objects = self._create(kind, position)
            deferred.append((kind, objects, self.data[kind.name]))
        for position, (kind, objects, rows) in enumerate(deferred):
            self._finish(kind, position, objects, rows)
        partnership = Partnership.objects.get(pk=self.ids["partnership"][
            self.data["partnership"][0]["id"]])
        counts = {name: len(rows) for name, rows in self.data.items()}
        return Loaded(partnership=partnership, counts=counts, files=len(self.saved_files))

    def _people(self) -> None:
        slug = self.data["partnership"][0]["slug"]
        mapping = {}
        for row in self.data[PEOPLE]:
            user = User(
                username=f"archive-{slug}-{row['id']}"[:150],
                first_name=str(row["first_name"] or "")[:150],
                last_name=str(row["last_name"] or "")[:150],
                email=str(row["email"] or ""),
                is_active=False,
            )
            user.set_unusable_password()
            _validate(user, PEOPLE, row["id"], exclude=["password"])
            user.save()
            mapping[row["id"]] = user.pk
        self.ids[PEOPLE] = mapping

    def _responsibilities(self) -> None:
        mapping = {}
        for row in self.data[RESPONSIBILITIES]:
            if not isinstance(row["code"], str):
                raise ArchiveRefused(f"{RESPONSIBILITIES} {row['id']}: the code is not text.")
            found = RESPONSIBILITY_MODEL.objects.filter(code=row["code"]).first()
            if found is None:
                found = RESPONSIBILITY_MODEL(**{k: row[k] for k in RESPONSIBILITY_FIELDS
                                                if k != "id"})
                _validate(found, RESPONSIBILITIES, row["id"])
                found.save()
            mapping[row["id"]] = found.pk
        self.ids[RESPONSIBILITIES] = mapping

    def _target(self, f: models.ForeignKey) -> str | None:
        if f.related_model is User:
            return PEOPLE
        if f.related_model is RESPONSIBILITY_MODEL:
            return RESPONSIBILITIES
        kind = KIND_BY_MODEL.get(f.related_model)
        return kind.name if kind else None

    def _map(self, kind: Kind, f, value, row_id: int):
        if value is None:
            return None
        target = self._target(f)
        if target is None:
            raise ArchiveRefused(f"{kind.name} {row_id}: {column(f)} links outside the archive.")
        try:
            return self.ids[target][value]
        except (KeyError, TypeError):
            # The writer leaves links to rows outside the archive empty, so a
            # link that points nowhere is never the writer's.
            raise ArchiveRefused(
                f"{kind.name} {row_id}: {column(f)} points at {target} {value!r}, which is not "
                "in the archive."
            ) from None

    def _is_deferred(self, f, position: int) -> bool:
        target = KIND_BY_MODEL.get(f.related_model)
        return target is not None and KINDS.index(target) >= position

    def _create(self, kind: Kind, position: int) -> list[models.Model]:
        objects = []
        auto = [f for f in fields_of(kind) if getattr(f, "auto_now", False)
                or getattr(f, "auto_now_add", False)]
        for row in self.data[kind.name]:
            obj = kind.model()
            for f in fields_of(kind):
                if f.primary_key:
                    continue
                value = row[column(f)]
                if f.is_relation:
                    if self._is_deferred(f, position):
                        if not f.null and value is not None:
                            raise ArchiveRefused(f"{kind.name}: {column(f)} cannot be loaded.")
                        value = None
                    else:
                        value = self._map(kind, f, value, row["id"])
                    setattr(obj, f.attname, value)
                elif isinstance(f, models.FileField):
                    setattr(obj, f.attname, self._file(value))
                else:
                    try:
                        value = f.to_python(value)
                    except (ValidationError, TypeError, ValueError) as exc:
                        raise ArchiveRefused(
                            f"{kind.name} {row['id']}: {f.name} is not valid ({_message(exc)})."
                        ) from exc
                    setattr(obj, f.attname, value)
            exclude = [f.name for f in fields_of(kind) if f.is_relation
                       or isinstance(f, models.FileField)]
            _validate(obj, kind.name, row["id"], exclude=exclude)
            obj._archive_auto = {f.attname: getattr(obj, f.attname) for f in auto}
            objects.append(obj)
        kind.model.objects.bulk_create(objects, batch_size=BATCH)
        if objects and objects[0].pk is None:
            # PostgreSQL and SQLite 3.35+ give the new ids back; a database
            # that does not cannot keep the links.
            raise ArchiveRefused("This database does not return the ids of new rows; "
                                 "import into PostgreSQL (or SQLite 3.35 or newer).")
        self.ids[kind.name] = {
            row["id"]: obj.pk for row, obj in zip(self.data[kind.name], objects, strict=True)
        }
        return objects

    def _finish(self, kind: Kind, position: int, objects, rows) -> None:
        """Links to rows made later (or of the same kind), the stored times of
        auto_now fields, and many-to-many links."""
        later = [f for f in fields_of(kind) if f.is_relation and self._is_deferred(f, position)]
        auto = [f for f in fields_of(kind) if getattr(f, "auto_now", False)
                or getattr(f, "auto_now_add", False)]
        changed = [f.name for f in later + auto]
        if changed and objects:
            for obj, row in zip(objects, rows, strict=True):
                for f in later:
                    setattr(obj, f.attname, self._map(kind, f, row[column(f)], row["id"]))
                for attname, value in obj._archive_auto.items():
                    setattr(obj, attname, value)
            kind.model.objects.bulk_update(objects, changed, batch_size=BATCH)
        for f in m2m_of(kind):
            through = f.remote_field.through
            source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
            links = []
            target_kind = self._target_of_m2m(f)
            for obj, row in zip(objects, rows, strict=True):
                values = row[f.name]
                if not isinstance(values, list):
                    raise ArchiveRefused(f"{kind.name} {row['id']}: {f.name} is not a list.")
                for value in values:
                    try:
                        target_id = self.ids[target_kind][value]
                    except (KeyError, TypeError):
                        raise ArchiveRefused(
                            f"{kind.name} {row['id']}: {f.name} points at {target_kind} "
                            f"{value!r}, which is not in the archive."
                        ) from None
                    links.append(through(**{f"{source}_id": obj.pk, f"{target}_id": target_id}))
            through.objects.bulk_create(links, batch_size=BATCH)

    def _target_of_m2m(self, f) -> str:
        if f.related_model is RESPONSIBILITY_MODEL:
            return RESPONSIBILITIES
        return KIND_BY_MODEL[f.related_model].name

    def _file(self, name) -> str:
        if not name:
            return ""
        if not isinstance(name, str):
            raise ArchiveRefused(f"A file name in the archive is not text: {name!r}.")
        if name not in self.manifest["files"]:
            return ""  # not found when the archive was made
        if name not in self.file_names:
            data = self.archive.read(f"files/{name}")
            saved = default_storage.save(name, ContentFile(data))
            self.saved_files.append(saved)
            self.file_names[name] = saved
        return self.file_names[name]

    def forget_files(self) -> None:
        for name in self.saved_files:
            try:
                default_storage.delete(name)
            except OSError:
                pass


def _count(counts: dict, name: str) -> int:
    value = counts.get(name)
    if not isinstance(value, int) or value < 0:
        raise ArchiveRefused(f"manifest.json gives no count for {name}.")
    return value


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


def _validate(obj: models.Model, kind: str, row_id, exclude=None) -> None:
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError as exc:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
        raise ArchiveRefused(f"{kind} {row_id} is not valid: {problems}.") from exc


def archive_import(*, path: Path) -> Loaded:
    """Load the archive at `path`; raises ArchiveRefused, having changed nothing."""
    archive = SafeZip(Path(path))
    loader = Loader(archive)
    try:
        loader.read_all()
        loader.check_not_here()
        try:
            with transaction.atomic():
                return loader.load()
        except (IntegrityError, DatabaseError) as exc:
            raise ArchiveRefused(
                f"The database refused the archive's rows ({exc}); nothing was imported."
            ) from exc
        except (ValueError, TypeError, KeyError, AttributeError, ValidationError) as exc:
            # A value of a type no writer makes, caught wherever it surfaces.
            raise ArchiveRefused(
                f"The archive holds a value of the wrong kind ({type(exc).__name__}: {exc}); "
                "nothing was imported."
            ) from exc
    except BaseException:
        loader.forget_files()
        raise
    finally:
        archive.close()

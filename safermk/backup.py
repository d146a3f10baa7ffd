"""Backing up and restoring an installation: the database and the stored files.

A backup is a folder of three parts:

- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or
  `database.sqlite3` (SQLite: a copy made with SQLite's online backup API,
  consistent while the site runs);
- `files.tar.gz`: everything under MEDIA_ROOT (rendered PDFs, partnership
  logos);
- `manifest.json`: when it was made, the latest migration of each app (the
  code version the data belongs to), the row count of every table, the
  number of stored files, and the size and SHA-256 of each part.

A restore checks every part against the manifest before it touches
anything, so a partial or altered backup is refused whole.

The PostgreSQL password goes to pg_dump and pg_restore in the PGPASSWORD
environment variable, never on the command line, where `ps` would show it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
FILES = "files.tar.gz"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FORMAT = 1


class BackupError(Exception):
    """Something a person can fix: the message says what."""


@dataclass(frozen=True)
class CountCheck:
    table: str
    expected: int
    found: int

    @property
    def matches(self) -> bool:
        return self.expected == self.found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _part(path: Path) -> dict:
    return {"name": path.name, "bytes": path.stat().st_size, "sha256": _sha256(path)}


def _database() -> dict:
    return settings.DATABASES["default"]


def _vendor() -> str:
    return connections["default"].vendor


def _tables() -> dict[str, str]:
    """Every table the installed apps own: model label -> table name."""
    return {
        model._meta.label_lower: model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def row_counts() -> dict[str, int]:
    """Rows in every table the installed apps own, by model label."""
    counts = {}
    with connections["default"].cursor() as cursor:
        for label, table in _tables().items():
            cursor.execute(f"SELECT COUNT(*) FROM {connections['default'].ops.quote_name(table)}")
            counts[label] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _sqlite_row_counts(path: Path) -> dict[str, int]:
    """The row counts of a SQLite copy, read from the copy itself."""
    copy = sqlite3.connect(path)
    try:
        return dict(sorted(
            (label, copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
            for label, table in _tables().items()
        ))
    finally:
        copy.close()


def applied_migrations() -> dict[str, str]:
    """The latest applied migration of each app: what code the data fits."""
    latest: dict[str, str] = {}
    recorder = MigrationRecorder(connections["default"])
    for app_label, name in sorted(recorder.applied_migrations()):
        if name > latest.get(app_label, ""):
            latest[app_label] = name
    return latest


def _media_root() -> Path | None:
    """The folder of stored files, or None when they live in a bucket."""
    if not isinstance(default_storage, FileSystemStorage):
        return None
    return Path(default_storage.location)


# PostgreSQL -----------------------------------------------------------------


def _pg_environment() -> dict[str, str]:
    db = _database()
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            environment[variable] = str(db[key])
    options = db.get("OPTIONS", {})
    for key, variable in (
        ("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY"),
    ):
        if options.get(key):
            environment[variable] = str(options[key])
    environment["PGDATABASE"] = str(db["NAME"])
    return environment


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL client of the server's major "
            f"version (Debian: apt-get install postgresql-client) and run this again."
        )
    return found


def _pg_tool_major(tool: str) -> int:
    # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True)
    return int(output.stdout.split()[2].split(".")[0])


def _pg_run(arguments: list[str], what: str) -> None:
    result = subprocess.run(arguments, env=_pg_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.stdout.strip()}")


def _pg_dump(target: Path) -> dict[str, int]:
    """Dump the database and count its rows in the same snapshot, so the
    manifest's counts are the dump's even while the site keeps writing."""
    tool = _pg_tool("pg_dump")
    server = connections["default"].pg_version // 10000
    client = _pg_tool_major(tool)
    if client < server:
        # pg_dump refuses a newer server; say which client to install.
        raise BackupError(
            f"pg_dump is version {client} but the database server is version {server}: "
            f"install postgresql-client-{server}."
        )
    connection = connections["default"]
    with transaction.atomic(using="default"):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = row_counts()
        _pg_run(
            [tool, "--format=custom", "--no-password", f"--snapshot={snapshot}",
             f"--file={target}"],
            "pg_dump",
        )
    return counts


def _pg_restore(source: Path) -> None:
    tool = _pg_tool("pg_restore")
    connections["default"].close()
    _pg_run(
        [
            tool, "--clean", "--if-exists", "--no-owner", "--no-password",
            "--single-transaction", f"--dbname={_database()['NAME']}", str(source),
        ],
        "pg_restore",
    )


# SQLite ---------------------------------------------------------------------


def _sqlite_copy(source: str, target: str) -> None:
    """Copy with SQLite's online backup API: a consistent copy even while
    another process writes, and safe into a database others have open
    (a plain file copy over a live database, or past its WAL, is not)."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as destination:
        origin.backup(destination)
    origin.close()
    destination.close()


# Backup ---------------------------------------------------------------------


def backup_create(*, folder: Path) -> dict:
    """Write a backup of the database and the stored files into `folder`
    (made if missing; it must hold no earlier backup). Returns the manifest."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"The folder {folder} could not be made: {exc.strerror}.") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(f"The folder {folder} is not writable by this user.")
    if (folder / MANIFEST).exists():
        raise BackupError(
            f"{folder} already holds a backup: choose a new folder (for example one named "
            f"after the date) so that no backup is overwritten."
        )
    vendor = _vendor()
    if vendor == "postgresql":
        database = folder / PG_DUMP
        counts = _pg_dump(database)
    elif vendor == "sqlite":
        database = folder / SQLITE_COPY
        _sqlite_copy(str(_database()["NAME"]), str(database))
        counts = _sqlite_row_counts(database)
    else:
        raise BackupError(f"Backing up a {vendor} database is not supported.")

    media = _media_root()
    parts = {"database": _part(database)}
    file_count = None
    if media is not None:
        archive = folder / FILES
        file_count = 0
        with tarfile.open(archive, "w:gz") as tar:
            if media.exists():
                for path in sorted(media.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=str(path.relative_to(media)), recursive=False)
                        file_count += 1
        parts["files"] = _part(archive)

    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(timespec="seconds"),
        "database_vendor": vendor,
        "migrations": applied_migrations(),
        "rows": counts,
        "stored_files": file_count,
        "stored_files_note": None
        if media is not None
        else "Stored files are in an object storage bucket: back them up there.",
        "parts": parts,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


# Restore --------------------------------------------------------------------


def backup_check(*, folder: Path) -> dict:
    """The manifest of the backup in `folder`, once every part is there with
    the size and SHA-256 it names; otherwise BackupError."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{folder} holds no {MANIFEST}: it is not a backup.") from exc
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder / MANIFEST} could not be read: {exc}.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{folder / MANIFEST} is not a backup manifest this version can read.")
    for role, part in manifest.get("parts", {}).items():
        path = folder / Path(part["name"]).name
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {path.name} ({role}) is missing.")
        if path.stat().st_size != part["bytes"] or _sha256(path) != part["sha256"]:
            raise BackupError(
                f"The backup has been altered or is damaged: {path.name} ({role}) does not "
                f"match its SHA-256 in the manifest. Nothing was restored."
            )
    if "database" not in manifest.get("parts", {}):
        raise BackupError("The manifest names no database part: nothing can be restored.")
    return manifest


def _restore_files(archive: Path, media: Path) -> int:
    media.mkdir(parents=True, exist_ok=True)
    count = 0
    with tarfile.open(archive, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        # The "data" filter refuses absolute paths, "..", links out of the
        # folder and device files: an archive can only write inside media.
        tar.extractall(media, members=members, filter="data")
        count = len(members)
    return count


def backup_restore(*, folder: Path) -> tuple[dict, list[CountCheck], int | None]:
    """Restore the backup in `folder` over the configured database and
    MEDIA_ROOT. Returns the manifest, the row counts compared, and the
    number of files restored."""
    folder = Path(folder)
    manifest = backup_check(folder=folder)
    vendor = _vendor()
    if manifest["database_vendor"] != vendor:
        raise BackupError(
            f"This is a {manifest['database_vendor']} backup; the configured database is "
            f"{vendor}. Nothing was restored."
        )
    database = folder / manifest["parts"]["database"]["name"]
    if vendor == "postgresql":
        _pg_restore(database)
    else:
        connections["default"].close()
        _sqlite_copy(str(database), str(_database()["NAME"]))

    restored_files = None
    if "files" in manifest["parts"]:
        media = _media_root()
        if media is None:
            raise BackupError(
                "The database is restored, but the stored files were not: the site now "
                f"keeps files in a bucket. Copy the files out of {FILES} into it."
            )
        restored_files = _restore_files(folder / manifest["parts"]["files"]["name"], media)

    found = row_counts()
    checks = [
        CountCheck(table=table, expected=expected, found=found.get(table, 0))
        for table, expected in manifest["rows"].items()
    ]
    return manifest, checks, restored_files


def migrations_to_apply() -> list[str]:
    """Migrations the code has and the restored database lacks: a backup
    from older code needs `migrate` before the site starts."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def age(manifest: dict) -> str:
    created = dt.datetime.fromisoformat(manifest["created"])
    return timezone.localtime(created).strftime("%-d %B %Y %H:%M")

"""Backup and restore: `manage.py backup` and `manage.py restore`.

The drill does what an operator would after losing the database server:
back up a site with the whole demo, destroy the database and the stored
files, restore, and check that every page and the published PDF answer as
before. It runs the commands as an operator does, in processes of their own,
against a scratch database made for the drill, so the test database of the
other tests is never touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def _run(env: dict, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(arguments)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def _environment(tmp_path: Path, database_url: str | None) -> dict:
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "AWS_STORAGE_BUCKET_NAME"}
    }
    env |= {
        "DEBUG": "1",
        "SAFERMK_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONPATH": str(ROOT),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _tree_hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


# PostgreSQL: the drill ----------------------------------------------------------


def _require_postgres() -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI"):
        pytest.fail("The backup and restore drill needs PostgreSQL in CI: set DATABASE_URL.")
    pytest.skip("The drill backs up PostgreSQL with pg_dump: set DATABASE_URL to run it.")


@contextmanager
def _admin_connection():
    """A connection to the server's `postgres` database, to make and drop the
    drill's own (psycopg2: the driver the project installs)."""
    import psycopg2

    db = settings.DATABASES["default"]
    admin = psycopg2.connect(
        dbname="postgres", host=db.get("HOST") or None, port=db.get("PORT") or None,
        user=db.get("USER") or None, password=db.get("PASSWORD") or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            yield cursor
    finally:
        admin.close()


def _scratch_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    at = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{at}{db.get('HOST') or 'localhost'}{port}/{name}"


@pytest.fixture
def scratch_database():
    """A database of the drill's own, dropped at the end even on failure."""
    _require_postgres()
    name = f"safermk_drill_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _drop_and_recreate(name: str) -> None:
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


@pytest.mark.postgres
def test_a_backup_restores_a_destroyed_site_page_for_page(scratch_database, tmp_path):
    env = _environment(tmp_path, _scratch_url(scratch_database))
    media = tmp_path / "media"
    timings = {}
    _run(env, "manage.py", "migrate", "--verbosity=0")
    # The demo with the PDFs of the strategies in force, as `make run` has it.
    _run(env, "manage.py", "shell", "-c",
         "from safermk.demo import load_all; load_all(superseded_pdfs=False)")
    _run(env, "-m", "tests.safermk.backup_drill_pages", "--samples")
    # The community safety and serious violence strategies in force.
    pdfs = list((media / "documents" / "strategy").rglob("*.pdf"))
    assert len(pdfs) == 2, pdfs
    files_before = _tree_hashes(media)

    started = time.monotonic()
    backup = tmp_path / "backup"
    _run(env, "manage.py", "backup", str(backup))
    timings["backup"] = time.monotonic() - started
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["stored_files"] == len(files_before)
    assert manifest["rows"]["consultation.response"] > 100
    assert manifest["rows"]["documents.rendereddocument"] >= 1

    # What every page answers with the backed-up data. Page views write
    # (audit records of who read personal data), so the answers "before"
    # are those of the backed-up state, as they will be after the restore.
    before = tmp_path / "before.json"
    _run(env, "-m", "tests.safermk.backup_drill_pages", str(before), str(tmp_path / "before"))
    pages_before = json.loads(before.read_text())
    pdf_url = next(key for key in pages_before if key.startswith("anonymous ")
                   and key.endswith("/strategy.pdf") and "/versions/" not in key)
    assert pages_before[pdf_url][0] == 200
    assert pages_before[pdf_url][1] in {hashlib.sha256(p.read_bytes()).hexdigest() for p in pdfs}
    assert sum(1 for status, _ in pages_before.values() if status == 200) > 300

    # Disaster: the database and the stored files are gone.
    _drop_and_recreate(scratch_database)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    media.rmdir()

    started = time.monotonic()
    restored = _run(env, "manage.py", "restore", str(backup), "--yes")
    timings["restore"] = time.monotonic() - started
    assert "Every table has the rows the backup lists." in restored.stdout
    assert "migrate" not in restored.stdout
    assert _tree_hashes(media) == files_before

    after = tmp_path / "after.json"
    _run(env, "-m", "tests.safermk.backup_drill_pages", str(after), str(tmp_path / "after"))
    pages_after = json.loads(after.read_text())
    differing = sorted(key for key in pages_before if pages_after.get(key) != pages_before[key])
    # On a difference, tmp_path/before and tmp_path/after hold both bodies.
    assert differing == [], f"Pages that answer differently after the restore: {differing}"
    assert pages_after.keys() == pages_before.keys()

    sizes = {part["name"]: part["bytes"] for part in manifest["parts"].values()}
    print(f"\nDrill: {len(pages_before)} page answers, {manifest['stored_files']} files, "
          f"{sum(manifest['rows'].values())} rows; sizes {sizes}; "
          f"backup {timings['backup']:.1f} s, restore {timings['restore']:.1f} s")


@pytest.mark.postgres
def test_backup_says_so_when_pg_dump_is_missing(scratch_database, tmp_path):
    env = _environment(tmp_path, _scratch_url(scratch_database))
    env["PATH"] = str(tmp_path / "no-tools")
    result = _run(env, "manage.py", "backup", str(tmp_path / "backup"), check=False)
    assert result.returncode == 1
    assert "pg_dump was not found" in result.stderr
    assert "Traceback" not in result.stderr


# SQLite: the embedded default -------------------------------------------------

_SQLITE_SETUP = """
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

with connection.schema_editor() as editor:
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            editor.create_model(model)
MigrationRecorder(connection).record_applied("partnerships", "0001_initial")
from tests.factories import PartnershipFactory
for number in range(3):
    partnership = PartnershipFactory()
partnership.logo.save("logo.png", ContentFile(b"not really a png"), save=True)
"""


@pytest.fixture
def sqlite_site(tmp_path):
    env = _environment(tmp_path, None)
    # Tables straight from the models: migrating SQLite from nothing takes
    # about 20 s, and what is tested here is the copy, not the schema.
    _run(env, "manage.py", "shell", "-c", _SQLITE_SETUP)
    return env


def _partnership_count(env: dict) -> str:
    return _run(env, "manage.py", "shell", "-c",
                "from partnerships.models import Partnership; "
                "print(Partnership.objects.count())").stdout.split()[-1]


def test_sqlite_backup_and_restore_round_trip(sqlite_site, tmp_path):
    env = sqlite_site
    media = tmp_path / "media"
    files_before = _tree_hashes(media)
    assert len(files_before) == 1
    backup = tmp_path / "backup"
    out = _run(env, "manage.py", "backup", str(backup)).stdout
    assert "Backup written to" in out
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database_vendor"] == "sqlite"
    assert manifest["rows"]["partnerships.partnership"] == 3
    assert manifest["migrations"] == {"partnerships": "0001_initial"}
    assert manifest["stored_files"] == 1
    with tarfile.open(backup / "files.tar.gz") as tar:
        assert [m.name for m in tar.getmembers()] == list(files_before)

    # Lose the data and the files.
    _run(env, "manage.py", "shell", "-c",
         "from partnerships.models import Partnership; Partnership.objects.all().delete()")
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert _partnership_count(env) == "0"

    out = _run(env, "manage.py", "restore", str(backup), "--yes").stdout
    assert "partnerships.partnership" in out
    assert "Every table has the rows the backup lists." in out
    # Its tables were made without migrations: it is older than the code.
    assert "run `python manage.py migrate`" in out
    assert _partnership_count(env) == "3"
    assert _tree_hashes(media) == files_before


def test_restore_refuses_without_yes_and_a_tampered_backup(sqlite_site, tmp_path):
    env = sqlite_site
    backup = tmp_path / "backup"
    _run(env, "manage.py", "backup", str(backup))

    result = _run(env, "manage.py", "restore", str(backup), check=False)
    assert result.returncode == 1
    assert "Run it again with --yes" in result.stderr

    archive = backup / "files.tar.gz"
    archive.write_bytes(archive.read_bytes() + b"\0")
    _run(env, "manage.py", "shell", "-c",
         "from partnerships.models import Partnership; Partnership.objects.all().delete()")
    result = _run(env, "manage.py", "restore", str(backup), "--yes", check=False)
    assert result.returncode == 1
    assert "files.tar.gz (files) does not match its SHA-256" in result.stderr
    assert "Traceback" not in result.stderr
    assert _partnership_count(env) == "0"  # nothing was restored

    (backup / "database.sqlite3").unlink()
    result = _run(env, "manage.py", "restore", str(backup), "--yes", check=False)
    assert "database.sqlite3 (database) is missing" in result.stderr


def test_backup_refuses_a_folder_it_cannot_make_or_one_with_a_backup(sqlite_site, tmp_path):
    env = sqlite_site
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("")
    result = _run(env, "manage.py", "backup", str(in_the_way / "backup"), check=False)
    assert result.returncode == 1
    assert "could not be made" in result.stderr
    assert "Traceback" not in result.stderr

    _run(env, "manage.py", "backup", str(tmp_path / "backup"))
    result = _run(env, "manage.py", "backup", str(tmp_path / "backup"), check=False)
    assert result.returncode == 1
    assert "already holds a backup" in result.stderr

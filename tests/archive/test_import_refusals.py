"""`import_partnership_archive` treats an archive as hostile: a name that
climbs out of its folder, a zip bomb, another schema version, malformed
JSON, unknown fields, invalid values, links to rows that are not there or a
partnership that is already here are refused with a clear message, and
nothing changes: no row, no stored file."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.export import archive_write
from archive.load import ArchiveRefused, archive_import
from partnerships.models import Partnership
from safermk.backup import row_counts
from tests.archive.builders import built_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(tmp_path):
    partnership = built_partnership()
    path = tmp_path / "archive.zip"
    with path.open("wb") as handle:
        archive_write(partnership=partnership, handle=handle)
    return partnership, path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _write(path: Path, members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _renamed(members: dict[str, bytes], slug="moved-here", short_code="MVD") -> dict:
    """The archive as if of a partnership not yet here: its own names, and
    the names each unique in the installation, changed."""
    changed = dict(members)

    def change(kind, field, how):
        rows = json.loads(changed[f"data/{kind}.json"])
        for row in rows:
            row[field] = how(row[field])
        changed[f"data/{kind}.json"] = json.dumps(rows).encode()

    change("partnership", "slug", lambda value: slug)
    change("partnership", "short_code", lambda value: short_code)
    change("strategies", "slug", lambda value: f"moved-{value}")
    change("consultations", "slug", lambda value: f"moved-{value}")
    change("responses", "reference", lambda value: f"X{value[1:]}")
    return changed


def _files(media_root: Path) -> set[str]:
    return {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}


def _refused(path: Path, media_root: Path, message: str) -> None:
    rows, files = row_counts(), _files(media_root)
    with pytest.raises(CommandError) as refused:
        call_command("import_partnership_archive", str(path), stdout=io.StringIO())
    assert message in str(refused.value), str(refused.value)
    assert str(refused.value).startswith("Not imported: ")
    assert row_counts() == rows
    assert _files(media_root) == files


def test_the_same_archive_loads_as_a_new_partnership_under_another_name(
    exported, tmp_path, media_root
):
    partnership, path = exported
    moved = _write(tmp_path / "moved.zip", _renamed(_members(path)))
    out = io.StringIO()
    call_command("import_partnership_archive", str(moved), stdout=out)
    copy = Partnership.objects.get(slug="moved-here")
    assert "Imported" in out.getvalue() and "responses: 5" in out.getvalue()
    assert copy.pk != partnership.pk and copy.name == partnership.name
    assert copy.logo.name != partnership.logo.name and copy.logo.read() == b"\x89PNG a logo"
    from strategy.models import StrategyVersion

    assert sorted(StrategyVersion.objects.filter(strategy__partnership=copy)
                  .values_list("content_hash", flat=True)) == sorted(
        StrategyVersion.objects.filter(strategy__partnership=partnership)
        .values_list("content_hash", flat=True))
    assert sorted(copy.strategies.values_list("slug", flat=True)) == sorted(
        f"moved-{slug}" for slug in partnership.strategies.values_list("slug", flat=True))
    people = {m.user for b in copy.boards.all() for m in b.memberships.all()}
    assert people and all(not p.is_active and not p.has_usable_password() for p in people)


def test_a_partnership_already_here_is_refused(exported, media_root):
    partnership, path = exported
    _refused(path, media_root, f"web address name {partnership.slug!r} already exists here")


def test_a_short_code_or_another_unique_name_already_here_is_refused(
    exported, tmp_path, media_root
):
    partnership, path = exported
    members = _renamed(_members(path), short_code=partnership.short_code)
    _refused(_write(tmp_path / "x.zip", members), media_root,
             f"short code {partnership.short_code!r} already exists here")
    members = _renamed(_members(path))
    members["data/strategies.json"] = _members(path)["data/strategies.json"]
    slug = partnership.strategies.order_by("slug").first().slug
    _refused(_write(tmp_path / "y.zip", members), media_root,
             f"strategies: slug already here: {slug!r}")


@pytest.mark.parametrize("name", [
    "../outside.txt", "/etc/cron.d/job", "files/../../settings.py", "files/a/../../b",
    "data/../../x.json", "files/.hidden", "files\\windows.pdf", "other.txt",
])
def test_names_that_climb_out_or_are_unexpected_are_refused(name, exported, tmp_path,
                                                            media_root):
    _, path = exported
    members = _renamed(_members(path)) | {name: b"hostile"}
    _refused(_write(tmp_path / "x.zip", members), media_root, "a name a partnership archive "
             "never has")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(exported, tmp_path, media_root):
    _, path = exported
    members = _renamed(_members(path)) | {"data/answers.json": b" " * (50 * 1024 * 1024)}
    _refused(_write(tmp_path / "x.zip", members), media_root, "possible zip bomb")


def test_an_archive_too_large_is_refused(exported, tmp_path, media_root, settings):
    _, path = exported
    settings.PARTNERSHIP_ARCHIVE_IMPORT_MAX_BYTES = 10_000
    _refused(path, media_root, "PARTNERSHIP_ARCHIVE_IMPORT_MAX_BYTES")


def test_another_schema_version_is_refused(exported, tmp_path, media_root):
    _, path = exported
    members = _renamed(_members(path))
    manifest = json.loads(members["manifest.json"]) | {"schema_version": 2}
    members["manifest.json"] = json.dumps(manifest).encode()
    _refused(_write(tmp_path / "x.zip", members), media_root,
             "schema version 2; this installation reads version 1 only")


def test_malformed_json_unknown_fields_and_wrong_counts_are_refused(exported, tmp_path,
                                                                    media_root):
    _, path = exported
    members = _renamed(_members(path))
    _refused(_write(tmp_path / "a.zip", members | {"data/boards.json": b"[{"}), media_root,
             "data/boards.json is not valid JSON")
    boards = json.loads(members["data/boards.json"])
    boards[0]["is_superuser"] = True
    _refused(_write(tmp_path / "b.zip", members | {"data/boards.json": json.dumps(boards)
                                                   .encode()}),
             media_root, "does not have the fields of schema version 1")
    _refused(_write(tmp_path / "c.zip", members | {"data/boards.json": b"[]"}), media_root,
             "data/boards.json has 0 rows; the manifest says")
    _refused(_write(tmp_path / "d.zip", {k: v for k, v in members.items()
                                         if k != "data/themes.json"}),
             media_root, "The archive has no data/themes.json")


def test_invalid_values_and_dangling_links_change_nothing(exported, tmp_path, media_root):
    _, path = exported
    members = _renamed(_members(path))
    boards = json.loads(members["data/boards.json"])
    boards[0]["quorum"] = "lots"
    _refused(_write(tmp_path / "a.zip", members | {"data/boards.json": json.dumps(boards)
                                                   .encode()}),
             media_root, "quorum")
    answers = json.loads(members["data/answers.json"])
    answers[-1]["question_id"] = 987654321
    # Rows of earlier kinds, the logo and people were written before this
    # one was read: the transaction takes them all back.
    _refused(_write(tmp_path / "b.zip", members | {"data/answers.json": json.dumps(answers)
                                                   .encode()}),
             media_root, "points at consultation_questions 987654321, which is not in the archive")
    statuses = json.loads(members["data/strategies.json"])
    statuses[0]["status"] = "<script>"
    _refused(_write(tmp_path / "c.zip", members | {"data/strategies.json": json.dumps(statuses)
                                                   .encode()}),
             media_root, "is not a valid choice")


def test_a_stored_file_that_does_not_match_the_manifest_is_refused(exported, tmp_path,
                                                                   media_root):
    _, path = exported
    members = _renamed(_members(path))
    name = next(n for n in members if n.startswith("files/"))
    members[name] = members[name] + b"tampered"
    _refused(_write(tmp_path / "x.zip", members), media_root, "does not match its SHA-256")


def test_something_that_is_not_a_zip_is_refused(tmp_path, media_root, db):
    path = tmp_path / "not.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    _refused(path, media_root, "is not a readable .zip file")
    with pytest.raises(ArchiveRefused):
        archive_import(path=path)


def test_values_of_the_wrong_kind_and_deep_nesting_are_refused(exported, tmp_path, media_root):
    _, path = exported
    members = _renamed(_members(path))
    _refused(_write(tmp_path / "a.zip", members | {"data/themes.json": b"[" * 100_000},
                    compression=zipfile.ZIP_STORED),
             media_root, "nested too deeply")
    members_of = json.loads(members["data/board_members.json"])
    members_of[0]["board_id"] = [1, 2]
    _refused(_write(tmp_path / "b.zip", members | {"data/board_members.json":
                                                   json.dumps(members_of).encode()}),
             media_root, "which is not in the archive")
    # A link that may be empty still may not point nowhere.
    milestones = json.loads(members["data/milestones.json"])
    milestones[0]["owner_id"] = 424242
    _refused(_write(tmp_path / "c.zip", members | {"data/milestones.json":
                                                   json.dumps(milestones).encode()}),
             media_root, "owner_id points at people 424242")
    partnership_rows = json.loads(members["data/partnership.json"])
    partnership_rows[0]["logo"] = {"name": "x"}
    _refused(_write(tmp_path / "d.zip", members | {"data/partnership.json":
                                                   json.dumps(partnership_rows).encode()}),
             media_root, "is not text")

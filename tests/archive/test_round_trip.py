"""A partnership's archive, made on one installation and imported into
another: the demo partnership and one built with the factories, through
`manage.py import_partnership_archive` run as an operator would, against a
PostgreSQL database made for the test (as the backup drill does).

Every kind must have the same number of rows on both sides, and every row
the same fields, its links pointing at rows with the same fields
(tests/archive/keys.py).
"""

from __future__ import annotations

import json
import time

import pytest

from archive.export import archive_write
from tests.archive.builders import built_partnership
from tests.archive.keys import signatures
from tests.safermk.test_backup_restore import _environment, _run, _scratch_url


def _export(partnership, path):
    started = time.monotonic()
    with path.open("wb") as handle:
        written = archive_write(partnership=partnership, handle=handle)
    return written, time.monotonic() - started


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_archive_imported_elsewhere_has_every_row_and_link(
    demo_with_pdf, scratch_database, tmp_path, media_root
):
    other = built_partnership()
    demo_zip, other_zip = tmp_path / "demo.zip", tmp_path / "other.zip"
    written, export_seconds = _export(demo_with_pdf, demo_zip)
    other_written, _ = _export(other, other_zip)
    # The PDFs of the two strategies in force (community safety and serious
    # violence) and the logo travel with the demo.
    assert len(written.files) == 3 and not written.missing_files
    assert written.counts["responses"] > 100 and written.counts["answers"] > 1000
    assert other_written.counts["responses"] == 5
    expected = {p.slug: signatures(p.slug) for p in (demo_with_pdf, other)}

    env = _environment(tmp_path, _scratch_url(scratch_database))
    _run(env, "manage.py", "migrate", "--verbosity=0")
    started = time.monotonic()
    out = _run(env, "manage.py", "import_partnership_archive", str(demo_zip)).stdout
    import_seconds = time.monotonic() - started
    assert f"Imported {demo_with_pdf.name} ({demo_with_pdf.slug})" in out
    loaded_in = out.rsplit("Loaded in ", 1)[1].split()[0]
    _run(env, "manage.py", "import_partnership_archive", str(other_zip))

    found = json.loads(_run(env, "-m", "tests.archive.keys", demo_with_pdf.slug,
                            other.slug).stdout)
    for slug, kinds in expected.items():
        assert found[slug].keys() == kinds.keys()
        for kind, rows in kinds.items():
            assert len(found[slug][kind]) == len(rows), f"{slug} {kind}: counts differ"
            assert found[slug][kind] == rows, f"{slug} {kind}: rows differ"

    # A second import of the same archive is refused and changes nothing.
    again = _run(env, "manage.py", "import_partnership_archive", str(other_zip), check=False)
    assert again.returncode == 1
    assert "already exists here" in again.stderr and "Traceback" not in again.stderr
    counted = json.loads(_run(env, "-m", "tests.archive.keys", other.slug).stdout)
    assert counted[other.slug] == expected[other.slug]

    import zipfile

    with zipfile.ZipFile(demo_zip) as zf:
        unpacked = sum(info.file_size for info in zf.infolist())
    print(f"\nDemo partnership archive: {demo_zip.stat().st_size} bytes "
          f"({unpacked} unpacked), "
          f"{sum(written.counts.values())} rows, {len(written.files)} files; "
          f"export {export_seconds:.2f} s; import {loaded_in} s to load, "
          f"{import_seconds:.1f} s for the whole command")

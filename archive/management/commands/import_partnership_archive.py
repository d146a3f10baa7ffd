"""Load a partnership archive (made on the data archive page of a
partnership) into this installation. Refuses, changing nothing, when the
partnership's web address name or short code is already here, or when the
archive is malformed, of another schema version or hostile."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.load import ArchiveRefused, archive_import


class Command(BaseCommand):
    help = "Load a partnership archive (.zip) into this installation as a new partnership."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="The .zip file of the archive.")

    def handle(self, *args, **options) -> None:
        path: Path = options["archive"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        started = time.monotonic()
        try:
            loaded = archive_import(path=path)
        except ArchiveRefused as exc:
            raise CommandError(f"Not imported: {exc}") from exc
        partnership = loaded.partnership
        self.stdout.write(f"Imported {partnership.name} ({partnership.slug}):")
        for name, count in loaded.counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(f"  stored files: {loaded.files}")
        self.stdout.write(f"Loaded in {time.monotonic() - started:.1f} s.")
        self.stdout.write(
            "The people it names have accounts that cannot sign in; give roles by invitation "
            "on the partnership's People page."
        )

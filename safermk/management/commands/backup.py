from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safermk.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and the stored files "
        "(rendered PDFs, logos) into a new folder, with a manifest of SHA-256 sums and row "
        "counts. Restore with `manage.py restore FOLDER --yes`."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A new or empty folder for this backup.")

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup_create(folder=folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for role, part in manifest["parts"].items():
            self.stdout.write(f"{role:<9} {part['name']:<17} {part['bytes']:>12,} bytes")
        if manifest["stored_files"] is not None:
            self.stdout.write(f"Stored files: {manifest['stored_files']}")
        else:
            self.stdout.write(self.style.WARNING(manifest["stored_files_note"]))
        self.stdout.write(f"Rows: {sum(manifest['rows'].values()):,} in "
                          f"{len(manifest['rows'])} tables")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))

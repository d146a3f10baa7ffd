from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safermk.backup import BackupError, age, backup_restore, migrations_to_apply


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` over the configured database and "
        "MEDIA_ROOT, after checking every part against its manifest. Stop the site and "
        "the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The folder `manage.py backup` wrote.")
        parser.add_argument(
            "--yes", action="store_true",
            help="Confirm: the database's current contents are replaced by the backup's.",
        )

    def handle(self, *args, folder: Path, yes: bool, **options):
        if not yes:
            raise CommandError(
                "A restore replaces everything in the database and the stored files with the "
                "backup. Run it again with --yes to go ahead."
            )
        try:
            manifest, checks, files = backup_restore(folder=folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the backup of {age(manifest)} from {folder}")
        if files is not None:
            self.stdout.write(f"Stored files restored: {files} (backup: "
                              f"{manifest['stored_files']})")
        self.stdout.write(f"{'Table':<44} {'backup':>8} {'now':>8}")
        for check in checks:
            mark = "" if check.matches else "  DIFFERS"
            self.stdout.write(f"{check.table:<44} {check.expected:>8} {check.found:>8}{mark}")
        differing = [c.table for c in checks if not c.matches]
        if differing:
            raise CommandError(
                f"The restore finished, but {len(differing)} table(s) do not have the rows "
                f"the manifest lists: {', '.join(differing)}."
            )
        self.stdout.write(self.style.SUCCESS("Every table has the rows the backup lists."))
        pending = migrations_to_apply()
        if pending:
            self.stdout.write(self.style.WARNING(
                f"The backup is from older code: run `python manage.py migrate` "
                f"({len(pending)} migration(s) to apply) before starting the site."
            ))

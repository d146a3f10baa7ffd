"""Runs the reminder scan the beat task runs, for cron or for checking by hand."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders import engine


class Command(BaseCommand):
    help = (
        "Send the reminders due now (the same scan as the periodic task), then the daily "
        "digests. --dry-run prints what would be sent and sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print, do not send.")
        parser.add_argument(
            "--now",
            help="Scan as if it were this date or time (ISO, e.g. 2022-02-14 or "
            "2022-02-14T09:00). Default: now.",
        )
        parser.add_argument("--no-digest", action="store_true", help="Skip the daily digests.")

    def handle(self, *args, **options):
        now = self._parse(options["now"]) if options["now"] else timezone.now()
        dry_run = options["dry_run"]
        report = engine.run(now=now, dry_run=dry_run)
        if not options["no_digest"]:
            report.outcomes += engine.send_digests(now=now, dry_run=dry_run).outcomes
        when = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"Reminders at {when}{' (dry run: nothing sent)' if dry_run else ''}:")
        for outcome in report.outcomes:
            self.stdout.write(f"  {outcome}")
        if not report.outcomes:
            self.stdout.write("  Nothing is due.")

    @staticmethod
    def _parse(value: str) -> dt.datetime:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--now must be an ISO date or time, not {value!r}") from None
        if len(value) == 10:
            # A bare date means the first scan of that day.
            parsed = parsed.replace(hour=7, minute=5)
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)

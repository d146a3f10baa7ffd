import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from safermk.demo import load_all, summary_lines


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Enter --today as a date like 2026-11-30, not “{value}”.") from exc


class Command(BaseCommand):
    help = (
        "Load (or refresh) the SaferMK demo partnership. Safe to run again: on the same day it "
        "changes nothing; on a later day it rebuilds the current cycle around that day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-users", action="store_true", help="Do not print the demo users."
        )
        parser.add_argument(
            "--today", type=_day, default=None, metavar="YYYY-MM-DD",
            help="Date the current cycle from this day instead of today (tests, screenshots).",
        )

    def handle(self, *args, **options):
        load_all(today=options["today"])
        self.stdout.write(self.style.SUCCESS("SaferMK demo data is loaded."))
        if not options["quiet_users"]:
            self.stdout.write("")
            for line in summary_lines():
                self.stdout.write(line)

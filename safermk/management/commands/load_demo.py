import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from partnerships.demo import DEMO_PASSWORD, DEMO_USERS
from safermk.demo import load_all


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
        loaded = load_all(today=options["today"])
        self.stdout.write(self.style.SUCCESS("SaferMK demo data is loaded."))
        if not options["quiet_users"]:
            self.stdout.write(
                f"\nDemo users (local only), all with the password '{DEMO_PASSWORD}':"
            )
            for username, _first, _last, _email, description in DEMO_USERS:
                self.stdout.write(f"  {username:<10} {description}")
            consultation = loaded["consultation"]
            code = consultation.class_codes.filter(is_active=True).order_by("pk").first()
            self.stdout.write(
                f"\nOpen consultation: {consultation.title}\n"
                f"  {consultation.get_absolute_url()}\n"
                f"  Schools class code: {code.code if code else '(none)'} "
                f"({code.school + ', ' + code.class_name if code else ''})"
            )

from django.core.management.base import BaseCommand

from partnerships.demo import DEMO_PASSWORD, DEMO_USERS
from safermk.demo import load_all


class Command(BaseCommand):
    help = "Load (or refresh) the SaferMK demo partnership. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-users", action="store_true", help="Do not print the demo users."
        )

    def handle(self, *args, **options):
        load_all()
        self.stdout.write(self.style.SUCCESS("SaferMK demo data is loaded."))
        if not options["quiet_users"]:
            self.stdout.write(
                f"\nDemo users (local only), all with the password '{DEMO_PASSWORD}':"
            )
            for username, _first, _last, _email, description in DEMO_USERS:
                self.stdout.write(f"  {username:<10} {description}")

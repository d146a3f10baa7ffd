import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from safermk import volume


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError as exc:
        raise CommandError(f"Enter --scale as a number like 0.1, not “{value}”.") from exc
    if not 0 < scale <= 1:
        raise CommandError("--scale must be more than 0 and at most 1.")
    return scale


class Command(BaseCommand):
    help = (
        "Load national volume for measuring speed: 300 partnerships with two strategies each "
        "(24,000 measures, 288,000 figures), their plans and board decisions, and a "
        "consultation with 50,000 responses. Safe to run again: it adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=_scale, default=1.0,
            help="A fraction of the national volume, e.g. 0.1 for a quick run (default 1).",
        )
        parser.add_argument(
            "--allow-sqlite", action="store_true",
            help="Load into SQLite anyway (only with --scale 0.05 or less).",
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        if connection.vendor != "postgresql":
            if not options["allow_sqlite"] or scale > 0.05:
                raise CommandError(
                    "load_volume measures the speed of PostgreSQL, as in production: set "
                    "DATABASE_URL to a PostgreSQL database (make bench makes one). For a "
                    "tiny volume on SQLite, use --allow-sqlite --scale 0.05."
                )
        started = time.monotonic()
        made = volume.load(scale=scale, log=self.stdout.write)
        self.stdout.write(
            f"Added {made.partnerships} partnerships, {made.strategies} strategies, "
            f"{made.measures:,} measures, {made.measurements:,} figures, "
            f"{made.milestones:,} milestones, {made.responses:,} responses "
            f"in {time.monotonic() - started:.0f} s."
        )
        totals = ", ".join(f"{n:,} {name}" for name, n in volume.counts().items())
        self.stdout.write(self.style.SUCCESS(f"The database now holds {totals}."))

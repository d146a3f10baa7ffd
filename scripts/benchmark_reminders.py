#!/usr/bin/env python
"""Times the reminder scan over 10,000 milestones.

Creates a throwaway test database (SQLite in memory, or `test_<name>` on the
PostgreSQL in DATABASE_URL), fills it with 10,000 milestones over ten years
(nine in ten done), and reports the time of the scan (what is due) and of a
full run (claim and send, e-mails kept in memory), then drops the database.

    DEBUG=1 python scripts/benchmark_reminders.py [--milestones 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--milestones", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # e-mail to memory
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from reminders import engine
        from tests import factories
        from tests.reminders.helpers import TODAY, at
        from tests.reminders.scale import make_milestones

        partnership = factories.PartnershipFactory()
        owner = factories.MembershipFactory(partnership=partnership).user
        in_window = make_milestones(
            partnership=partnership, owner=owner, count=args.milestones, today=TODAY
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE milestones_milestone")
        engine.scan(now=at(TODAY))  # warm caches

        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                due = engine.scan(now=at(TODAY))
                timings.append(time.perf_counter() - start)
        start = time.perf_counter()
        report = engine.run(now=at(TODAY))
        full = time.perf_counter() - start

        print(f"Database: {connection.vendor}")
        print(f"Milestones: {args.milestones:,} ({in_window} open in the scan window)")
        print(
            f"Scan: {len(due)} reminders due, {len(queries)} queries, "
            f"median {statistics.median(timings) * 1000:.1f} ms, "
            f"max {max(timings) * 1000:.1f} ms over {args.repeat} runs"
        )
        print(
            f"Full run (claim, notice, e-mail): {report.count('sent')} sent in {full * 1000:.1f} ms"
        )
        start = time.perf_counter()
        engine.run(now=at(TODAY))
        print(
            f"Second run (everything already sent): {(time.perf_counter() - start) * 1000:.1f} ms"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

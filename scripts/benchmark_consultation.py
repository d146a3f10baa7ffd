"""Consultation analysis at 50,000 responses on PostgreSQL.

Creates a throw-away test database (test_<name of DATABASE_URL's database>),
bulk-creates a consultation with N responses (about ten answer rows each,
free text, comments, equality monitoring and coded themes), then times the
analysis reads and the officer pages, and prints the figures. The budget in
DESIGN.md is half a second for the analysis page at 50,000 responses.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/safermk_bench DEBUG=1 \\
        .venv/bin/python scripts/benchmark_consultation.py [--responses 50000] [--runs 5]

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
os.environ.setdefault("DEBUG", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the test database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark is for PostgreSQL.")
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        consultation, officer = _build(args.responses)
        _measure(consultation, officer, args.runs)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _build(n: int):
    from django.utils import timezone

    from consultation import services
    from consultation.models import (
        Answer,
        DraftComment,
        EqualityResponse,
        Question,
        Response,
        Section,
        Theme,
    )
    from tests import factories

    started = time.perf_counter()
    partnership = factories.PartnershipFactory(slug="bench")
    officer = factories.MembershipFactory(partnership=partnership).user
    strategy = factories.StrategyFactory(partnership=partnership)
    for _ in range(5):
        factories.PriorityFactory(strategy=strategy)
    now = timezone.now()
    consultation = services.consultation_create(
        strategy=strategy, title="Benchmark", slug="benchmark", summary="S",
        background="B", opens_at=now - dt.timedelta(weeks=12),
        closes_at=now + dt.timedelta(days=1),
    )
    services.consultation_schedule(consultation=consultation)
    consultation.refresh_from_db()
    codes = [services.class_code_issue(consultation=consultation, school=f"School {i}")
             for i in range(20)]
    themes = [services.theme_create(consultation=consultation, name=f"Theme {i}")
              for i in range(12)]
    questions = list(Question.objects.filter(section__consultation=consultation)
                     .select_related("section"))
    priorities = [str(p["id"]) for p in consultation.draft_priorities]
    words = ("lighting redways police patrols drugs speeding buses parks youth clubs "
             "harassment noise litter cameras underpass town centre station").split()
    rng = random.Random(50_000)
    batch = 2_000
    made = 0
    while made < n:
        size = min(batch, n - made)
        responses = []
        for i in range(size):
            audience = rng.choices(["public", "stakeholder", "young_people"], [70, 8, 22])[0]
            responses.append(Response(
                consultation=consultation,
                reference=f"B-{made + i:07d}",
                channel="school" if audience == "young_people"
                else rng.choices(["online", "paper", "event"], [80, 12, 8])[0],
                audience=audience,
                class_code=rng.choice(codes) if audience == "young_people" else None,
                age_band=rng.choice(["11_13", "14_15"]) if audience == "young_people" else "",
                consent=True,
                submitted_at=consultation.opens_at + dt.timedelta(
                    seconds=rng.random() * 12 * 7 * 86400),
            ))
        Response.objects.bulk_create(responses)
        answers, comments, equality = [], [], []
        for r in responses:
            allowed = Section.FOR_AUDIENCE[r.audience]
            for q in questions:
                if q.section.audience not in allowed:
                    continue
                if q.kind in ("single", "scale"):
                    answers.append(Answer(response=r, question=q,
                                          value=rng.choice(q.option_pairs())[0]))
                elif q.kind == "multiple":
                    for choice in rng.sample(q.choices, 2):
                        answers.append(Answer(response=r, question=q, value=choice))
                elif q.kind == "safety":
                    for part in ("day", "dark"):
                        answers.append(Answer(response=r, question=q, part=part,
                                              value=rng.choice(Question.SAFETY_CHOICES)[0]))
                elif q.kind == "ranking":
                    for rank, pid in enumerate(rng.sample(priorities, len(priorities)), 1):
                        answers.append(Answer(response=r, question=q, value=pid, rank=rank))
                elif rng.random() < 0.4:
                    answers.append(Answer(response=r, question=q,
                                          text=" ".join(rng.sample(words, 8))))
            if r.audience != "young_people":
                if rng.random() < 0.2:
                    comments.append(DraftComment(consultation=consultation, response=r,
                                                 priority_ref="general",
                                                 target_label="The draft as a whole",
                                                 text=" ".join(rng.sample(words, 10))))
                if rng.random() < 0.6:
                    equality.append(EqualityResponse(
                        consultation=consultation, response=r,
                        sex=rng.choice(["female", "male", "no_answer"]),
                        age_band=rng.choice(["18_24", "25_34", "35_44", "45_54", "65_plus"]),
                        ethnicity=rng.choice(["white", "asian", "black", "mixed"]),
                        disability=rng.choice(["yes", "no"]),
                    ))
        Answer.objects.bulk_create(answers, batch_size=5_000)
        DraftComment.objects.bulk_create(comments)
        EqualityResponse.objects.bulk_create(equality)
        links = [
            Theme.answers.through(theme_id=rng.choice(themes).pk, answer_id=a.pk)
            for a in answers if a.text and rng.random() < 0.5
        ]
        Theme.answers.through.objects.bulk_create(links, batch_size=5_000,
                                                  ignore_conflicts=True)
        made += size
    from django.db import connection

    # What autovacuum does in a running system: statistics and the visibility
    # map (for index-only scans) after a bulk load.
    connection.ensure_connection()
    autocommit = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.connection.autocommit = autocommit
    print(f"Built {n:,} responses, {Answer.objects.count():,} answer rows, "
          f"{DraftComment.objects.count():,} comments, "
          f"{EqualityResponse.objects.count():,} equality rows "
          f"in {time.perf_counter() - started:.1f} s")
    return consultation, officer


def _measure(consultation, officer, runs: int) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from consultation import analysis

    def timed(label, fn):
        times = []
        queries = 0
        for _ in range(runs):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            queries = len(ctx)
        print(f"{label:<38} median {statistics.median(times) * 1000:7.1f} ms   "
              f"max {max(times) * 1000:7.1f} ms   {queries:3d} queries")
        return statistics.median(times)

    print(f"\nTimings over {runs} runs (PostgreSQL {connection.pg_version // 10000}):")
    timed("response_counts", lambda: analysis.response_counts(consultation))
    timed("question_results", lambda: analysis.question_results(consultation))
    timed("ranking_results", lambda: analysis.ranking_results(consultation))
    timed("themes_with_counts", lambda: list(analysis.themes_with_counts(consultation)))
    timed("equality_counts", lambda: analysis.equality_counts(consultation))

    client = Client()
    client.force_login(officer)

    def page(name, query=""):
        def get():
            response = client.get(reverse(f"consultation:{name}", args=[consultation.slug])
                                  + query)
            assert response.status_code == 200, response.status_code
        return get

    for name in ("analysis", "free_text", "themes", "manage"):
        page(name)()  # warm the template cache and the connection
    analysis_median = timed("analysis page (whole request)", page("analysis"))
    timed("free-text page", page("free_text"))
    timed("free-text search 'lighting'", page("free_text", "?q=lighting"))
    timed("free-text filtered by equality group", page("free_text", "?group=sex:female"))
    timed("themes page", page("themes"))
    timed("overview page", page("manage"))
    verdict = "within" if analysis_median < 0.5 else "OVER"
    print(f"\nAnalysis page median {analysis_median * 1000:.0f} ms: {verdict} the 500 ms budget.")


if __name__ == "__main__":
    main()

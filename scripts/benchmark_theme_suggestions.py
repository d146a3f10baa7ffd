"""Suggested themes and suggested coding for 5,000 answers, in a real worker.

Creates a throw-away test database (test_<name of DATABASE_URL's database>),
a consultation with N free-text answers (sentences of the hand-coded set in
consultation/fixtures/ recombined, with some words misspelt, so no two are
alike), codes the first 250 by hand as an officer would (one bulk action per
theme), then starts a Celery worker (solo pool, on the configured broker:
Redis with REDIS_URL, else the file-system broker) and asks for suggested
themes and then suggested coding the way the page does. Prints how long each
took from the request to the stored result, and the worker's own time; then
how long "answers like this" takes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/safermk_bench \\
        .venv/bin/python scripts/benchmark_theme_suggestions.py [--answers 5000]

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
os.environ.setdefault("DEBUG", "1")

CODED_BY_HAND = 250
BUDGET_SECONDS = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=5_000)
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
        consultation, officer = _build(args.answers)
        _measure(consultation, officer)
    finally:
        if not args.keep:
            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _sentences() -> list[tuple[str, set[str]]]:
    from tests.consultation.coding_helpers import hand_coded

    found = []
    for text, themes in hand_coded():
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if len(sentence) > 3:
                found.append((sentence, themes))
    return found


def _misspell(text: str, rng: random.Random) -> str:
    words = text.split()
    for i, word in enumerate(words):
        if len(word) > 5 and rng.random() < 0.06:
            j = rng.randrange(1, len(word) - 1)
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2:]
    return " ".join(words)


def _build(n: int):
    from django.db import transaction

    from consultation import coding, services
    from consultation.models import Answer, Audience, Response
    from tests import factories
    from tests.consultation.coding_helpers import text_question
    from tests.consultation.factories import open_consultation

    started = time.perf_counter()
    partnership = factories.PartnershipFactory(slug="bench")
    officer = factories.MembershipFactory(partnership=partnership).user
    consultation = open_consultation(partnership, slug="benchmark")
    question = text_question(consultation)
    sentences = _sentences()
    rng = random.Random(5_000)
    texts, labels = [], []
    for _ in range(n):
        parts = rng.sample(sentences, rng.choice([1, 1, 2, 2, 3]))
        texts.append(_misspell(" ".join(p for p, _ in parts), rng))
        labels.append(set().union(*(themes for _, themes in parts)))
    with transaction.atomic():
        responses = Response.objects.bulk_create([
            Response(consultation=consultation, reference=f"B-{i:07d}", audience=Audience.PUBLIC)
            for i in range(n)
        ], batch_size=2000)
        answers = Answer.objects.bulk_create([
            Answer(response=r, question=question, text=t)
            for r, t in zip(responses, texts, strict=True)
        ], batch_size=2000)
        names = sorted({t for row in labels for t in row})
        for name in names:
            theme = services.theme_create(consultation=consultation, name=name)
            pairs = zip(answers[:CODED_BY_HAND], labels[:CODED_BY_HAND], strict=True)
            ids = [a.pk for a, row in pairs if name in row]
            if ids:
                coding.coding_apply(consultation=consultation, theme=theme, answer_ids=ids,
                                    add=True, by=officer)
    print(f"{n:,} answers, {len(names)} themes, the first {CODED_BY_HAND} coded by hand "
          f"(built in {time.perf_counter() - started:.1f} s)")
    return consultation, officer


def _measure(consultation, officer) -> None:
    from celery.contrib.testing.worker import start_worker
    from django.db import transaction

    from consultation import coding
    from consultation.models import SuggestionRun
    from safermk.celery import app

    app.conf.task_always_eager = False
    control = tempfile.mkdtemp(prefix="smk-bench-control-")
    app.conf.broker_transport_options = {
        **(app.conf.broker_transport_options or {}), "control_folder": control,
    }
    print(f"Broker: {app.conf.broker_url.split('://')[0]}://")
    worst = 0.0
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        for kind in (SuggestionRun.Kind.THEMES, SuggestionRun.Kind.CODING):
            asked = time.perf_counter()
            with transaction.atomic():
                run = coding.suggestion_run_request(consultation=consultation, kind=kind,
                                                    by=officer)
            while True:
                run.refresh_from_db()
                if not run.is_in_progress or time.perf_counter() - asked > 600:
                    break
                time.sleep(0.2)
            elapsed = time.perf_counter() - asked
            worst = max(worst, elapsed)
            worker = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0
            made = run.themes.count() if kind == SuggestionRun.Kind.THEMES else (
                run.suggestions.count())
            print(f"{run.get_kind_display():<18} {run.get_status_display():<9} "
                  f"request to result {elapsed:5.1f} s (in the worker {worker:5.1f} s): "
                  f"{made:,} {'themes' if kind == SuggestionRun.Kind.THEMES else 'suggestions'}"
                  f" for {run.answer_count:,} answers" + (f"; {run.error}" if run.error else ""))
    answers = list(coding.codable_answers(consultation).order_by("pk")[:20])
    timings = []
    for answer in answers:
        started = time.perf_counter()
        coding.similar_answer_ids(consultation, answer)
        timings.append(time.perf_counter() - started)
    timings.sort()
    print(f"Answers like this one: median {1000 * timings[len(timings) // 2]:.0f} ms, "
          f"slowest {1000 * timings[-1]:.0f} ms over {len(timings)} answers")
    verdict = "within" if worst <= BUDGET_SECONDS else "OVER"
    print(f"Slowest: {worst:.1f} s, {verdict} the {BUDGET_SECONDS} s budget.")


if __name__ == "__main__":
    main()

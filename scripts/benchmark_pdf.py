"""Render time and peak memory of the strategy PDF.

Renders the SaferMK demo strategy (its published version) and a synthetic
strategy of about 40 pages (12 priorities, 24 objectives, 48 measures with
three years of quarterly data and a chart each), in a throw-away SQLite
database, and prints the figures. The budget is under 5 seconds for the
40-page document on the 2-core reference machine.

    python scripts/benchmark_pdf.py [--runs N] [--keep DIR]

Each figure is the median of --runs renders (default 3) after one warm-up
render, because the machine is shared; the fastest run is shown too.
--keep writes the two PDFs to DIR to look at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUDGET_SECONDS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="write the PDFs to this folder")
    parser.add_argument("--priorities", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="smk-bench-")
    os.environ["SAFERMK_VAR_DIR"] = workdir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    import logging

    import django

    django.setup()
    # WeasyPrint logs each layout step at INFO; the figures are what matter here.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from safermk.demo import load_all

    load_all()
    from strategy.models import Strategy, StrategyVersion

    demo = (
        StrategyVersion.objects.filter(strategy__slug="safermk-strategy-2018-2021")
        .order_by("-number")
        .first()
    )
    synthetic = build_synthetic(Strategy.objects.get(slug="safermk-strategy-2018-2021"),
                                priorities=args.priorities)

    from documents.rendering import render_strategy_pdf

    # Warm up fonts and WeasyPrint's caches, as a worker would be after its first job.
    render_strategy_pdf(demo)
    results = []
    for label, version in (("demo strategy", demo), ("synthetic strategy", synthetic)):
        results.append((label, *measure(render_strategy_pdf, version, runs=args.runs)))
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            (Path(args.keep) / f"{label.split()[0]}.pdf").write_bytes(results[-1][1].content)

    print(
        f"{'document':<20} {'pages':>5} {'size':>9} {'median s':>9} {'fastest s':>9} "
        f"{'python peak':>12} {'rss peak':>10}"
    )
    for label, pdf, seconds, fastest, py_peak, rss in results:
        print(
            f"{label:<20} {pdf.pages:>5} {len(pdf.content) / 1024:>7.0f} kB {seconds:>9.2f} "
            f"{fastest:>9.2f} {py_peak / 2**20:>9.1f} MB {rss / 1024:>7.0f} MB"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    _, pdf, seconds, *_ = results[-1]
    verdict = "within" if seconds < BUDGET_SECONDS else "OVER"
    print(
        f"{pdf.pages}-page document: {seconds:.2f} s, {verdict} the "
        f"{BUDGET_SECONDS:.0f} s budget"
    )
    return 0


def measure(render, version, *, runs: int):
    # Time and memory come from separate runs: tracemalloc slows allocation-heavy
    # code such as layout several times over.
    times = []
    for _ in range(max(runs, 1)):
        gc.collect()
        started = time.perf_counter()
        pdf = render(version)
        times.append(time.perf_counter() - started)
    seconds, fastest = statistics.median(times), min(times)
    gc.collect()
    tracemalloc.start()
    render(version)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # ru_maxrss is the process's peak resident size so far, in kilobytes on Linux.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return pdf, seconds, fastest, peak, rss


def build_synthetic(template_strategy, *, priorities: int):
    """A published strategy with many priorities, objectives and measures."""
    from partnerships.models import Organisation
    from scripts.benchmark_data import approve_from_minutes
    from strategy import services
    from strategy.models import Measure, Measurement, Objective, Priority, Strategy

    partnership = template_strategy.partnership
    orgs = list(Organisation.objects.filter(partnership=partnership))
    strategy = Strategy.objects.create(
        partnership=partnership,
        title="Synthetic Community Safety Strategy 2025–2028",
        slug="synthetic-strategy",
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2028, 3, 31),
        aim=partnership.aim,
        foreword="A synthetic strategy for measuring how long the document takes to render.\n\n"
        * 3,
        pcc_plan_reference="Thames Valley Police and Crime Plan 2025–2029",
        pcc_alignment="The partners had regard to the police and crime plan.",
    )
    strategy.assessments.set(template_strategy.partnership.assessments.all())
    for p in range(priorities):
        priority = Priority.objects.create(
            strategy=strategy,
            title=f"Synthetic priority {p + 1}: reduce harm in neighbourhood group {p + 1}",
            description="What the partnership will do, and why, in a paragraph of text. " * 4,
            order=p,
        )
        for o in range(2):
            objective = Objective.objects.create(
                priority=priority,
                title=f"Objective {o + 1} of priority {p + 1}",
                description="How the objective will be delivered and by whom. " * 3,
                lead_organisation=orgs[(p + o) % len(orgs)],
                order=o,
            )
            for m in range(2):
                measure = Measure.objects.create(
                    objective=objective,
                    title=f"Measure {m + 1} of objective {p + 1}.{o + 1}",
                    unit="incidents",
                    baseline_value=Decimal(400 + 10 * p),
                    baseline_date=dt.date(2025, 3, 31),
                    target_value=Decimal(340 + 10 * p),
                    target_date=dt.date(2028, 3, 31),
                    direction=Measure.Direction.LOWER,
                    frequency=Measure.Frequency.QUARTERLY,
                    data_source="Police recorded crime",
                    owner_organisation=orgs[(p + m) % len(orgs)],
                    order=m,
                )
                Measurement.objects.bulk_create(
                    Measurement(
                        measure=measure,
                        period_end=_quarter_end(2025, q),
                        value=Decimal(400 + 10 * p - 4 * q + (7 if q % 3 == 0 else 0)),
                    )
                    for q in range(12)
                )
    for status in ("drafting", "consultation", "sign_off"):
        services.strategy_transition(strategy=strategy, to_status=status)
    approve_from_minutes(strategy)
    for status in ("adopted", "published"):
        services.strategy_transition(strategy=strategy, to_status=status)
    return strategy.versions.order_by("-number").first()


def _quarter_end(year: int, index: int) -> dt.date:
    month = 6 + 3 * index
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return next_month - dt.timedelta(days=1)


if __name__ == "__main__":
    raise SystemExit(main())

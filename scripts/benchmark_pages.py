#!/usr/bin/env python
"""Page speed against the budget in the design: public pages (and the
consultation response POST, when given) must keep their p99 within 3x of a
bare Django view that runs one query (/healthz), under 16 concurrent clients.

Runs gunicorn with production settings on 127.0.0.1 against the database in
DATABASE_URL (use PostgreSQL for figures that mean something), after adding
realistic volumes: dozens of partnerships, each with a published strategy and
hundreds of measures in all.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/safermk_bench \\
        .venv/bin/python scripts/benchmark_pages.py [--requests 400] [--clients 16]

Prints a table of p50/p95/p99 per page and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8765
ENV = {
    **os.environ,
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "STATIC_MANIFEST": "0",
    "LOG_LEVEL": "WARNING",
}


def prepare(partnerships: int) -> list[str]:
    """Migrate, load the demo and the extra volume; return the public URLs."""
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet-users", verbosity=0)
    from scripts.benchmark_data import make_partnerships

    make_partnerships(count=partnerships)
    from django.urls import NoReverseMatch, reverse

    from strategy.models import Strategy

    urls = ["/"]
    strategy = Strategy.objects.filter(slug="safermk-strategy-2018-2021").first()
    for name, kwargs in [
        ("strategy:public_list", {}),
        ("strategy:public_detail", {"strategy": strategy.slug} if strategy else None),
        ("strategy:public_json", {"strategy": strategy.slug} if strategy else None),
        ("consultation:list", {}),
    ]:
        if kwargs is None:
            continue
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            print(f"(skipping {name}: no such page in this version)")
    from django.db import connections

    connections.close_all()
    return urls


def hammer(path: str, total: int, clients: int) -> list[float]:
    timings: list[float] = []
    lock = threading.Lock()
    per_client = max(1, total // clients)
    errors: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        local = []
        for _ in range(per_client):
            start = time.perf_counter()
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            local.append(time.perf_counter() - start)
            if response.status != 200:
                errors.append(f"{path} answered {response.status}")
                break
        conn.close()
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(errors[0])
    return timings


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per page")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--partnerships", type=int, default=36)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    urls = prepare(args.partnerships)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "safermk.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        for path in ["/healthz", *urls]:  # warm up
            hammer(path, args.clients, args.clients)
        baseline = hammer("/healthz", args.requests, args.clients)
        base_p99 = percentile(baseline, 99)
        vendor = os.environ.get("DATABASE_URL", "sqlite").split(":")[0]
        print(
            f"\n{args.clients} concurrent clients, {args.requests} requests per page, "
            f"{args.workers} gunicorn workers, database: {vendor}\n"
        )
        print(f"{'page':<48} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p99/base':>9}  budget")
        rows = [("/healthz (baseline: one query)", baseline)]
        rows += [(path, hammer(path, args.requests, args.clients)) for path in urls]
        worst = 0.0
        for label, timings in rows:
            p99 = percentile(timings, 99)
            ratio = p99 / base_p99
            worst = max(worst, ratio)
            verdict = "" if label.startswith("/healthz") else ("ok" if ratio <= 3 else "OVER")
            print(
                f"{label:<48} {statistics.median(timings) * 1000:8.1f} "
                f"{percentile(timings, 95) * 1000:8.1f} {p99 * 1000:8.1f} {ratio:9.2f}  {verdict}"
            )
        print(f"\nWorst p99 ratio: {worst:.2f} (budget 3.00)")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

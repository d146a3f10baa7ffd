#!/usr/bin/env python
"""Speed at national volume against the budgets in the design (`make bench`).

1. Makes (or reuses) a PostgreSQL database for the benchmark, named after the
   scale, migrates it, loads the demo and `load_volume --scale S` (both add
   nothing when already there, so a second run starts in seconds).
2. Starts gunicorn (4 sync workers, DEBUG=0, persistent database
   connections) on a free port, with the floor views on
   (SAFERMK_BENCH_FLOORS): a plain view with no query, a view rendering 50
   rows from one query in the site's page template, a one-insert POST.
3. Drives it from this process with an asyncio HTTP client (standard library
   only: one connection per request, as gunicorn's sync workers close them):
   for every case, p50/p99 at 1 client and req/s and p99 at 16 clients,
   each the median of 3 runs, floors measured in the same runs.
4. Times the strategy PDF against a bare WeasyPrint render of the same HTML,
   and the reminder scan, in this process.

Prints one table with PASS/FAIL per budget. Only 127.0.0.1 is ever targeted.

    .venv/bin/python scripts/bench.py [--scale 1] [--runs 3] [--requests 400]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")


def bench_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
        "SAFERMK_BENCH_FLOORS": "1",
        # A benchmark sends thousands of responses from one address.
        "CONSULTATION_PAGE_RATE": "1000000/h",
        "CONSULTATION_SUBMIT_RATE": "1000000/h",
        "DJANGO_SETTINGS_MODULE": "safermk.settings",
    }


# The HTTP client -------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def cookies(self) -> dict[str, str]:
        out = {}
        for k, v in self.headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                out[name.strip()] = rest.split(";", 1)[0]
        return out


async def request(port: int, method: str, path: str, *, cookies: dict | None = None,
                  form: dict | list | None = None) -> Reply:
    reader, writer = await asyncio.open_connection(HOST, port)
    body = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close",
             "User-Agent: safermk-bench"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if form is not None:
        lines += ["Content-Type: application/x-www-form-urlencoded",
                  f"Content-Length: {len(body)}", f"Referer: http://{HOST}:{port}{path}",
                  f"Origin: http://{HOST}:{port}"]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _, content = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(x.strip() for x in h.split(":", 1)) for h in header_lines if ":" in h]
    return Reply(int(status_line.split()[1]), headers, content)


@dataclass
class Case:
    name: str
    path: str
    kind: str  # public, officer, post
    cookies: dict = field(default_factory=dict)
    expect: int = 200


async def hammer(port: int, case: Case, *, total: int, clients: int,
                 posts: list | None = None) -> tuple[list[float], float]:
    """`total` requests from `clients` concurrent clients; each request's
    time and the wall time. With `posts`, each request is one prepared POST."""
    timings: list[float] = []
    queue = list(range(total))

    async def client():
        while queue:
            i = queue.pop()
            started = time.perf_counter()
            if posts is not None:
                path, cookies, form = posts[i]
                reply = await request(port, "POST", path, cookies=cookies, form=form)
            else:
                reply = await request(port, "GET", case.path, cookies=case.cookies)
            timings.append(time.perf_counter() - started)
            if reply.status != case.expect:
                raise SystemExit(f"{case.name} ({case.path}) answered {reply.status}, "
                                 f"expected {case.expect}: {reply.body[:300]!r}")

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return timings, time.perf_counter() - started


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(rb'name="token" value="([^"]+)"')


async def journey(port: int, steps: list, check: str) -> tuple:
    """A respondent's journey up to check-your-answers; returns the final
    POST (path, cookies, form) to send when the clock runs."""
    first_path = steps[0][0]
    page = await request(port, "GET", first_path)
    cookies = page.cookies()
    csrf = CSRF.search(page.body).group(1).decode()
    for path, form in steps:
        reply = await request(port, "POST", path, cookies=cookies,
                              form=[*form, ("csrfmiddlewaretoken", csrf)])
        cookies.update(reply.cookies())
        if reply.status != 302:
            raise SystemExit(f"The journey stopped at {path}: {reply.status} "
                             f"{reply.body[:500]!r}")
    page = await request(port, "GET", check, cookies=cookies)
    cookies.update(page.cookies())
    token = TOKEN.search(page.body).group(1).decode()
    return check, cookies, [("token", token), ("csrfmiddlewaretoken", csrf)]


async def prepared(port: int, count: int, make) -> list:
    out: list = []
    pending = list(range(count))

    async def worker():
        while pending:
            pending.pop()
            out.append(await make())

    await asyncio.gather(*(worker() for _ in range(8)))
    return out


# Setting up ------------------------------------------------------------------


def database_for(scale: float) -> str:
    name = os.environ.get("BENCH_DATABASE") or (
        "safermk_bench" if scale == 1 else f"safermk_bench_{str(scale).replace('.', '_')}")
    return name


def ensure_database(name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f"Made the database {name}.")
    conn.close()


def load(env: dict, scale: float) -> None:
    manage = [sys.executable, "manage.py"]
    started = time.monotonic()
    for command in (["migrate", "--noinput", "-v0"], ["load_demo", "--quiet-users"],
                    ["load_volume", "--scale", str(scale)]):
        print("$ manage.py " + " ".join(command), flush=True)
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True)
    print(f"Data ready in {time.monotonic() - started:.0f} s.", flush=True)


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def analyse_after_load() -> None:
    from django.db import connection

    # What autovacuum does in a running system after a bulk load: statistics
    # and the visibility map. VACUUM runs outside a transaction.
    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def cases() -> tuple[list[Case], dict]:
    """The pages to measure, with the sessions of the people who see them."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from consultation.models import Consultation
    from milestones.models import SignOffRequest
    from milestones.services import calendar_token_get_or_create
    from safermk import bench_floors, volume
    from strategy.models import Strategy

    bench_floors.create_table()
    User = get_user_model()

    def session(username: str) -> dict:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return {"sessionid": client.cookies["sessionid"].value}

    first = f"{volume.SLUG_PREFIX}000"
    published = Strategy.objects.get(partnership__slug=first, status=Strategy.Status.PUBLISHED)
    refresh = Strategy.objects.get(partnership__slug=first, kind=Strategy.Kind.REFRESH)
    open_slug = volume.CONSULTATION_SLUG
    results = (Consultation.objects.filter(status=Consultation.Status.FEEDBACK)
               .order_by("-closes_at").first())
    officer = session(volume.OFFICER)
    pending = SignOffRequest.objects.pending().select_related("board").order_by("pk").first()
    chair = None
    if pending is not None:
        member = pending.board.memberships.filter(role="chair").select_related("user").first()
        chair = session(member.user.username) if member else None
    feed = calendar_token_get_or_create(user=User.objects.get(username=volume.OFFICER))
    out = [
        Case("home", "/", "public"),
        Case("partnership hub", reverse("partnership_home", args=[first]), "public"),
        Case("strategies list", reverse("strategy:public_list"), "public"),
        Case("public strategy page", published.get_public_url(), "public"),
        Case("strategy JSON", reverse("strategy:public_json", args=[published.slug]), "public"),
        Case("consultations list", reverse("consultation:list"), "public"),
        Case("consultation page", reverse("consultation:detail", args=[open_slug]), "public"),
        Case("first respond page", reverse("consultation:respond", args=[open_slug]), "public"),
        Case("results", reverse("consultation:results", args=[results.slug]), "public"),
        Case("officer dashboard", reverse("dashboard:home"), "officer", officer),
        Case("strategy manage page", reverse("strategy:detail", args=[published.slug]),
             "officer", officer),
        Case("analysis at 50,000", reverse("consultation:analysis", args=[open_slug]),
             "officer", officer),
        Case("plan", reverse("milestones:plan", args=[refresh.slug]), "officer", officer),
        Case("calendar feed", reverse("milestones:calendar_feed", args=[feed.token]),
             "officer"),
    ]
    if chair is not None:
        out.insert(-1, Case("board review", reverse("milestones:signoff", args=[pending.pk]),
                            "officer", chair))
    return out, {"consultation": Consultation.objects.get(slug=open_slug),
                 "version": published.versions.filter(reason="publication").latest("number"),
                 "strategy": published}


def journey_steps(consultation) -> tuple[list, str]:
    from django.urls import reverse

    from tests.consultation.walk import answers_for_section, sections_for

    def url(name, *args):
        return reverse(f"consultation:{name}", args=[consultation.slug, *args])

    steps = [(url("respond"), [("audience", "public"), ("consent", "on")])]
    for number, section in enumerate(sections_for(consultation, "public"), start=1):
        data = answers_for_section(consultation, section)
        flat = [(k, x) for k, v in data.items() for x in (v if isinstance(v, list) else [v])]
        steps.append((url("respond_step", number), flat))
    steps.append((url("respond_comments"), [("c0", "Good priority")]))
    steps.append((url("respond_about_you"), [("age_band", "25_34"), ("sex", "female")]))
    return steps, url("respond_check")


def free_port() -> int:
    for port in range(int(os.environ.get("BENCH_PORT", "8110")), 8200):
        with socket.socket() as s:
            if s.connect_ex((HOST, port)) != 0:
                return port
    raise SystemExit("No free port between 8110 and 8200.")


# Measuring -------------------------------------------------------------------


@dataclass
class Figures:
    p50_1: list = field(default_factory=list)
    p99_1: list = field(default_factory=list)
    rps_16: list = field(default_factory=list)
    p99_16: list = field(default_factory=list)

    def add(self, one: list[float], many: list[float], wall: float) -> None:
        self.p50_1.append(pct(one, 50) * 1000)
        self.p99_1.append(pct(one, 99) * 1000)
        self.rps_16.append(len(many) / wall)
        self.p99_16.append(pct(many, 99) * 1000)

    def median(self, name: str) -> float:
        return statistics.median(getattr(self, name))


async def measure_pages(port, all_cases, *, runs, requests, steps, check) -> dict:
    floors = [Case("floor: plain, no query", "/_bench/plain/", "floor"),
              Case("floor: 50 rows, one query", "/_bench/rows/", "floor")]
    figures = {c.name: Figures() for c in floors + all_cases}
    figures["response POST"] = Figures()
    figures["floor: one-insert POST"] = Figures()
    ones = max(20, requests // 8)
    for run in range(runs):
        print(f"Run {run + 1} of {runs}", flush=True)
        for case in floors + all_cases:
            many_total = requests if case.kind != "officer" else max(64, requests // 3)
            await hammer(port, case, total=16, clients=16)  # warm every worker
            one, _ = await hammer(port, case, total=ones, clients=1)
            many, wall = await hammer(port, case, total=many_total, clients=16)
            figures[case.name].add(one, many, wall)
        # The one-insert POST floor, through the CSRF check.
        page = await request(port, "GET", "/_bench/insert/")
        cookies = page.cookies()
        csrf = CSRF.search(page.body).group(1).decode()
        post = ("/_bench/insert/", cookies, [("csrfmiddlewaretoken", csrf), ("note", "x")])
        floor = Case("floor: one-insert POST", "/_bench/insert/", "post", expect=204)
        one, _ = await hammer(port, floor, total=ones, clients=1, posts=[post] * ones)
        many, wall = await hammer(port, floor, total=requests, clients=16,
                                  posts=[post] * requests)
        figures[floor.name].add(one, many, wall)
        # The response POST: journeys made first, their final POSTs timed.
        count = ones + requests // 2
        posts = await prepared(port, count, lambda: journey(port, steps, check))
        case = Case("response POST", check, "post", expect=302)
        one, _ = await hammer(port, case, total=ones, clients=1, posts=posts[:ones])
        many, wall = await hammer(port, case, total=count - ones, clients=16,
                                  posts=posts[ones:])
        figures[case.name].add(one, many, wall)
    return figures


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure_pdf(version, runs: int) -> tuple[float, float, int]:
    """Our render (context, template, WeasyPrint, PDF/UA finishing) and a
    bare WeasyPrint render of the same HTML, in ms, and the pages."""
    from django.conf import settings
    from weasyprint import HTML

    from documents import rendering

    html = rendering.strategy_html(version)
    rendering.render_strategy_pdf(version)  # fonts and caches, as a worker after its first job
    ours = timed(lambda: rendering.render_strategy_pdf(version), runs)
    bare = timed(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(), runs)
    return ours, bare, rendering.render_strategy_pdf(version).pages


def ensure_pdf(version) -> None:
    """The publication's PDF stored, as the worker leaves it, so that the
    download is the file serve it is in production."""
    from documents.models import RenderedDocument
    from documents.services import document_render, document_request

    document = document_request(version=version)
    if document.status != RenderedDocument.Status.READY:
        document_render(document_id=document.pk)


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    import gunicorn
    import weasyprint
    from django import get_version
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
    import redis

    try:
        redis_version = redis.Redis.from_url(REDIS).info()["redis_version"]
    except Exception:  # noqa: BLE001 - the version is only printed
        redis_version = "?"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} CPUs ({model}), {mem:.0f} GB; Python {platform.python_version()},"
            f" Django {get_version()}, PostgreSQL {pg}, Redis {redis_version}, gunicorn "
            f"{gunicorn.__version__} (4 sync workers), WeasyPrint {weasyprint.__version__}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 1)))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=400,
                        help="requests at 16 clients per public case and run")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    began = time.monotonic()
    name = database_for(args.scale)
    ensure_database(name)
    env = bench_env(f"{PG}/{name}")
    load(env, args.scale)
    setup_django(env)
    import redis

    redis.Redis.from_url(REDIS).flushdb()  # the benchmark's own database number
    analyse_after_load()
    all_cases, things = cases()
    steps, check = journey_steps(things["consultation"])
    ensure_pdf(things["version"])
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "safermk.wsgi:application", "--bind",
         f"{HOST}:{port}", "--workers", str(args.workers), "--worker-class", "sync",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(150):
            try:
                asyncio.run(request(port, "GET", "/_bench/plain/"))
                break
            except OSError:
                time.sleep(0.2)
        from django.urls import reverse

        pdf_case = Case("PDF download (file serve)", reverse(
            "documents:public_strategy_pdf", args=[things["strategy"].slug]), "pdf")
        figures = asyncio.run(measure_pages(port, all_cases, runs=args.runs,
                                            requests=args.requests, steps=steps, check=check))
        download = asyncio.run(hammer(port, pdf_case, total=30, clients=1))[0]
    finally:
        server.terminate()
        server.wait(timeout=20)
    ours, bare, pages = measure_pdf(things["version"], args.runs)
    from django.utils import timezone

    from reminders import engine

    scan = timed(lambda: engine.run(now=timezone.now(), dry_run=True), args.runs)
    report(figures, all_cases, ours=ours, bare=bare, pages=pages,
           download=pct(download, 50) * 1000, scan=scan, scale=args.scale, runs=args.runs,
           requests=args.requests, minutes=(time.monotonic() - began) / 60)
    return 0


def report(figures, all_cases, *, ours, bare, pages, download, scan, scale, runs, requests,
           minutes) -> None:
    from safermk import volume

    rows_floor = figures["floor: 50 rows, one query"]
    insert_floor = figures["floor: one-insert POST"]
    counts = volume.counts()
    print()
    print(f"Speed at {'national volume' if scale == 1 else f'{scale:g} of national volume'}"
          f" ({', '.join(f'{n:,} {k}' for k, n in counts.items())}), "
          f"{dt.date.today():%Y-%m-%d}")
    print(f"Machine: {machine()}")
    print(f"Each figure the median of {runs} runs; {requests} requests at 16 clients a run "
          "(officer pages a third of that), one connection per request, from a second process.")
    print()
    header = (f"{'case':<28} {'req/s@16':>9} {'p50@1':>8} {'p99@1':>8} {'p99@16':>8} "
              f"{'ratio':>14}  budget")
    print(header)
    print("-" * len(header) + "-" * 30)
    failures = 0

    def line(name, f, ratio="", verdict=""):
        print(f"{name:<28} {f.median('rps_16'):9.0f} {f.median('p50_1'):8.1f} "
              f"{f.median('p99_1'):8.1f} {f.median('p99_16'):8.1f} {ratio:>14}  {verdict}")

    for name in ("floor: plain, no query", "floor: 50 rows, one query",
                 "floor: one-insert POST"):
        line(name, figures[name])
    for case in all_cases:
        f = figures[case.name]
        if case.kind == "public":
            p99 = f.median("p99_16") / rows_floor.median("p99_16")
            rps = f.median("rps_16") / rows_floor.median("rps_16")
            ok = p99 <= 2 and rps >= 0.5
            verdict = f"{'PASS' if ok else 'FAIL'} p99≤2x, req/s≥0.5x"
            ratio = f"{p99:.2f}x {rps:.2f}x"
        else:
            p50 = f.median("p50_1") / rows_floor.median("p50_1")
            ok = p50 <= 3
            verdict = f"{'PASS' if ok else 'FAIL'} p50≤3x"
            ratio = f"{p50:.2f}x"
            if case.name.startswith("analysis"):
                ok = ok and f.median("p50_1") < 200
                verdict = f"{'PASS' if ok else 'FAIL'} p50≤3x, <200 ms"
        failures += not ok
        line(case.name, f, ratio, verdict)
        if case.name == "first respond page":
            f = figures["response POST"]
            rps = f.median("rps_16") / insert_floor.median("rps_16")
            ok = rps >= 0.5
            failures += not ok
            line("response POST", f, f"{rps:.2f}x", f"{'PASS' if ok else 'FAIL'} req/s≥0.5x "
                 "of one-insert POST")
    print()
    ratio = ours / bare
    ok = ratio <= 1.0
    failures += not ok
    print(f"Strategy PDF ({pages} pages): render {ours:.0f} ms, bare WeasyPrint of the same "
          f"HTML {bare:.0f} ms: {ratio:.2f}x  {'PASS' if ok else 'FAIL'} ≤1.0x; "
          f"the download is a file serve: p50 {download:.1f} ms")
    print(f"Reminder scan (dry run, all partnerships): {scan:.0f} ms")
    print(f"\n{failures} budget(s) failed. The benchmark took {minutes:.1f} minutes.")


if __name__ == "__main__":
    sys.exit(main())

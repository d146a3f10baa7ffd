"""Floors for the speed benchmark (scripts/bench.py), served only when
SAFERMK_BENCH_FLOORS is on (local machines only, see settings): what a page
costs at the least in this very process, to compare the real pages with.

- plain: no query, no template;
- rows: 50 rows from one query, rendered in the site's page template;
- insert: a POST through the CSRF check that inserts one row, the least a
  response POST can cost (its table is made by the benchmark).
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from strategy.models import Measurement

TABLE = "safermk_bench_floor_insert"


def plain(request):
    return HttpResponse("<!DOCTYPE html><title>Floor</title><p>A page with no query.</p>")


def rows(request):
    return render(request, "bench/rows.html", {
        "rows": list(Measurement.objects.order_by("pk")
                     .values_list("pk", "period_end", "value", "note")[:50]),
    })


@require_http_methods(["GET", "POST"])
def insert(request):
    if request.method == "POST":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (at, note) VALUES (%s, %s)",  # noqa: S608
                           [timezone.now(), request.POST.get("note", "")[:200]])
        return HttpResponse(status=204)
    return HttpResponse(
        f'<form method="post"><input name="csrfmiddlewaretoken" value="{get_token(request)}">'
        '<input name="note"></form>'
    )


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} "
                       "(id bigserial PRIMARY KEY, at timestamptz NOT NULL, note text NOT NULL)")


urlpatterns = [
    path("plain/", plain, name="bench_plain"),
    path("rows/", rows, name="bench_rows"),
    path("insert/", insert, name="bench_insert"),
]

"""The quarterly performance report of a strategy: a board paper of how its
plan is doing at the end of a quarter.

Its figures are the performance summary's (strategy.scorecard) as at the
quarter's last day: counts by status overall, by priority and by owner
organisation, the exceptions (off track, or late with the partnership's
grace days), and each measure with its latest figure, target and trend.
Figures for periods ending after the quarter are left out.

`report_data` gathers everything the PDF shows except the day it is
prepared, so the SHA-256 of that data names the PDF: a new or corrected
figure makes a new one, and unchanged data reuses the file already made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from documents.rendering import RenderedPDF, css_string, html_to_pdf, logo_url
from strategy.charts import describe, trend_svg
from strategy.models import Measurement, Strategy, StrategyVersion
from strategy.performance import AT_RISK_SHARE, HOLD_SHARE, MeasureStatus
from strategy.quarters import Quarter
from strategy.scorecard import scorecard

# Part of the hashed data: raise it when the layout of the report changes, so
# reports on unchanged data are made again in the new layout.
LAYOUT = 1


def _fmt(value) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _version(strategy: Strategy) -> dict | None:
    """The version of the strategy whose plan is measured: its latest
    frozen version (after publication, the published text)."""
    version = (
        StrategyVersion.objects.filter(strategy=strategy).defer("content")
        .order_by("-number").first()
    )
    if version is None:
        return None
    return {
        "number": version.number,
        "reason": version.get_reason_display().lower(),
        "frozen_on": version.created_at.date(),
        "short_hash": version.short_hash,
    }


def _counts(row) -> dict:
    return {"label": row.label, "cells": row.cells, "total": row.total}


def report_data(strategy: Strategy, quarter: Quarter) -> dict:
    """What the report says, as at the quarter's end, with no clock: the
    same data on another day gives the same dict."""
    partnership = strategy.partnership
    as_at = quarter.end
    card = scorecard(strategy, today=as_at, measured_by=as_at)
    points: dict[int, list[tuple[dt.date, Decimal]]] = {}
    for measure_id, period_end, value in (
        Measurement.objects.filter(
            measure__objective__priority__strategy=strategy, period_end__lte=as_at
        )
        .order_by("period_end")
        .values_list("measure_id", "period_end", "value")
    ):
        points.setdefault(measure_id, []).append((period_end, value))

    priorities = {
        row.key: {"number": number, "label": row.label, "measures": []}
        for number, row in enumerate(card.by_priority, start=1)
    }
    for figure, measure in enumerate(card.measures, start=1):
        priorities[measure.objective.priority_id]["measures"].append(
            _measure(measure, points.get(measure.pk, []), figure, quarter)
        )

    exceptions = [
        {
            "title": row.measure.title,
            "priority": row.measure.objective.priority.title,
            "owner": row.measure.owner_organisation.name,
            "off_track": row.off_track,
            "late": row.late,
            "due": row.due,
            "due_on": row.due_on,
            "latest": _latest(row.measure),
            "target": _target(row.measure),
        }
        for row in card.exceptions
    ]
    return {
        "layout": LAYOUT,
        "partnership": {
            "name": partnership.name,
            "slug": partnership.slug,
            "colour": partnership.colour or settings.SAFERMK_BRAND_COLOUR,
            "contact_email": partnership.contact_email,
        },
        "brand_name": settings.SAFERMK_BRAND_NAME,
        "logo_url": logo_url(),
        "strategy": {
            "title": strategy.title,
            "slug": strategy.slug,
            "period_start": strategy.period_start,
            "period_end": strategy.period_end,
            "status": strategy.get_status_display().lower(),
        },
        "version": _version(strategy),
        "quarter": {
            "slug": quarter.slug, "label": quarter.label,
            "start": quarter.start, "end": quarter.end,
        },
        "grace_days": card.grace_days,
        "checks_lateness": card.checks_lateness,
        "statuses": [status.label for status in MeasureStatus],
        "overall": _counts(card.overall),
        "by_priority": [_counts(row) for row in card.by_priority],
        "by_organisation": [_counts(row) for row in card.by_organisation],
        "exceptions": exceptions,
        "priorities": list(priorities.values()),
        "at_risk_percent": int(AT_RISK_SHARE * 100),
        "hold_percent": int(HOLD_SHARE * 100),
    }


def _latest(measure) -> dict | None:
    if measure.latest_value is None:
        return None
    return {"value": _fmt(measure.latest_value), "unit": measure.unit,
            "period": measure.latest_period}


def _target(measure) -> dict:
    return {"value": _fmt(measure.target_value), "unit": measure.unit,
            "date": measure.target_date}


def _measure(measure, points, figure: int, quarter: Quarter) -> dict:
    latest = _latest(measure)
    return {
        "id": measure.pk,
        "title": measure.title,
        "objective": measure.objective.title,
        "owner": measure.owner_organisation.name,
        "unit": measure.unit,
        "frequency": measure.get_frequency_display().lower(),
        "data_source": measure.data_source,
        "baseline": {"value": _fmt(measure.baseline_value), "date": measure.baseline_date},
        "target": _target(measure),
        "direction": measure.get_direction_display(),
        "latest": latest,
        "in_quarter": bool(latest and latest["period"] >= quarter.start),
        "status": measure.result.label,
        "status_class": measure.result.status.replace("_", "-"),
        "expected": (
            _fmt(measure.result.expected_value)
            if measure.result.expected_value is not None else None
        ),
        "figure": figure,
        "points": [(day, str(value)) for day, value in points],
        "raw": {
            "baseline_value": str(measure.baseline_value),
            "target_value": str(measure.target_value),
            "direction": measure.direction,
        },
    }


def content_hash(data: dict) -> str:
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _chart(m: dict) -> str:
    baseline_value = Decimal(m["raw"]["baseline_value"])
    target_value = Decimal(m["raw"]["target_value"])
    points = [(day, Decimal(value)) for day, value in m["points"]]
    arguments = {
        "unit": m["unit"], "baseline_value": baseline_value,
        "baseline_date": m["baseline"]["date"], "target_value": target_value,
        "target_date": m["target"]["date"], "direction": m["raw"]["direction"],
        "points": points,
    }
    # WeasyPrint 70 tags an inline SVG as a Figure and takes its alternative
    # text from <title> only, so the title carries the whole description.
    description = describe(title=m["title"], **arguments)
    return trend_svg(
        title=f"Trend chart: {m['title']}. {description}",
        element_id=f"chart-{m['id']}", width=640, height=200, **arguments,
    )


def report_context(data: dict, *, prepared_on: dt.date) -> dict:
    priorities = [
        {**p, "measures": [{**m, "chart": _chart(m)} for m in p["measures"]]}
        for p in data["priorities"]
    ]
    quarter = data["quarter"]
    strategy = data["strategy"]
    partnership = data["partnership"]
    return {
        **data,
        "priorities": priorities,
        "overall_rows": [data["overall"]],
        "title": f"{strategy['title']}: performance report, {quarter['label']}",
        "prepared_on": prepared_on,
        "brand_colour": partnership["colour"],
        "another_format_url": settings.SITE_URL
        + reverse("accessibility:format_request", args=[partnership["slug"]]),
        "footer_css": css_string(
            f"{partnership['name']} · Performance report, {quarter['label']}"
        ),
    }


def report_html(data: dict, *, prepared_on: dt.date) -> str:
    return render_to_string(
        "documents/performance_report_pdf.html", report_context(data, prepared_on=prepared_on)
    )


def render_performance_report_pdf(
    strategy: Strategy, quarter: Quarter, *, prepared_on: dt.date
) -> RenderedPDF:
    return html_to_pdf(report_html(report_data(strategy, quarter), prepared_on=prepared_on))

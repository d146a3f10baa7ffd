"""Trend charts as server-rendered SVG, for pages and for the strategy PDF.

The chart is a picture for sighted readers: pages put a data table beside it
(see templates/strategy/includes/measure_table.html) and the SVG carries a
title and a text description for screen readers and the tagged PDF. No
JavaScript, no fonts beyond the page's own, works in WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from strategy.performance import assess

MEASURED = "#1d5c63"  # the brand colour: 7:1 on white
PLANNED = "#505a5f"  # GOV.UK secondary text colour
TARGET = "#d4351c"
GRID = "#b1b4b6"


def trend_svg(
    *,
    title: str,
    unit: str,
    baseline_value: Decimal,
    baseline_date: dt.date,
    target_value: Decimal,
    target_date: dt.date,
    direction: str,
    points: list[tuple[dt.date, Decimal]],
    width: int = 640,
    height: int = 260,
    element_id: str = "chart",
) -> SafeString:
    """An SVG line chart of measured values against the planned trajectory."""
    points = sorted(points)
    left, right, top, bottom = 56, 16, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom

    dates = [baseline_date, target_date] + [d for d, _ in points]
    values = [baseline_value, target_value] + [v for _, v in points]
    d_min, d_max = min(dates), max(dates)
    v_min, v_max, v_step = _nice_scale(min(values), max(values))
    span_days = max((d_max - d_min).days, 1)

    def x(d: dt.date) -> float:
        return left + plot_w * (d - d_min).days / span_days

    def y(v: Decimal) -> float:
        return top + plot_h * float((v_max - v) / (v_max - v_min))

    description = describe(
        title=title,
        unit=unit,
        baseline_value=baseline_value,
        baseline_date=baseline_date,
        target_value=target_value,
        target_date=target_date,
        direction=direction,
        points=points,
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{element_id}-title {element_id}-desc" '
        f'class="smk-chart" font-family="Arial, Helvetica, sans-serif" font-size="12">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(description)}</desc>',
    ]
    # Horizontal grid lines with value labels.
    steps = int((v_max - v_min) / v_step)
    for i in range(steps + 1):
        value = v_min + v_step * i
        yy = y(value)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#0b0c0c">'
            f"{_fmt(value)}</text>"
        )
    # Year labels along the bottom.
    for year in range(d_min.year, d_max.year + 2):
        day = dt.date(year, 1, 1)
        if d_min <= day <= d_max:
            xx = x(day)
            parts.append(
                f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top}" y2="{top + plot_h}" '
                f'stroke="{GRID}" stroke-width="1" stroke-dasharray="2 3"/>'
            )
            parts.append(
                f'<text x="{xx:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'fill="#0b0c0c">{year}</text>'
            )
    # The planned trajectory, baseline to target.
    parts.append(
        f'<line x1="{x(baseline_date):.1f}" y1="{y(baseline_value):.1f}" '
        f'x2="{x(target_date):.1f}" y2="{y(target_value):.1f}" stroke="{PLANNED}" '
        f'stroke-width="2" stroke-dasharray="6 4"/>'
    )
    parts.append(
        f'<circle cx="{x(target_date):.1f}" cy="{y(target_value):.1f}" r="5" fill="none" '
        f'stroke="{TARGET}" stroke-width="2"/>'
    )
    # Measured values.
    if points:
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{MEASURED}" stroke-width="3"/>'
        )
        for d, v in points:
            parts.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="4" fill="{MEASURED}"/>')
    # Legend.
    ly = height - 8
    parts.append(
        f'<line x1="{left}" x2="{left + 24}" y1="{ly - 4}" y2="{ly - 4}" stroke="{MEASURED}" '
        f'stroke-width="3"/><text x="{left + 30}" y="{ly}" fill="#0b0c0c">Measured</text>'
        f'<line x1="{left + 110}" x2="{left + 134}" y1="{ly - 4}" y2="{ly - 4}" '
        f'stroke="{PLANNED}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{left + 140}" y="{ly}" fill="#0b0c0c">Planned trajectory</text>'
        f'<circle cx="{left + 282}" cy="{ly - 4}" r="5" fill="none" stroke="{TARGET}" '
        f'stroke-width="2"/><text x="{left + 292}" y="{ly}" fill="#0b0c0c">Target</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def measure_trend_svg(measure, measurements, **kwargs) -> SafeString:
    """trend_svg for a Measure and its (already loaded) measurements."""
    return trend_svg(
        title=f"Trend: {measure.title}",
        unit=measure.unit,
        baseline_value=measure.baseline_value,
        baseline_date=measure.baseline_date,
        target_value=measure.target_value,
        target_date=measure.target_date,
        direction=measure.direction,
        points=[(m.period_end, m.value) for m in measurements],
        element_id=kwargs.pop("element_id", f"chart-{measure.pk}"),
        **kwargs,
    )


def describe(
    *,
    title: str,
    unit: str,
    baseline_value: Decimal,
    baseline_date: dt.date,
    target_value: Decimal,
    target_date: dt.date,
    direction: str,
    points: list[tuple[dt.date, Decimal]],
) -> str:
    """A sentence or two saying what the chart shows (its text alternative)."""
    better = "lower" if direction == "lower" else "higher"
    text = (
        f"Baseline {_fmt(baseline_value)} {unit} on {baseline_date:%d %B %Y}; "
        f"target {_fmt(target_value)} {unit} by {target_date:%d %B %Y} ({better} is better). "
    )
    if not points:
        return text + "No measurements yet."
    last_date, last_value = max(points)
    result = assess(
        baseline_value=baseline_value,
        baseline_date=baseline_date,
        target_value=target_value,
        target_date=target_date,
        direction=direction,
        latest_value=last_value,
        latest_period=last_date,
    )
    return text + (
        f"{len(points)} measurement{'s' if len(points) != 1 else ''}; latest "
        f"{_fmt(last_value)} {unit} for the period ending {last_date:%d %B %Y}, "
        f"against {_fmt(result.expected_value)} expected: {result.label.lower()}."
    )


def _nice_scale(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(bottom, top, step) of a value axis with round steps (1, 2, 2.5 or 5
    times a power of ten) and four to six gridlines, starting at zero when the
    data is closer to zero than it is wide."""
    low, high = Decimal(low), Decimal(high)
    if low == high:
        pad = abs(low) * Decimal("0.1") or Decimal(1)
        low, high = low - pad, high + pad
    if low > 0 and low < (high - low):
        low = Decimal(0)
    raw = (high - low) / 4
    power = Decimal(10) ** (raw.adjusted())
    step = next(power * m for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5),
                                    Decimal(10)) if power * m >= raw)
    bottom = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    top = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    return bottom, top, step


def _fmt(value: Decimal) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.1f}"

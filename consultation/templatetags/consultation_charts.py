"""Geometry for the server-rendered SVG bar charts."""

import uuid

from django import template

register = template.Library()

ROW = 34
BAR_X = 300
BAR_MAX = 280


@register.filter
def chart(bars) -> dict:
    rows = []
    for index, bar in enumerate(bars):
        width = round(BAR_MAX * float(bar.percent) / 100, 1)
        rows.append({
            "label": bar.label,
            "count": bar.count,
            "percent": bar.percent,
            "y": index * ROW,
            "width": width,
            "text_x": BAR_X + width + 6,
        })
    # A fresh id per chart, so several charts on a page never share one.
    return {
        "rows": rows,
        "height": max(ROW * len(rows), ROW),
        "id": f"chart-{uuid.uuid4().hex[:10]}",
    }

"""The performance summary of a strategy, for its partnership's people:
officers, partner officers and board members (read-only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from strategy.performance import STATUS_TAG, MeasureStatus
from strategy.quarters import default_quarter
from strategy.scorecard import scorecard
from strategy.views import _get_strategy_for_user


@login_required
def performance_summary(request, strategy: str):
    strategy = _get_strategy_for_user(request, strategy)
    today = timezone.localdate()
    card = scorecard(strategy, today=today)
    return render(request, "strategy/performance_summary.html", {
        "strategy": strategy,
        "today": today,
        "card": card,
        "overall_rows": [card.overall],
        "statuses": [(s.label, STATUS_TAG[s]) for s in MeasureStatus],
        "off_track_tag": STATUS_TAG[MeasureStatus.OFF_TRACK],
        # The board report's quarter (the documents app makes the PDF).
        "report_quarter": default_quarter(strategy, today=today),
    })

"""Dashboard panel: the user's strategies by status, measures off track and
measures awaiting an update."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from safermk.panels import Panel
from strategy.models import Measure, Strategy
from strategy.performance import MeasureStatus, assess, is_awaiting_update

LIMIT = 15


def strategies(request) -> Panel | None:
    access = request.access
    ids = None if access.is_superuser else access.partnership_ids()
    if ids is not None and not ids:
        return None
    today = timezone.localdate()

    rows = Strategy.objects.all()
    if ids is not None:
        rows = rows.for_partnerships(ids)
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).order_by())
    by_status = [
        (value, label, counts.get(value, 0))
        for value, label in Strategy.Status.choices
        if counts.get(value)
    ]

    measures = (
        Measure.objects.in_force()
        .with_latest_measurement()
        .select_related("objective__priority__strategy__partnership", "owner_organisation")
        .order_by("objective__priority__strategy__title", "objective__priority__order",
                  "objective__order", "order", "pk")
    )
    if ids is not None:
        measures = measures.for_partnerships(ids)
    off_track, awaiting = [], []
    for measure in measures:
        result = assess(
            baseline_value=measure.baseline_value,
            baseline_date=measure.baseline_date,
            target_value=measure.target_value,
            target_date=measure.target_date,
            direction=measure.direction,
            latest_value=measure.latest_value,
            latest_period=measure.latest_period,
        )
        measure.result = result
        measure.strategy = measure.objective.priority.strategy
        if result.status == MeasureStatus.OFF_TRACK:
            off_track.append(measure)
        partnership_id = measure.strategy.partnership_id
        # Show people the updates that are theirs to make.
        if access.can_update_for_organisation(
            partnership_id, measure.owner_organisation_id
        ) and is_awaiting_update(measure, measure.latest_period, today):
            awaiting.append(measure)
    return Panel(
        "strategy/panels/strategies.html",
        {
            "by_status": by_status,
            "off_track": off_track[:LIMIT],
            "off_track_more": max(len(off_track) - LIMIT, 0),
            "awaiting": awaiting[:LIMIT],
            "awaiting_more": max(len(awaiting) - LIMIT, 0),
        },
    )

"""Dashboard panel: where to find each strategy's PDF and the partnership
reports, for people who belong to a partnership."""

from __future__ import annotations

from safermk.panels import Panel
from strategy.models import Strategy


def strategy_documents(request) -> Panel | None:
    access = request.access
    if access.is_superuser:
        strategies = Strategy.objects.all()
    else:
        ids = access.partnership_ids()
        if not ids:
            return None
        strategies = Strategy.objects.for_partnerships(ids)
    strategies = list(
        strategies.select_related("partnership").order_by("partnership__name", "-period_start")[:20]
    )
    if not strategies:
        return None
    partnerships = {s.partnership_id: s.partnership for s in strategies}
    return Panel(
        "documents/panels/strategy_documents.html",
        {"strategies": strategies, "partnerships": sorted(partnerships.values(), key=str)},
        column="side",
    )

"""The rendered parts of a published strategy's public pages, cached.

A published version never changes: its content hash is its identity. What
the public pages add to it is live: the figures of its measures, and each
target's status, which compares the latest figure with the line to the
target as of today. So a part is cached under the version's hash, the
moment its figures last changed with how many there are (a deletion changes
the count), and the day, read in one query. An officer who saves a figure
changes the key, so the next page shows it: nothing is ever stale and
nothing needs deleting (old keys expire).

The cache is an optimisation only: when it cannot be reached the part is
rendered as if it were not cached.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from strategy.models import Measurement, Strategy, StrategyVersion

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 24 * 3600
PREFIX = "strategy-public:1"


def figures_stamp(version: StrategyVersion) -> str:
    """How many figures the published measures have and when one last
    changed: one query, on the measurement table's own index (the measures'
    ids are in the frozen content)."""
    ids = [m["id"] for p in version.content["priorities"] for o in p["objectives"]
           for m in o["measures"]]
    figures = (
        Measurement.objects.filter(measure_id__in=ids)
        .aggregate(n=Count("pk"), last=Max("updated_at"))
        if ids else {"n": 0, "last": None}
    )
    last = figures["last"].timestamp() if figures["last"] else 0
    return f"{figures['n']}-{last:.6f}"


def key(part: str, strategy: Strategy, version: StrategyVersion) -> str:
    return ":".join((PREFIX, part, str(strategy.pk), version.content_hash,
                     figures_stamp(version), timezone.localdate().isoformat()))


def cached_part(cache_key: str, build: Callable[[], str]) -> SafeString:
    """The HTML `build` renders (from templates, so already escaped)."""
    try:
        html = cache.get(cache_key)
    except Exception:  # the cache is down: render without it
        logger.warning("The cache could not be read for %s", cache_key, exc_info=True)
        html = None
    if html is None:
        html = build()
        try:
            cache.set(cache_key, html, TIMEOUT_SECONDS)
        except Exception:
            logger.warning("The cache could not be written for %s", cache_key, exc_info=True)
    return mark_safe(html)  # noqa: S308 - rendered by our templates, escaped there

"""Evidence shown to a board beside the version it is asked to sign.

Extension point: the consultation app supplies the summary of a consultation
held on a strategy version. Until it does, there is no summary to show and
the review page says so; nothing is invented here.
"""

from __future__ import annotations

from strategy.models import StrategyVersion


def consultation_summary(version: StrategyVersion) -> dict | None:
    """A summary of the consultation on `version` (or on the version it grew
    from), or None when there was none.

    The consultation app is expected to provide, for example, {"title",
    "opened_on", "closed_on", "responses", "url", "themes": [...]}; the
    review page template renders those keys.
    """
    return None

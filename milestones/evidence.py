"""Evidence shown to a board beside the version it is asked to sign: what the
public consultation on the strategy heard.

A board signing version N should see the consultation held on N or on an
earlier version of the same strategy (the final draft is usually written
after the consultation closed, so it is rarely the version consulted on).
Every count comes from a GROUP BY or a subquery in the consultation app's
analysis reads, so the page costs the same number of queries however many
people responded.
"""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from consultation.analysis import historical_note, response_counts, themes_with_counts
from consultation.models import Consultation
from consultation.services import fairness_checks
from strategy.models import StrategyVersion

TOP_THEMES = 5


def consulted_on(version: StrategyVersion) -> Consultation | None:
    """The latest consultation that opened on `version` or an earlier version
    of its strategy; drafts and consultations not yet open do not count. A
    historical record of the strategy's consultation (held on no version
    here) counts when no consultation run here opened later."""
    live = (
        Consultation.objects.filter(
            version__strategy_id=version.strategy_id,
            version__number__lte=version.number,
            opens_at__lte=timezone.now(),
        )
        .exclude(status=Consultation.Status.DRAFT)
        .select_related("version", "strategy")
        .order_by("-version__number", "-opens_at", "-pk")
        .first()
    )
    past = (
        Consultation.objects.filter(strategy_id=version.strategy_id, is_historical=True)
        .select_related("strategy", "recorded_by")
        .order_by("-opens_at", "-pk")
        .first()
    )
    if live is None or (past is not None and past.opens_at > live.opens_at):
        return past
    return live


def consultation_summary(version: StrategyVersion) -> dict | None:
    """What the board needs to know about the consultation behind `version`,
    or None when the strategy was not consulted on up to that version."""
    consultation = consulted_on(version)
    if consultation is None:
        return None
    counts = response_counts(consultation)
    # Themes are few (officers create them by hand), so ranking them here
    # does not depend on the number of responses.
    themes = list(
        themes_with_counts(consultation).annotate(
            mentions=F("answer_count") + F("comment_count")
        )
    )
    top = sorted(themes, key=lambda t: (-t.mentions, t.order, t.name))[:TOP_THEMES]
    published = consultation.results_published
    return {
        "consultation": consultation,
        "title": consultation.title,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.ended_at,
        "planned_closes_at": consultation.closes_at,
        "closed_early": consultation.closed_early,
        "status": consultation.effective_status_label,
        "historical": historical_note(consultation),
        "version_number": consultation.version.number if consultation.version_id else None,
        "on_this_version": consultation.version_id == version.pk,
        "responses": counts["total"],
        "by_channel": [bar for bar in counts["by_channel"] if bar.count],
        "by_audience": [bar for bar in counts["by_audience"] if bar.count],
        "checks": [
            {"label": label, "passed": passed, "detail": detail}
            for label, passed, detail in fairness_checks(consultation)
        ],
        "themes": [{"name": t.name, "mentions": t.mentions} for t in top if t.mentions],
        "published": published,
        "you_said_we_did": [
            {
                "name": t.name,
                "you_said": t.you_said,
                "we_did": t.we_did,
                "priority": t.priority.title if t.priority else "",
                "why_not": t.why_not,
            }
            for t in themes
            if t.you_said.strip() or t.we_did.strip()
        ]
        if published
        else [],
        "results_url": reverse("consultation:results", kwargs={"consultation": consultation.slug})
        if published
        else "",
    }

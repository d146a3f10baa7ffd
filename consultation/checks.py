"""The fair-consultation check (the Gunning principles, as the courts set
them out): consult while proposals are formative, give enough information,
allow adequate time, and show conscientious consideration of the answers."""

from __future__ import annotations

from consultation.models import Consultation
from strategy.models import Strategy, StrategyVersion

DRAFT_STATUSES = {Strategy.Status.PLANNING, Strategy.Status.DRAFTING, Strategy.Status.CONSULTATION}


def _adequate_time(consultation: Consultation) -> tuple[str, bool, str]:
    """Judged on the days it was really open: closing early shortens them."""
    days = consultation.days_open
    weeks = round(days / 7, 1)
    enough = days >= 7 * Consultation.RECOMMENDED_WEEKS
    if consultation.closed_early:
        detail = (
            f"Planned for {consultation.duration_weeks:g} weeks; closed early after "
            f"{weeks:g} weeks"
        )
    else:
        detail = f"Runs for {weeks:g} weeks"
    detail += "." if enough else f", less than the usual {Consultation.RECOMMENDED_WEEKS} weeks."
    if consultation.holidays_note:
        detail += f" Holidays: {consultation.holidays_note}"
    return ("Adequate time to respond", enough, detail)


def _historical_checks(consultation: Consultation) -> list[tuple[str, bool, str]]:
    """A historical record was not run here: only what its entered dates
    and text show can be checked; the rest is not claimed either way."""
    checks = [_adequate_time(consultation)]
    has_background = bool(consultation.background.strip())
    checks.append((
        "Background information published",
        has_background,
        "Background information was entered with the record." if has_background
        else "No background information was entered with the record.",
    ))
    themes = list(consultation.themes.all())
    if themes:
        answered = [t for t in themes if t.has_response]
        checks.append((
            "Every theme has a “we did” answer",
            len(answered) == len(themes),
            f"{len(answered)} of {len(themes)} themes have a “we did” answer.",
        ))
    return checks


def gunning_checks(consultation: Consultation) -> list[tuple[str, bool, str]]:
    if consultation.is_historical:
        return _historical_checks(consultation)
    checks: list[tuple[str, bool, str]] = []

    # 1. Formative stage.
    opened = consultation.opened_at or consultation.opens_at
    status_then = consultation.strategy_status_at_open or (
        consultation.strategy.status if not consultation.opened_at else ""
    )
    signed_before = StrategyVersion.objects.filter(
        strategy=consultation.strategy_id,
        reason__in=[StrategyVersion.Reason.SIGN_OFF, StrategyVersion.Reason.PUBLICATION],
        created_at__lt=opened,
    ).exists()
    formative = status_then in DRAFT_STATUSES and not signed_before
    if formative:
        detail = "Opened while the strategy was still a draft and before any sign-off."
    elif signed_before:
        detail = "A version of the strategy was sent for sign-off before the consultation opened."
    else:
        label = Strategy.Status(status_then).label.lower() if status_then else "unknown"
        detail = f"The strategy's status when the consultation opened was {label}."
    checks.append(("Consulted while the strategy was still a draft", formative, detail))

    # 2. Sufficient information.
    has_background = bool(consultation.background.strip())
    has_draft = bool(consultation.version_id)
    if has_background and has_draft:
        detail = (
            f"Background information and the draft (version {consultation.version.number}) are "
            "published with the consultation."
        )
    else:
        missing = []
        if not has_background:
            missing.append("background information")
        if not has_draft:
            missing.append("the frozen draft (it is frozen when the consultation is scheduled)")
        detail = "Missing: " + " and ".join(missing) + "."
    checks.append(
        ("Background information and the draft published", has_background and has_draft, detail)
    )

    # 3. Adequate time.
    checks.append(_adequate_time(consultation))

    # 4. Conscientious consideration.
    themes = list(consultation.themes.all())
    answered = [t for t in themes if t.has_response]
    if not themes:
        considered, detail = False, "No themes coded yet."
    else:
        considered = len(answered) == len(themes)
        detail = f"{len(answered)} of {len(themes)} themes have a “we did” answer."
    checks.append(("Every theme has a “we did” answer", considered, detail))

    published = consultation.status == Consultation.Status.FEEDBACK
    checks.append(
        (
            "“You said, we did” published",
            published,
            f"Published on {consultation.feedback_published_at:%-d %B %Y}."
            if published and consultation.feedback_published_at
            else "Not published yet.",
        )
    )
    return checks

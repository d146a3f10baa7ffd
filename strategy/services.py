"""Writes to strategies. Views and tasks call these; none re-implements them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from strategy import lifecycle
from strategy.models import Strategy, StrategyTransition, StrategyVersion
from strategy.snapshot import content_hash, strategy_content


@transaction.atomic
def version_create(
    *, strategy: Strategy, reason: str, by=None, note: str = ""
) -> StrategyVersion:
    """Freeze the strategy's current content into a new numbered version."""
    # Lock the strategy row so two requests cannot take the same number.
    Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
    content = strategy_content(strategy)
    last = strategy.versions.aggregate(n=Max("number"))["n"] or 0
    version = StrategyVersion(
        strategy=strategy,
        number=last + 1,
        reason=reason,
        content=content,
        content_hash=content_hash(content),
        created_by=by if by is not None and by.is_authenticated else None,
        note=note,
    )
    version.full_clean()
    version.save()
    return version


def version_latest(*, strategy: Strategy) -> StrategyVersion | None:
    return strategy.versions.order_by("-number").first()


def version_matching_current(*, strategy: Strategy) -> StrategyVersion | None:
    """The newest version whose content equals the strategy as it is now, if any."""
    latest = version_latest(strategy=strategy)
    if latest and latest.content_hash == content_hash(strategy_content(strategy)):
        return latest
    return None


@transaction.atomic
def strategy_transition(
    *, strategy: Strategy, to_status: str, by=None, note: str = ""
) -> StrategyTransition:
    """Move a strategy along its lifecycle, recording who, when and why.

    Sending for sign-off and publishing freeze a version. Publishing a strategy
    supersedes the partnership's previously published one.
    """
    locked = Strategy.objects.select_for_update().get(pk=strategy.pk)
    from_status = locked.status
    if not lifecycle.can_move(from_status, to_status):
        raise ValidationError(
            f"A strategy cannot move from {Strategy.Status(from_status).label.lower()} "
            f"to {Strategy.Status(to_status).label.lower()}."
        )
    if to_status == Strategy.Status.SIGN_OFF:
        version_create(strategy=locked, reason=StrategyVersion.Reason.SIGN_OFF, by=by, note=note)
    if to_status == Strategy.Status.PUBLISHED:
        version_create(
            strategy=locked, reason=StrategyVersion.Reason.PUBLICATION, by=by, note=note
        )
        previous = (
            Strategy.objects.select_for_update()
            .filter(partnership=locked.partnership_id, status=Strategy.Status.PUBLISHED)
            .exclude(pk=locked.pk)
        )
        for old in previous:
            _record(old, Strategy.Status.SUPERSEDED, by, f"Superseded by {locked.title}.")
    transition = _record(locked, to_status, by, note)
    strategy.status = locked.status
    return transition


def _record(strategy: Strategy, to_status: str, by, note: str) -> StrategyTransition:
    transition = StrategyTransition.objects.create(
        strategy=strategy,
        from_status=strategy.status,
        to_status=to_status,
        by=by if by is not None and by.is_authenticated else None,
        note=note,
    )
    strategy.status = to_status
    strategy.save(update_fields=["status", "updated_at"])
    return transition

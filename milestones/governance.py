"""The governance rule: a strategy is adopted, and published, only as every
board it was sent to for sign-off approved it.

`approval_refusals` is registered with `strategy.lifecycle` in
MilestonesConfig.ready(), so `strategy.services.strategy_transition` (the one
place a strategy moves) refuses adoption and publication without it, and
the strategy page shows its reasons instead of the button.

The rule, for every board on any of the strategy's sign-off routes:
- no step may still be waiting for a board's decision;
- the board's latest decision must be "approved" or "approved with
  conditions";
- and it must be bound to the content hash of the strategy as it is now: an
  approval of an earlier text does not approve a later one.
A strategy never sent for sign-off has no approval, so it cannot be adopted.
"""

from __future__ import annotations

from milestones.models import APPROVING_OUTCOMES, SignOffDecision, SignOffOutcome, SignOffRequest
from partnerships.models import Organisation
from strategy.duties import authority_label
from strategy.models import Strategy
from strategy.snapshot import content_hash, strategy_content

GOVERNED = (Strategy.Status.ADOPTED, Strategy.Status.PUBLISHED)

NOT_SENT = (
    "No board has been asked to approve this strategy: send it for sign-off, and adopt it "
    "once every board has approved it."
)


def approval_refusals(*, strategy: Strategy, to_status: str) -> list[str]:
    """Reasons the strategy may not be adopted or published now (none for
    any other move)."""
    if to_status not in GOVERNED:
        return []
    requests = list(
        SignOffRequest.objects.filter(strategy=strategy)
        .select_related(
            "board", "authority", "version", "previous_step__board", "previous_step__authority"
        )
        .order_by("requested_at", "step", "pk")
    )
    if not requests:
        if strategy.profile.authority_kinds:
            return [
                "No specified authority has been asked to sign off this strategy: send it to "
                f"each of them ({', '.join(strategy.profile.authority_labels)}) for sign-off, "
                "and adopt it once every one has approved it."
            ]
        return [NOT_SENT]
    # Each decider is a board, or an authority signing at a board.
    latest: dict[tuple[int, int | None], SignOffDecision] = {}
    decisions = (
        SignOffDecision.objects.filter(request__strategy=strategy)
        .select_related("version", "request")
        .order_by("decided_on", "recorded_at", "pk")
    )
    for decision in decisions:
        latest[_decider(decision.request)] = decision
    current = content_hash(strategy_content(strategy))

    reasons: list[str] = []
    undecided: set[tuple[int, int | None]] = set()
    for request in requests:
        if request.status == SignOffRequest.Status.PENDING:
            undecided.add(_decider(request))
            reasons.append(
                f"Waiting for a decision from {request.decider_name} on version "
                f"{request.version.number}."
            )
        elif request.status == SignOffRequest.Status.WAITING:
            undecided.add(_decider(request))
            reasons.append(
                f"{request.decider_name} will be asked about version {request.version.number} "
                f"once {request.previous_step.decider_name} approves it."
            )
    boards = {}
    for request in requests:
        boards.setdefault(_decider(request), request)
    for key, request in boards.items():
        board = request.board if not request.authority_id else request.authority
        if key in undecided:
            continue
        decision = latest.get(key)
        if decision is None:
            reasons.append(
                f"{board.name} has not decided on this strategy: its step was not reached "
                "because an earlier board did not approve. Send the current version for "
                "sign-off."
            )
        elif decision.outcome not in APPROVING_OUTCOMES:
            reasons.append(_not_approved(board.name, decision))
        elif decision.content_hash != current:
            reasons.append(_approved_earlier_text(board.name, decision, to_status))
    reasons.extend(_authority_refusals(strategy, latest, current, undecided))
    return reasons


def _decider(request: SignOffRequest) -> tuple[int, int | None]:
    return (request.board_id, request.authority_id)


def _authority_refusals(strategy, latest, current, undecided) -> list[str]:
    """For a kind of strategy the law has each named authority sign off (a
    serious violence strategy): one of the partnership's organisations of
    each kind must have approved the strategy as it is now."""
    kinds = strategy.profile.authority_kinds
    if not kinds:
        return []
    approved_kinds: set[str] = set()
    organisations = {
        o.pk: o for o in Organisation.objects.filter(partnership=strategy.partnership_id)
    }
    asked_kinds = {
        organisations[key[1]].kind for key in undecided
        if key[1] is not None and key[1] in organisations
    }
    for (_board, authority_id), decision in latest.items():
        if authority_id is None or authority_id not in organisations:
            continue
        if decision.outcome in APPROVING_OUTCOMES and decision.content_hash == current:
            approved_kinds.add(organisations[authority_id].kind)
    present = {o.kind for o in organisations.values()}
    reasons = []
    for kind in kinds:
        if kind in approved_kinds or kind in asked_kinds:
            continue
        label = authority_label(kind)
        if kind not in present:
            reasons.append(
                f"The partnership has no organisation recorded as {label}, which must sign "
                f"off the {strategy.profile.document_name}: add it to the partnership's "
                "organisations and send the strategy to it for sign-off."
            )
        else:
            reasons.append(
                f"{label[:1].upper()}{label[1:]} has not signed off the "
                f"{strategy.profile.document_name} as it is now: send the current version "
                "to it for sign-off."
            )
    return reasons


def approval_date_floor(*, strategy: Strategy, to_status: str) -> list[tuple]:
    """A strategy is adopted no earlier than the last board approved it: for
    an adoption recorded afterwards, the date it happened is checked
    against the boards' decisions (registered with strategy.lifecycle)."""
    if to_status != Strategy.Status.ADOPTED:
        return []
    last = (
        SignOffDecision.objects.filter(
            request__strategy=strategy, outcome__in=APPROVING_OUTCOMES
        )
        .select_related("request__board")
        .order_by("-decided_on", "-pk")
        .first()
    )
    if last is None:
        return []
    return [(last.decided_on, f"when {last.request.board.name} approved it")]


def _version(decision: SignOffDecision) -> str:
    if decision.version is not None:
        return f"version {decision.version.number}"
    return f"the version with hash {decision.short_hash}"


def _not_approved(board: str, decision: SignOffDecision) -> str:
    when = f"{decision.decided_on:%-d %B %Y}"
    if decision.outcome == SignOffOutcome.DEFERRED:
        return (
            f"{board} deferred its decision on {_version(decision)} on {when}: send the "
            "strategy for sign-off again when the board is ready to decide."
        )
    return (
        f"{board} rejected {_version(decision)} on {when}: revise the strategy and send it "
        "for sign-off again."
    )


def _approved_earlier_text(board: str, decision: SignOffDecision, to_status: str) -> str:
    if to_status == Strategy.Status.PUBLISHED:
        return (
            f"{board} approved {_version(decision)}, but the strategy's content has changed "
            "since: only the text the boards approved can be published."
        )
    return (
        f"{_version(decision).capitalize()} was approved by {board}, but the strategy has "
        "changed since: send the current version for sign-off."
    )

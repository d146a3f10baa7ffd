"""The strategy lifecycle: which status may follow which, and what must be
true before a move is made.

planning → drafting → consultation → sign-off → adopted → published → superseded,
with the steps back that real processes need (a draft goes back to drafting
after consultation, or when a board rejects it).

`refusals(strategy, to_status)` is the one check of a move: the service
`strategy_transition` refuses a move it returns reasons for, and the strategy
page uses it to offer only the moves that would be accepted and to say why
the others are not. Apps above strategy add their own conditions with
`register_guard` (milestones adds the boards' approval in its AppConfig), so
strategy never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from strategy.models import Strategy

S = Strategy.Status

ALLOWED: dict[str, tuple[str, ...]] = {
    S.PLANNING: (S.DRAFTING,),
    S.DRAFTING: (S.PLANNING, S.CONSULTATION, S.SIGN_OFF),
    S.CONSULTATION: (S.DRAFTING, S.SIGN_OFF),
    S.SIGN_OFF: (S.DRAFTING, S.ADOPTED),
    S.ADOPTED: (S.PUBLISHED,),
    S.PUBLISHED: (S.SUPERSEDED,),
    S.SUPERSEDED: (),
}

# Moves an officer makes from the strategy page. Superseding happens only when
# a newer strategy is published.
OFFICER_CHOICES: dict[str, tuple[str, ...]] = {
    status: tuple(t for t in targets if t != S.SUPERSEDED) for status, targets in ALLOWED.items()
}

# Moves that cannot be taken back: the officer confirms them on a page of their own.
IRREVERSIBLE: tuple[str, ...] = (S.ADOPTED, S.PUBLISHED)

# Moves that need the boards' approval of the content. Strategy does not hold
# the governance record, so a move here with no guard registered is refused
# rather than let through unchecked.
GOVERNED: tuple[str, ...] = (S.ADOPTED, S.PUBLISHED)

# A label says where the strategy goes, so it differs for moving forward
# (planning → drafting: "Start drafting") and going back ("Return to drafting").
FORWARD_LABELS: dict[str, str] = {
    S.DRAFTING: "Start drafting",
    S.CONSULTATION: "Start consultation",
    S.SIGN_OFF: "Send for sign-off",
    S.ADOPTED: "Mark as adopted",
    S.PUBLISHED: "Publish",
    S.SUPERSEDED: "Supersede",
}
BACK_LABELS: dict[str, str] = {
    S.PLANNING: "Return to planning",
    S.DRAFTING: "Return to drafting",
    S.CONSULTATION: "Return to consultation",
    S.SIGN_OFF: "Return to sign-off",
}

Guard = Callable[..., Iterable[str]]
"""guard(*, strategy, to_status) -> reasons to refuse the move (none to allow it)."""

_GUARDS: list[Guard] = []


def register_guard(guard: Guard) -> None:
    """Add a condition to every move. Registering the same guard twice (an
    AppConfig.ready() run again) keeps one."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)


DateFloor = Callable[..., Iterable[tuple[dt.date, str]]]
"""floor(*, strategy, to_status) -> (date, what happened then) pairs: a move
to `to_status` cannot have happened before any of those dates."""

_FLOORS: list[DateFloor] = []


def register_date_floor(floor: DateFloor) -> None:
    """Add a date a move cannot precede (milestones adds the boards'
    approval before adoption). Registering the same floor twice keeps one."""
    if floor not in _FLOORS:
        _FLOORS.append(floor)


def date_floors(strategy: Strategy, to_status: str) -> list[tuple[dt.date, str]]:
    """The dates a move to `to_status` cannot be dated before: the step
    before it, and whatever other apps registered."""
    floors: list[tuple[dt.date, str]] = []
    last = strategy.transitions.order_by("-at", "-pk").first()
    if last is not None:
        floors.append((
            last.happened_on,
            f"when the strategy moved to {S(last.to_status).label.lower()}",
        ))
    for floor in _FLOORS:
        floors.extend(floor(strategy=strategy, to_status=to_status))
    return floors


def date_refusal(
    strategy: Strategy, to_status: str, happened_on: dt.date, *, today: dt.date
) -> str:
    """Why a move cannot be dated `happened_on`, or "" when it can: not in
    the future, and not before the step before it."""
    if happened_on > today:
        return "The date it happened must be today or in the past"
    floors = [f for f in date_floors(strategy, to_status) if f[0] > happened_on]
    if floors:
        day, what = max(floors, key=lambda f: f[0])
        return f"The date it happened must be on or after {day:%-d %B %Y}, {what}"
    return ""


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED.get(from_status, ())


def refusals(strategy: Strategy, to_status: str) -> list[str]:
    """Why the strategy cannot move to `to_status` now; empty when it can."""
    if to_status not in S.values:
        return [f"“{to_status}” is not a status a strategy can have."]
    if not can_move(strategy.status, to_status):
        return [
            f"A strategy cannot move from {S(strategy.status).label.lower()} "
            f"to {S(to_status).label.lower()}."
        ]
    if to_status in GOVERNED and not _GUARDS:
        return [
            "The boards' approval of this strategy cannot be checked, so it cannot be "
            f"{S(to_status).label.lower()}: the governance part of the service is not installed."
        ]
    reasons: list[str] = []
    for guard in _GUARDS:
        reasons.extend(guard(strategy=strategy, to_status=to_status))
    return reasons


def action_label(from_status: str, to_status: str) -> str:
    if _rank(to_status) > _rank(from_status):
        return FORWARD_LABELS[to_status]
    return BACK_LABELS[to_status]


def next_steps(status: str) -> list[tuple[str, str]]:
    """(status, button label) pairs an officer may choose next, whatever the
    guards say (see `options` for those)."""
    # Going "back" is listed after going forward, so the main action comes first.
    forward = [t for t in OFFICER_CHOICES.get(status, ()) if _rank(t) > _rank(status)]
    back = [t for t in OFFICER_CHOICES.get(status, ()) if _rank(t) < _rank(status)]
    return [(t, action_label(status, t)) for t in forward + back]


@dataclass
class Option:
    """A move the officer may be offered from the strategy page."""

    to_status: str
    label: str
    forward: bool
    irreversible: bool
    refusals: list[str] = field(default_factory=list)

    @property
    def offered(self) -> bool:
        return not self.refusals


def options(strategy: Strategy) -> list[Option]:
    """The officer's next steps, each with the reasons it would be refused."""
    return [
        Option(
            to_status=to_status,
            label=label,
            forward=_rank(to_status) > _rank(strategy.status),
            irreversible=to_status in IRREVERSIBLE,
            refusals=refusals(strategy, to_status),
        )
        for to_status, label in next_steps(strategy.status)
    ]


def _rank(status: str) -> int:
    return list(S.values).index(status)

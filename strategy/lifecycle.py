"""The strategy lifecycle: which status may follow which.

planning → drafting → consultation → sign-off → adopted → published → superseded,
with the steps back that real processes need (a draft goes back to drafting
after consultation, or when a board rejects it).
"""

from __future__ import annotations

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

ACTION_LABELS: dict[str, str] = {
    S.PLANNING: "Return to planning",
    S.DRAFTING: "Return to drafting",
    S.CONSULTATION: "Start consultation",
    S.SIGN_OFF: "Send for sign-off",
    S.ADOPTED: "Mark as adopted",
    S.PUBLISHED: "Publish",
    S.SUPERSEDED: "Supersede",
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED.get(from_status, ())


def next_steps(status: str) -> list[tuple[str, str]]:
    """(status, button label) pairs an officer may choose next."""
    # Going "back" is listed after going forward, so the main action comes first.
    forward = [t for t in OFFICER_CHOICES.get(status, ()) if _rank(t) > _rank(status)]
    back = [t for t in OFFICER_CHOICES.get(status, ()) if _rank(t) < _rank(status)]
    return [(t, ACTION_LABELS[t]) for t in forward + back]


def _rank(status: str) -> int:
    return list(S.values).index(status)

"""Builders for sign-off tests: a strategy with content, a board with voting
members, and helpers that record reviews."""

from __future__ import annotations

from milestones.models import ReviewPosition
from milestones.services import signoff_review
from partnerships.models import BoardMembership
from tests import factories


def board_with_members(partnership, *, quorum=2, voters=3, secretary=True, observer=True):
    """A board whose chair is the first voter."""
    board = factories.BoardFactory(partnership=partnership, quorum=quorum)
    people = {"voters": []}
    for i in range(voters):
        role = BoardMembership.Role.CHAIR if i == 0 else BoardMembership.Role.MEMBER
        people["voters"].append(factories.BoardMembershipFactory(board=board, role=role).user)
    people["chair"] = people["voters"][0]
    people["member"] = people["voters"][1] if voters > 1 else None
    if secretary:
        people["secretary"] = factories.BoardMembershipFactory(
            board=board, role=BoardMembership.Role.SECRETARY
        ).user
    if observer:
        people["observer"] = factories.BoardMembershipFactory(
            board=board, role=BoardMembership.Role.OBSERVER
        ).user
    return board, people


def strategy_with_content(partnership, *, priorities=2):
    strategy = factories.StrategyFactory(partnership=partnership, status="drafting")
    for _ in range(priorities):
        measure = factories.MeasureFactory(
            objective__priority__strategy=strategy,
        )
        assert measure.objective.priority.strategy == strategy
    return strategy


def review_all(request, voters, position=ReviewPosition.SUPPORT):
    for user in voters:
        signoff_review(request=request, reviewer=user, position=position,
                       comment="" if position == ReviewPosition.SUPPORT else "Comment")

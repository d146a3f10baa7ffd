"""A board's approval recorded from its minutes, for benchmarks that publish
strategies of their own (scripts/benchmark_pdf.py). The national volume for
`make bench` is `manage.py load_volume` (safermk/volume.py)."""

from __future__ import annotations

import datetime as dt

from strategy import services
from strategy.models import Strategy


def approve_from_minutes(strategy: Strategy) -> None:
    """Record a board's approval of the strategy as it is now, as from its
    minutes: a strategy is adopted only as its boards approved it. The board
    and its chair are made for the benchmark if the partnership has none."""
    from django.contrib.auth import get_user_model

    from milestones.models import SignOffOutcome
    from milestones.services import signoff_record_past
    from partnerships.models import Board, BoardMembership

    membership = BoardMembership.objects.filter(
        board__partnership=strategy.partnership_id, role=BoardMembership.Role.CHAIR
    ).select_related("board", "user").first()
    if membership is None:
        board = Board.objects.create(
            partnership=strategy.partnership, name="Partnership Board",
            slug="partnership-board", quorum=1,
        )
        chair = get_user_model().objects.create(username=f"{strategy.partnership.slug}-chair")
        membership = BoardMembership.objects.create(
            board=board, user=chair, role=BoardMembership.Role.CHAIR
        )
    version = services.version_matching_current(strategy=strategy) or services.version_create(
        strategy=strategy, reason="sign_off"
    )
    signoff_record_past(
        board=membership.board, version=version, by=membership.user,
        outcome=SignOffOutcome.APPROVED, decided_on=dt.date(2024, 3, 1),
        minute_reference="PB/2024/03/1",
    )

"""Signals strategy sends so that apps above it can react without strategy
importing them."""

from django.dispatch import Signal

version_published = Signal()
"""Sent once the transaction that published a strategy has committed, with
`version`: the PUBLICATION StrategyVersion frozen for it (and `sender`:
StrategyVersion). Receivers run after commit, so they see the committed
rows; it is sent with send_robust, so a failing receiver is logged by Django
and never undoes or fails the publication."""

strategy_transitioned = Signal()
"""Sent by strategy_transition inside its transaction, once the move is
recorded, with `strategy` and `transition` (the StrategyTransition row:
from/to status, who, when); `sender` is Strategy. Sent with send_robust:
a failing receiver is logged and never stops the transition, so receivers
that write should do so in a savepoint (transaction.atomic)."""

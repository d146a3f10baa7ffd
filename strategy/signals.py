"""Signals strategy sends so that apps above it can react without strategy
importing them."""

from django.dispatch import Signal

version_published = Signal()
"""Sent once the transaction that published a strategy has committed, with
`version`: the PUBLICATION StrategyVersion frozen for it (and `sender`:
StrategyVersion). Receivers run after commit, so they see the committed
rows; it is sent with send_robust, so a failing receiver is logged by Django
and never undoes or fails the publication."""

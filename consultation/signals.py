"""Signals consultation sends so that apps above it (a strategy's plan) can
react without consultation importing them.

The first two are sent by consultation_advance, the one place a consultation's
stored status moves (whether an officer schedules or closes it, or the
periodic task follows the clock), inside its transaction, with
`consultation` and `sender` Consultation. They are sent with send_robust:
a failing receiver is logged and never stops the consultation opening or
closing, so receivers that write should do so in a savepoint
(transaction.atomic).
"""

from django.dispatch import Signal

consultation_opened = Signal()
"""The consultation opened (`consultation.opened_at` says when)."""

consultation_closed = Signal()
"""The consultation closed (`consultation.closed_at` says when)."""

consultation_results_published = Signal()
"""Its "you said, we did" was published (`consultation.feedback_published_at`
says when). Sent by consultation_publish_feedback inside its transaction."""


def send_advanced(*, consultation, before: str, after: str) -> None:
    """Send what a move of the stored status from `before` to `after` means.
    A consultation the clock takes straight from scheduled to closed both
    opened and closed."""
    from consultation.models import Consultation

    S = Consultation.Status
    if before in (S.DRAFT, S.SCHEDULED) and after in (S.OPEN, S.CLOSED):
        consultation_opened.send_robust(sender=Consultation, consultation=consultation)
    if before != S.CLOSED and after == S.CLOSED:
        consultation_closed.send_robust(sender=Consultation, consultation=consultation)

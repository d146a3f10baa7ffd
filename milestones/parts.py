"""A person's part in a sign-off, worked out once.

The list of board reviews, the sign-off page and the dashboard's "What needs
doing" all say what a person has to do about a sign-off. They read it from
here, so they can never disagree (for example "3 of 3 reviews are in" next to
"your review is awaited").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from milestones.models import SignOffReview
from milestones.services import VOTING_ROLES
from partnerships.models import BoardMembership


class Part:
    DECIDE = "decide"
    REVIEW = "review"
    REVIEWED = "reviewed"
    QUORATE = "quorate"
    WAITING = "waiting"
    INFORMATION = "information"
    EARLIER = "earlier"
    CLOSED = "closed"

    LABELS = {
        DECIDE: "Decision to record",
        REVIEW: "Review needed",
        REVIEWED: "You have reviewed",
        QUORATE: "Enough reviews are in",
        WAITING: "Waiting for reviews",
        INFORMATION: "For information",
        EARLIER: "Waiting for an earlier board",
        CLOSED: "No longer before the board",
    }
    # Parts that ask the person to act now.
    ACTION = (DECIDE, REVIEW)


@dataclass(frozen=True)
class Standing:
    """Where a sign-off stands for one person."""

    part: str
    reviews_in: int
    quorum: int
    has_reviewed: bool
    # For a step one authority takes (serious violence strategy): its name.
    authority_name: str = ""

    @property
    def label(self) -> str:
        return Part.LABELS[self.part]

    @property
    def quorate(self) -> bool:
        return self.reviews_in >= self.quorum

    @property
    def needs_action(self) -> bool:
        return self.part in Part.ACTION

    @property
    def reviews_sentence(self) -> str:
        return f"{self.reviews_in} of the {self.quorum} reviews needed for a decision are in"

    @property
    def sentence(self) -> str:
        """The one sentence that tells this person what is asked of them."""
        if self.authority_name and self.part == Part.DECIDE:
            return (
                f"You represent {self.authority_name} on this board: record its sign-off of "
                "this version."
            )
        if self.authority_name and self.part == Part.INFORMATION:
            return (
                f"For information: the representative of {self.authority_name} records its "
                "sign-off."
            )
        if self.part == Part.DECIDE:
            extra = "" if self.has_reviewed else " Your own review is not needed for the quorum."
            return (
                f"Enough reviews are in ({self.reviews_in} of {self.quorum}): record the board's "
                f"decision.{extra}"
            )
        if self.part == Part.REVIEW:
            return (
                f"Your review is awaited. {self.reviews_sentence}; "
                f"{self.quorum - self.reviews_in} more needed."
            )
        if self.part == Part.REVIEWED:
            if self.quorate:
                return (
                    "You have reviewed this version. Enough reviews are in for the board "
                    "to decide."
                )
            return f"You have reviewed this version. {self.reviews_sentence}."
        if self.part == Part.QUORATE:
            return (
                f"Enough reviews are in ({self.reviews_in} of {self.quorum}) for the board to "
                "decide. You may still add your review."
            )
        if self.part == Part.WAITING:
            return f"Waiting for reviews before the board can decide: {self.reviews_sentence}."
        if self.part == Part.EARLIER:
            return "The board will be asked once the boards before it on the route have approved."
        if self.part == Part.CLOSED:
            return "This sign-off is no longer before the board."
        return f"For information. {self.reviews_sentence}."


def standing(
    *,
    pending: bool,
    membership: BoardMembership | None,
    reviews_in: int,
    quorum: int,
    has_reviewed: bool,
    waiting_for_earlier: bool = False,
    authority=None,
) -> Standing:
    """A person's part in a sign-off: `membership` is theirs on the board
    asked (None for an officer who is not on it), `reviews_in` the reviews
    of the version now asked that count towards the quorum, `has_reviewed`
    whether theirs is one of them."""
    quorate = reviews_in >= quorum
    if authority is not None:
        # One authority signs for itself: its representative decides, no quorum.
        if waiting_for_earlier:
            part = Part.EARLIER
        elif not pending:
            part = Part.CLOSED
        elif (
            membership is not None
            and membership.organisation_id == authority.pk
            and membership.role != BoardMembership.Role.OBSERVER
        ):
            part = Part.DECIDE
        else:
            part = Part.INFORMATION
        return Standing(part, reviews_in, 0, has_reviewed, authority.name)
    if waiting_for_earlier:
        part = Part.EARLIER
    elif not pending:
        part = Part.CLOSED
    elif membership is None:
        part = Part.INFORMATION
    elif membership.can_record_decision and quorate:
        part = Part.DECIDE
    elif membership.can_vote and has_reviewed:
        part = Part.REVIEWED
    elif membership.can_vote and not quorate:
        part = Part.REVIEW
    elif membership.can_vote:
        part = Part.QUORATE
    elif membership.can_record_decision:
        part = Part.WAITING
    else:
        part = Part.INFORMATION
    return Standing(part, reviews_in, quorum, has_reviewed)


def current_reviewers(requests) -> dict[int, set[int]]:
    """For each sign-off request, the chair and members of its board whose
    review of the version now asked is in (what counts towards the quorum,
    as services.signoff_quorum counts it): one query for any number."""
    result: dict[int, set[int]] = {r.pk: set() for r in requests}
    if not result:
        return result
    rows = (
        SignOffReview.objects.filter(
            request_id__in=list(result),
            content_hash=F("request__content_hash"),
            reviewer__board_memberships__board_id=F("request__board_id"),
            reviewer__board_memberships__role__in=VOTING_ROLES,
        )
        .values_list("request_id", "reviewer_id")
        .distinct()
    )
    for request_id, reviewer_id in rows:
        result[request_id].add(reviewer_id)
    return result

"""Writes to reviews, recommendations, actions and ASB case review returns.

Each validates with full_clean() inside a transaction. A change of an
action's status, a review's publication and a change of a year's ASB
figures are written to the audit trail; a change that can make a reminder
due asks for a scan after commit.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import Action as AuditAction
from audit.services import audit_record
from partnerships.models import Partnership
from reminders.tasks import enqueue_scan
from reviews.models import Action, AsbCaseReviewReturn, Recommendation, Review

REVIEW_FIELDS = ("kind", "title", "started_on", "status", "sent_to_home_office_on",
                 "published_on", "published_url")
ACTION_FIELDS = ("description", "owner", "due_on", "priority")
PROGRESS_FIELDS = ("status", "done_on", "evidence")
ASB_FIELDS = ("year", "applications", "threshold_not_met", "reviews_held",
              "reviews_with_recommendations", "referred_to_policing_body", "publish_on")


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _set(obj, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(obj, name, value)


# Reviews ---------------------------------------------------------------------


@transaction.atomic
def review_create(*, partnership: Partnership, by=None, **fields) -> Review:
    review = Review(partnership=partnership, created_by=_user(by))
    _set(review, fields, REVIEW_FIELDS)
    review.full_clean()
    review.save()
    if review.status == Review.Status.PUBLISHED:
        _audit_publication(review, by)
    return review


@transaction.atomic
def review_update(*, review: Review, by=None, **fields) -> Review:
    was = review.status
    _set(review, fields, REVIEW_FIELDS)
    review.full_clean()
    review.save()
    if review.status != was:
        if review.status == Review.Status.PUBLISHED:
            _audit_publication(review, by)
        else:
            audit_record(
                action=AuditAction.TRANSITION, partnership=review.partnership_id, actor=by,
                target=review,
                summary=f"{review.title}: {Review.Status(was).label} → "
                        f"{review.get_status_display()}",
            )
    return review


def _audit_publication(review: Review, by) -> None:
    audit_record(
        action=AuditAction.PUBLICATION, partnership=review.partnership_id, actor=by,
        target=review, summary=f"{review.title} published on {review.published_on:%-d %B %Y}",
    )


@transaction.atomic
def recommendation_add(*, review: Review, number: int, text: str) -> Recommendation:
    row = Recommendation(review=review, number=number, text=(text or "").strip())
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def recommendation_update(*, recommendation: Recommendation, number: int,
                          text: str) -> Recommendation:
    recommendation.number = number
    recommendation.text = (text or "").strip()
    recommendation.full_clean()
    recommendation.save()
    return recommendation


# Actions ---------------------------------------------------------------------


@transaction.atomic
def action_create(*, partnership: Partnership, source, by=None, **fields) -> Action:
    """An action answering `source`: a review's Recommendation or a
    recommendation of the local policing body."""
    action = Action(partnership=partnership, created_by=_user(by), updated_by=_user(by))
    if isinstance(source, Recommendation):
        action.recommendation = source
    else:
        action.policing_recommendation = source
    _set(action, fields, ACTION_FIELDS)
    action.full_clean()
    action.save()
    enqueue_scan()
    return action


@transaction.atomic
def action_update(*, action: Action, by=None, **fields) -> Action:
    """An officer's change of what the action is, who owns it and when it is due."""
    _set(action, fields, ACTION_FIELDS)
    action.updated_by = _user(by)
    action.full_clean()
    action.save()
    enqueue_scan()
    return action


@transaction.atomic
def action_progress(*, action: Action, status: str, done_on: dt.date | None = None,
                    evidence: str = "", by=None) -> Action:
    """Progress on an action: in progress, or done with the date and evidence.
    Reopening clears the date done (the evidence stays, for the record)."""
    was = action.status
    if status != Action.Status.DONE:
        done_on = None
    _set(action, {"status": status, "done_on": done_on, "evidence": evidence or ""},
         PROGRESS_FIELDS)
    action.updated_by = _user(by)
    action.full_clean()
    action.save()
    if action.status != was:
        summary = f"Action “{action}”: {Action.Status(was).label} → {action.get_status_display()}"
        if action.status == Action.Status.DONE:
            summary += f" on {action.done_on:%-d %B %Y}"
        audit_record(action=AuditAction.TRANSITION, partnership=action.partnership_id,
                     actor=by, target=action, summary=summary)
    return action


# ASB case review returns -------------------------------------------------------


def asb_return_save(*, partnership: Partnership, instance: AsbCaseReviewReturn | None = None,
                    by=None, **fields) -> AsbCaseReviewReturn:
    """Record or correct a year's figures. Two officers recording the same
    year at once: the database's unique constraint decides, and the loser
    gets the same message as full_clean() gives."""
    row = instance or AsbCaseReviewReturn(partnership=partnership)
    _set(row, fields, ASB_FIELDS)
    row.updated_by = _user(by)
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
            audit_record(
                action=AuditAction.PUBLICATION, partnership=partnership.pk, actor=by, target=row,
                summary=f"ASB case review figures for {row.short_period} recorded, public "
                        f"from {row.publish_on:%-d %B %Y}",
            )
            enqueue_scan()
    except IntegrityError:
        raise ValidationError(
            {"year": "The partnership already has figures for this year"}
        ) from None
    return row

"""The kinds of reminder. Each has a label people choose in their preferences.

Kinds for objects built elsewhere (sign-offs, consultations, retention) are
listed already so that preferences and the unique key never change when their
sources are added to reminders.sources.SOURCES.
"""

from django.db import models


class Kind(models.TextChoices):
    MILESTONE = "milestone", "Milestones due soon or late"
    MEASURE_UPDATE = "measure_update", "Performance measure updates due or late"
    ASSESSMENT_DUE = "assessment_due", "Annual strategic assessment due"
    REFRESH_DUE = "refresh_due", "Annual refresh of the strategy due"
    RENEWAL_DUE = "renewal_due", "Three-year strategy renewal due"
    SV_REVIEW_DUE = "sv_review_due", "Annual review of the serious violence strategy due"
    SIGNOFF_REVIEW = "signoff_review", "Sign-offs awaiting your review"
    SIGNOFF_DECISION = "signoff_decision", "Sign-offs awaiting the board's decision"
    CONSULTATION = "consultation", "Consultations opening, closing and closed"
    RETENTION = "retention", "Consultation responses due for deletion"
    REVIEW_ACTION = "review_action", "Actions from reviews due soon or late"
    ASB_RETURN = "asb_return", "ASB case review figures due for publication"

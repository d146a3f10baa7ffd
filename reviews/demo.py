"""Demo reviews: a Domestic Abuse Related Death Review awaiting the Home
Office's quality assurance, with its recommendations followed as actions
(some done, one late, one due soon), an action answering the local policing
body's recommendation, and the ASB case review figures of the last three
years, the latest to be published in ten days.

Dated from the day of loading, so the tracker, the board report and the
reminders read as current. Loading again on the same day changes nothing
(officers' edits stay); on another day the demo partnership's reviews,
actions and figures are replaced (a handful of rows).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from partnerships.models import Organisation, Partnership, PolicingRecommendation
from reviews.models import Action, AsbCaseReviewReturn, Recommendation, Review
from safermk.democlock import at, moment
from strategy.models import Strategy

RECOMMENDATIONS = [
    "Agencies should share information about domestic abuse concerns with GP practices "
    "within one working day.",
    "The partnership should run a campaign so that family, friends and colleagues know how "
    "to recognise coercive control and where to get help.",
    "Probation should check for domestic abuse indicators at every change of supervising "
    "officer.",
]

# recommendation number, action, owner short name, due (days from today),
# status, done (days from today), evidence
ACTIONS = [
    (1, "Agree an information-sharing protocol with GP practices and train safeguarding leads.",
     "MK Council", -60, Action.Status.DONE, -75,
     "Protocol signed by all GP practices; 42 safeguarding leads trained (training register)."),
    (1, "Add a domestic abuse flag to the police referral form sent to GP practices.",
     "TVP", -20, Action.Status.IN_PROGRESS, None, ""),
    (2, "Run the “Know the signs” coercive control campaign in the area.",
     "MK Council", 45, Action.Status.IN_PROGRESS, None, ""),
    (3, "Add a domestic abuse indicators check to the probation case transfer checklist.",
     "Probation", -10, Action.Status.DONE, -30,
     "Checklist updated and issued to all teams; audited in the quarterly case file audit."),
    (3, "Audit 20 transferred cases for the new domestic abuse check.",
     "Probation", 7, Action.Status.NOT_STARTED, None, ""),
]

ASB_FIGURES = [
    # years before the latest ended year: applications, not met, reviews, with recommendations,
    # referred to the policing body
    (2, 14, 5, 9, 6, None),
    (1, 11, 3, 8, 5, None),
    (0, 17, 6, 10, 7, 2),
]


def last_ended_year(today: dt.date) -> int:
    """The latest year from 1 April that has ended by `today`."""
    return today.year - 1 if today.month >= 4 else today.year - 2


def load(partnership: Partnership, today: dt.date) -> None:
    started = today - dt.timedelta(days=420)
    if Review.objects.filter(partnership=partnership, kind=Review.Kind.DARDR,
                             started_on=started).exists():
        return  # loaded for this day already
    officer = get_user_model().objects.filter(username="officer").first()
    Action.objects.filter(partnership=partnership).delete()
    Review.objects.filter(partnership=partnership).delete()
    AsbCaseReviewReturn.objects.filter(partnership=partnership).delete()
    orgs = {o.short_name: o for o in Organisation.objects.filter(partnership=partnership)}

    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    review = Review.objects.create(
        partnership=partnership, kind=Review.Kind.DARDR,
        title=f"DARDR {started.year}/01 (Adult A)", started_on=started,
        status=Review.Status.AWAITING_QA, sent_to_home_office_on=day(-90), created_by=officer,
    )
    recommendations = {
        n: Recommendation.objects.create(review=review, number=n, text=text)
        for n, text in enumerate(RECOMMENDATIONS, start=1)
    }
    current = Strategy.objects.filter(
        partnership=partnership, status=Strategy.Status.PUBLISHED
    ).first()
    priority = current.priorities.order_by("order", "pk").first() if current else None
    rows = [
        Action(
            partnership=partnership, recommendation=recommendations[number], description=text,
            owner=orgs[owner], due_on=day(due), status=status,
            done_on=day(done) if done is not None else None, evidence=evidence,
            priority=priority, created_by=officer, updated_by=officer,
        )
        for number, text, owner, due, status, done, evidence in ACTIONS
    ]
    policing = PolicingRecommendation.objects.filter(partnership=partnership).order_by(
        "received_on").first()
    if policing is not None:
        rows.append(Action(
            partnership=partnership, policing_recommendation=policing,
            description="Add a rural crime objective under the neighbourhood priority of the "
                        "annual refresh.",
            owner=orgs["TVP"], due_on=day(-100), status=Action.Status.DONE, done_on=day(-120),
            evidence="Objective agreed by the Risk Board and included in the refresh.",
            created_by=officer, updated_by=officer,
        ))
    # Checked as on the day of loading (which may be a planned day).
    with at(moment(today)):
        for row in rows:
            row.full_clean()
    Action.objects.bulk_create(rows)
    latest = last_ended_year(today)
    returns = []
    for back, applications, not_met, held, with_recs, referred in ASB_FIGURES:
        year = latest - back
        publish_on = day(10) if back == 0 else dt.date(year + 1, 6, 30)
        returns.append(AsbCaseReviewReturn(
            partnership=partnership, year=year, applications=applications,
            threshold_not_met=not_met, reviews_held=held, reviews_with_recommendations=with_recs,
            referred_to_policing_body=referred, publish_on=publish_on, updated_by=officer,
        ))
    with at(moment(today)):
        for row in returns:
            row.full_clean()
    AsbCaseReviewReturn.objects.bulk_create(returns)

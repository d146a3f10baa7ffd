from django.urls import path

from milestones import views

app_name = "milestones"
urlpatterns = [
    # Officers: the plan of a strategy and its milestones.
    path("strategies/<slug:strategy>/plan/", views.plan, name="plan"),
    path("strategies/<slug:strategy>/plan/generate/", views.plan_generate, name="plan_generate"),
    path("strategies/<slug:strategy>/sign-offs/new/", views.signoff_new, name="signoff_new"),
    path("milestones/<int:milestone>/", views.milestone_detail, name="milestone"),
    path("milestones/<int:milestone>/edit/", views.milestone_edit, name="milestone_edit"),
    path(
        "milestones/<int:milestone>/reschedule/",
        views.milestone_reschedule,
        name="milestone_reschedule",
    ),
    path("milestones/<int:milestone>/status/", views.milestone_status, name="milestone_status"),
    # Board members.
    path("board-reviews/", views.reviews, name="reviews"),
    path("board-reviews/decisions/", views.decisions, name="decisions"),
    path("sign-offs/<int:signoff>/", views.signoff_detail, name="signoff"),
    path("sign-offs/<int:signoff>/review/", views.signoff_review, name="signoff_review"),
    path("sign-offs/<int:signoff>/decision/", views.signoff_decide, name="signoff_decide"),
    # Anyone: which version each board approved.
    path("strategies/<slug:strategy>/approvals/", views.approvals, name="approvals"),
    # Calendar: the page is signed in; the feed is opened by a calendar app
    # with the secret in its address.
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/new-address/", views.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/<str:feed_token>.ics", views.calendar_feed, name="calendar_feed"),
]

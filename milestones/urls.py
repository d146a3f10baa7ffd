from django.urls import path

from milestones import template_views, views

app_name = "milestones"
T = "manage/plan-templates/<slug:partnership>/<int:plan_template>/"
urlpatterns = [
    # Officers: the plan of a strategy and its milestones.
    path("strategies/<slug:strategy>/plan/", views.plan, name="plan"),
    path("strategies/<slug:strategy>/plan/generate/", views.plan_generate, name="plan_generate"),
    path("strategies/<slug:strategy>/sign-offs/new/", views.signoff_new, name="signoff_new"),
    path("strategies/<slug:strategy>/sign-offs/from-minutes/", views.signoff_record_minutes,
         name="signoff_record_minutes"),
    path("milestones/<int:milestone>/", views.milestone_detail, name="milestone"),
    path("milestones/<int:milestone>/edit/", views.milestone_edit, name="milestone_edit"),
    path(
        "milestones/<int:milestone>/reschedule/",
        views.milestone_reschedule,
        name="milestone_reschedule",
    ),
    path("milestones/<int:milestone>/status/", views.milestone_status, name="milestone_status"),
    path("milestones/<int:milestone>/done-on/", views.milestone_done_on,
         name="milestone_done_on"),
    # Officers: the partnership's plan templates.
    path("manage/plan-templates/<slug:partnership>/", template_views.plan_templates,
         name="plan_templates"),
    path(T, template_views.plan_template, name="plan_template"),
    path(T + "edit/", template_views.plan_template_edit, name="plan_template_edit"),
    path(T + "copy/", template_views.plan_template_copy, name="plan_template_copy"),
    path(T + "default/", template_views.plan_template_default, name="plan_template_default"),
    path(T + "steps/new/", template_views.template_step_new, name="template_step_new"),
    path(T + "steps/<int:step>/edit/", template_views.template_step_edit,
         name="template_step_edit"),
    path(T + "steps/<int:step>/remove/", template_views.template_step_delete,
         name="template_step_delete"),
    path(T + "steps/<int:step>/move/", template_views.template_step_move,
         name="template_step_move"),
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

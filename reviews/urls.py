from django.urls import path

from reviews import views

app_name = "reviews"

P = "manage/partnership/<slug:partnership>/"
R = P + "reviews/<int:review>/"

urlpatterns = [
    path(P + "actions/", views.actions, name="actions"),
    path(P + "actions/new/", views.action_new, name="action_new"),
    path(P + "actions/board-report/", views.board_report, name="board_report"),
    path(P + "actions/<int:action>/", views.action, name="action"),
    path(P + "actions/<int:action>/edit/", views.action_edit, name="action_edit"),
    path(P + "reviews/", views.reviews, name="reviews"),
    path(P + "reviews/new/", views.review_new, name="review_new"),
    path(R, views.review, name="review"),
    path(R + "edit/", views.review_edit, name="review_edit"),
    path(R + "recommendations/<int:review_recommendation>/", views.recommendation_edit,
         name="recommendation_edit"),
    path(P + "asb-case-reviews/", views.asb_returns, name="asb_returns"),
    path(P + "asb-case-reviews/<int:asb_return>/", views.asb_return, name="asb_return"),
    # Public: the published figures, as a page and as open data.
    path("partnerships/<slug:partnership>/asb-case-reviews/", views.public_asb_returns,
         name="public_asb_returns"),
    path("partnerships/<slug:partnership>/asb-case-reviews.json", views.public_asb_returns_json,
         name="public_asb_returns_json"),
]

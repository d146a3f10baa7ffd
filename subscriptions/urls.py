from django.urls import path

from subscriptions import feeds, views

app_name = "subscriptions"

urlpatterns = [
    path("consultations/feed.atom", feeds.all_feed, name="all_feed"),
    path("consultations/<slug:consultation>/follow/", views.follow_consultation,
         name="follow_consultation"),
    path("partnerships/<slug:partnership>/feed.atom", feeds.partnership_feed,
         name="partnership_feed"),
    path("partnerships/<slug:partnership>/follow/", views.follow_partnership,
         name="follow_partnership"),
    path("follow/sent/", views.sent, name="sent"),
    path("follow/confirm/<str:confirm_token>/", views.confirm, name="confirm"),
    path("follow/unsubscribe/<str:unsubscribe_token>/", views.unsubscribe, name="unsubscribe"),
]

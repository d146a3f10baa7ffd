from django.urls import path

from accessibility import views

app_name = "accessibility"

P = "partnerships/<slug:partnership>/"
M = "manage/format-requests/<slug:partnership>/"

urlpatterns = [
    path(P + "accessibility/", views.statement, name="statement"),
    path(P + "another-format/", views.format_request, name="format_request"),
    path(P + "another-format/sent/", views.format_request_sent, name="format_request_sent"),
    path(M, views.format_requests, name="format_requests"),
    path(M + "<int:format_request>/done/", views.format_request_done,
         name="format_request_done"),
]

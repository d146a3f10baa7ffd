from django.urls import path

from reminders import views

app_name = "reminders"
urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("notices/<int:notice>/read/", views.notice_read, name="notice_read"),
    path("<slug:partnership>/compliance/", views.compliance, name="compliance"),
    path("<slug:partnership>/compliance/record/", views.duty_record, name="duty_record"),
    path("<slug:partnership>/settings/", views.reminder_settings, name="settings"),
]

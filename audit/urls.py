from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("manage/partnership/<slug:partnership>/audit/", views.audit_log, name="log"),
]

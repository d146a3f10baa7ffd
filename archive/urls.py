from django.urls import path

from archive import views

app_name = "archive"

P = "manage/partnership/<slug:partnership>/archive/"

urlpatterns = [
    path(P, views.archive_list, name="list"),
    path(P + "new/", views.archive_start, name="start"),
    path(P + "<int:archive>/", views.archive_detail, name="detail"),
    path(P + "<int:archive>/download/", views.archive_download, name="download"),
]

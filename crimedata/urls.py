from django.urls import path

from crimedata import views

app_name = "crimedata"

P = "manage/partnership/<slug:partnership>/crime/"

urlpatterns = [
    path(P, views.counts, name="counts"),
    path(P + "counts.csv", views.counts_csv, name="counts_csv"),
    path(P + "area/", views.area, name="area"),
    path(P + "import/", views.upload, name="upload"),
    path(P + "measures/", views.links, name="links"),
    path(P + "measures/remove/", views.link_remove, name="link_remove"),
    path(P + "measures/update/", views.measurements_update, name="measurements_update"),
]

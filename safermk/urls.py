from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accessibility import views as accessibility_views
from safermk import password_reset, session_timeout, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", accessibility_views.statements, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("partnerships/<slug:partnership>/", views.partnership_home, name="partnership_home"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/session/", session_timeout.session_time, name="session_time"),
    path("account/password-reset/", password_reset.password_reset, name="password_reset"),
    path(
        "account/password-reset/sent/",
        password_reset.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "account/password-reset/done/",
        password_reset.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        password_reset.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("dashboard/", include("dashboard.urls")),
    path("", include("milestones.urls")),
    path("reminders/", include("reminders.urls")),
    path("", include("strategy.urls")),
    path("", include("subscriptions.urls")),
    path("consultations/", include("consultation.urls")),
    path("", include("documents.urls")),
    path("", include("partnerships.urls")),
    path("", include("accessibility.urls")),
    path("", include("audit.urls")),
    path("", include("reviews.urls")),
    path("", include("archive.urls")),
    path("", include("crimedata.urls")),
    path("admin/", admin.site.urls),
]

# Single sign-on with the council's identity provider, only when configured.
if settings.SAFERMK_BENCH_FLOORS:
    from safermk import bench_floors

    urlpatterns += [path("_bench/", include(bench_floors.urlpatterns))]

if settings.OIDC_ENABLED:
    from safermk import oidc

    urlpatterns += [path("oidc/", include(oidc.urlpatterns))]

handler403 = "safermk.views.error_403"
handler404 = "safermk.views.error_404"
handler500 = "safermk.views.error_500"

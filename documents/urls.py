from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path(
        "strategies/<slug:strategy>/strategy.pdf",
        views.public_strategy_pdf,
        name="public_strategy_pdf",
    ),
    path(
        "documents/strategies/<slug:strategy>/",
        views.strategy_documents,
        name="strategy_documents",
    ),
    path(
        "documents/strategies/<slug:strategy>/versions/<int:number>/prepare/",
        views.version_prepare,
        name="version_prepare",
    ),
    path(
        "documents/strategies/<slug:strategy>/versions/<int:number>/strategy.pdf",
        views.version_pdf,
        name="version_pdf",
    ),
    path(
        "documents/strategies/<slug:strategy>/reports/new/",
        views.report_create,
        name="report_create",
    ),
    path("documents/<slug:partnership>/reports/", views.report_list, name="report_list"),
    path(
        "manage/partnership/<slug:partnership>/records-of-processing/",
        views.records_of_processing,
        name="records_of_processing",
    ),
    path("documents/reports/<int:report>/", views.report_detail, name="report_detail"),
    path("documents/reports/<int:report>/edit/", views.report_edit, name="report_edit"),
    path("documents/reports/<int:report>/report.pdf", views.report_pdf, name="report_pdf"),
    path(
        "documents/reports/<int:report>/report.pdf/retry/",
        views.report_pdf_retry,
        name="report_pdf_retry",
    ),
]

urlpatterns += [
    path(
        "documents/strategies/<slug:strategy>/performance-report/",
        views.performance_report,
        name="performance_report",
    ),
    path(
        "documents/strategies/<slug:strategy>/performance-report/<str:quarter>.pdf",
        views.performance_report_pdf,
        name="performance_report_pdf",
    ),
    path(
        "documents/strategies/<slug:strategy>/performance-report/<str:quarter>.pdf/retry/",
        views.performance_report_pdf_retry,
        name="performance_report_pdf_retry",
    ),
]

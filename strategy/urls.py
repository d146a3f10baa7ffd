from django.urls import path

from strategy import perf_views, scorecard_views, views

app_name = "strategy"

S = "strategies/<slug:strategy>/"
A = "partnerships/<slug:partnership>/assessments/<int:year>/"
# Strategic needs assessments (serious violence): the same pages, by kind.
N = "partnerships/<slug:partnership>/needs-assessments/<int:needs_year>/"

urlpatterns = [
    # Public: published strategies and their open data.
    path("strategies/", views.public_list, name="public_list"),
    path("strategies/<slug:strategy>.json", views.public_json, name="public_json"),
    path(S, views.public_detail, name="public_detail"),
    path(S + "priorities/<int:priority>/", views.public_priority, name="public_priority"),
    # Officers: strategies.
    path("manage/strategies/", views.strategy_list, name="list"),
    path("partnerships/<slug:partnership>/strategies/new/", views.strategy_create,
         name="create"),
    path(S + "manage/", views.strategy_detail, name="detail"),
    path(S + "edit/", views.strategy_edit, name="edit"),
    path(S + "transition/", views.strategy_transition, name="transition"),
    path(S + "lifecycle/record/", views.strategy_transition_record, name="transition_record"),
    path(S + "transition/<str:to_status>/", views.strategy_transition_confirm,
         name="transition_confirm"),
    path(S + "history/", views.strategy_history_page, name="history"),
    path(S + "performance/", scorecard_views.performance_summary, name="performance_summary"),
    # The golden thread.
    path(S + "priorities/new/", views.priority_create, name="priority_create"),
    path(S + "priorities/<int:priority>/edit/", views.priority_edit, name="priority_edit"),
    path(S + "priorities/<int:priority>/delete/", views.priority_delete,
         name="priority_delete"),
    path(S + "priorities/<int:priority>/move/", views.priority_move, name="priority_move"),
    path(S + "priorities/<int:priority>/objectives/new/", views.objective_create,
         name="objective_create"),
    path(S + "objectives/<int:objective>/edit/", views.objective_edit, name="objective_edit"),
    path(S + "objectives/<int:objective>/delete/", views.objective_delete,
         name="objective_delete"),
    path(S + "objectives/<int:objective>/measures/new/", views.measure_create,
         name="measure_create"),
    path(S + "measures/<int:measure>/", views.measure_detail, name="measure_detail"),
    path(S + "measures/<int:measure>/edit/", views.measure_edit, name="measure_edit"),
    path(S + "measures/<int:measure>/delete/", views.measure_delete, name="measure_delete"),
    path(S + "measures/<int:measure>/measurements/new/", views.measurement_create,
         name="measurement_create"),
    path(S + "measurements/<int:measurement>/edit/", views.measurement_edit,
         name="measurement_edit"),
    # Measurements by the file.
    path(S + "measurements/file/", perf_views.perf_upload, name="perf_upload"),
    path(S + "measurements/file/measurements.xlsx", perf_views.perf_download_xlsx,
         name="perf_download_xlsx"),
    path(S + "measurements/file/measurements.csv", perf_views.perf_download_csv,
         name="perf_download_csv"),
    path(S + "measurements/file/check/", perf_views.perf_check, name="perf_check"),
    # Priority proposals from partner organisations.
    path(S + "proposals/", views.proposal_list, name="proposal_list"),
    path(S + "proposals/new/", views.proposal_create, name="proposal_create"),
    path(S + "proposals/<int:proposal>/decide/", views.proposal_decide, name="proposal_decide"),
    # Frozen versions.
    path(S + "versions/", views.version_list, name="version_list"),
    path(S + "versions/save/", views.version_save, name="version_save"),
    path(S + "versions/compare/", views.version_compare, name="version_compare"),
    path(S + "versions/<int:number>/", views.version_detail, name="version_detail"),
    # Strategic assessments.
    path("manage/assessments/", views.assessment_list, name="assessment_list"),
    path("partnerships/<slug:partnership>/assessments/new/", views.assessment_create,
         name="assessment_create"),
    path(A, views.assessment_detail, name="assessment_detail"),
    path(A + "edit/", views.assessment_edit, name="assessment_edit"),
    path(A + "lines/new/", views.line_create, name="line_create"),
    path(A + "lines/<int:line>/edit/", views.line_edit, name="line_edit"),
    path(A + "lines/<int:line>/delete/", views.line_delete, name="line_delete"),
    path("partnerships/<slug:partnership>/needs-assessments/new/",
         views.needs_assessment_create, name="needs_assessment_create"),
    path(N, views.needs_assessment_detail, name="needs_assessment_detail"),
    path(N + "edit/", views.needs_assessment_edit, name="needs_assessment_edit"),
    path(N + "lines/new/", views.needs_line_create, name="needs_line_create"),
    path(N + "lines/<int:needs_line>/edit/", views.needs_line_edit, name="needs_line_edit"),
    path(N + "lines/<int:needs_line>/delete/", views.needs_line_delete,
         name="needs_line_delete"),
    # Public: the summary of a signed-off strategic needs assessment.
    path("partnerships/<slug:partnership>/serious-violence-needs-assessments/<int:needs_year>/",
         views.needs_assessment_public, name="needs_assessment_public"),
]

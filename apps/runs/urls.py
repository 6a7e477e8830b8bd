from django.urls import path

from apps.runs import baseline_views, views

app_name = "runs"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("problems/<int:problem_id>/upload/", views.run_upload, name="run_upload"),
    path("problems/<int:problem_id>/panel/", views.problem_panel, name="problem_panel"),
    path("compare/", views.run_compare, name="run_compare"),
    path(
        "problems/<int:problem_id>/baselines/",
        baseline_views.baseline_train,
        name="baseline_train",
    ),
    path(
        "problems/<int:problem_id>/references/new/",
        baseline_views.reference_create,
        name="reference_create",
    ),
    path(
        "problems/<int:problem_id>/leaderboard/",
        baseline_views.leaderboard,
        name="leaderboard",
    ),
    path("problems/<int:problem_id>/gates/", baseline_views.gate_create, name="gate_create"),
    path("gates/<int:gate_id>/delete/", baseline_views.gate_delete, name="gate_delete"),
    path("<int:run_id>/", views.run_detail, name="run_detail"),
    path("<int:run_id>/abstention/", views.run_abstention, name="run_abstention"),
    path("<int:run_id>/threshold/", views.run_threshold, name="run_threshold"),
    path("<int:run_id>/threshold/save/", views.run_threshold_save, name="run_threshold_save"),
]

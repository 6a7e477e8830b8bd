from django.urls import path

from apps.runs import views

app_name = "runs"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("problems/<int:problem_id>/upload/", views.run_upload, name="run_upload"),
    path("problems/<int:problem_id>/panel/", views.problem_panel, name="problem_panel"),
    path("compare/", views.run_compare, name="run_compare"),
    path("<int:run_id>/", views.run_detail, name="run_detail"),
    path("<int:run_id>/abstention/", views.run_abstention, name="run_abstention"),
    path("<int:run_id>/threshold/", views.run_threshold, name="run_threshold"),
    path("<int:run_id>/threshold/save/", views.run_threshold_save, name="run_threshold_save"),
]

from django.urls import path

from apps.problems import views

app_name = "problems"
urlpatterns = [
    path("", views.problem_list, name="problem_list"),
    path("new/", views.problem_create, name="problem_create"),
    path("<int:problem_id>/", views.problem_detail, name="problem_detail"),
    path("<int:problem_id>/edit/", views.problem_edit, name="problem_edit"),
    path(
        "<int:problem_id>/edit/<slug:section_key>/",
        views.problem_section_save,
        name="problem_section_save",
    ),
    path("<int:problem_id>/history/", views.problem_history, name="problem_history"),
]

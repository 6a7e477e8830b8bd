from django.urls import path

from apps.checklists import views

app_name = "checklists"
urlpatterns = [
    path("problems/<int:problem_id>/panel/", views.problem_panel, name="problem_panel"),
    path("scores/", views.problem_scores, name="problem_scores"),
]

from django.urls import path

from apps.checklists import views

app_name = "checklists"
urlpatterns = [
    path("problems/<int:problem_id>/panel/", views.problem_panel, name="problem_panel"),
    path("scores/", views.problem_scores, name="problem_scores"),
    path(
        "problems/<int:problem_id>/<slug:template_key>/",
        views.checklist_detail,
        name="checklist_detail",
    ),
    path(
        "problems/<int:problem_id>/<slug:template_key>/items/<slug:item_key>/",
        views.answer_save,
        name="answer_save",
    ),
    path(
        "problems/<int:problem_id>/<slug:template_key>/items/<slug:item_key>/comments/",
        views.comment_create,
        name="comment_create",
    ),
]

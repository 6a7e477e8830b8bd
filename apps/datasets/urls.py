from django.urls import path

from apps.datasets import views

app_name = "datasets"
urlpatterns = [
    path("", views.dataset_list, name="dataset_list"),
    path("problems/<int:problem_id>/upload/", views.dataset_upload, name="dataset_upload"),
    path("problems/<int:problem_id>/drift/", views.drift_compare, name="drift_compare"),
    path("problems/<int:problem_id>/panel/", views.problem_panel, name="problem_panel"),
    path("versions/<int:version_id>/", views.version_detail, name="version_detail"),
    path("versions/<int:version_id>/download/", views.version_download, name="version_download"),
    path("versions/<int:version_id>/profile/", views.version_reprofile, name="version_reprofile"),
]

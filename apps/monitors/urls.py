from django.urls import path

from apps.monitors import views

app_name = "monitors"
urlpatterns = [
    path("", views.monitor_list, name="monitor_list"),
    path("problems/<int:problem_id>/", views.problem_monitors, name="problem_monitors"),
    path("problems/<int:problem_id>/new/", views.monitor_create, name="monitor_create"),
    path("problems/<int:problem_id>/panel/", views.problem_panel, name="problem_panel"),
    path("channels/", views.channel_list, name="channel_list"),
    path("channels/<int:channel_id>/test/", views.channel_test, name="channel_test"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("<int:monitor_id>/", views.monitor_detail, name="monitor_detail"),
    path("<int:monitor_id>/edit/", views.monitor_edit, name="monitor_edit"),
    path("<int:monitor_id>/check/", views.monitor_check_now, name="monitor_check_now"),
    path("<int:monitor_id>/batches/new/", views.batch_upload, name="batch_upload"),
]

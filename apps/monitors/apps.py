from django.apps import AppConfig


class MonitorsConfig(AppConfig):
    name = "apps.monitors"
    label = "monitors"
    verbose_name = "Monitors"

from django.contrib import admin

from apps.runs.models import ModelRun


@admin.register(ModelRun)
class ModelRunAdmin(admin.ModelAdmin):
    list_display = ("name", "model_version", "problem", "status", "rows", "threshold")
    list_filter = ("status", "kind")
    raw_id_fields = ("problem", "dataset_version", "job", "created_by", "threshold_set_by")

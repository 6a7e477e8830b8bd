from django.contrib import admin

from apps.datasets.models import Dataset, DatasetVersion, DriftComparison


class DatasetVersionInline(admin.TabularInline):
    model = DatasetVersion
    extra = 0
    can_delete = False
    fields = [
        "number",
        "role",
        "original_filename",
        "rows",
        "column_count",
        "status",
        "evaluation_count",
    ]
    readonly_fields = fields


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "problem", "created_at"]
    search_fields = ["name", "problem__title"]
    inlines = [DatasetVersionInline]


@admin.register(DatasetVersion)
class DatasetVersionAdmin(admin.ModelAdmin):
    list_display = [
        "dataset",
        "number",
        "role",
        "rows",
        "column_count",
        "status",
        "evaluation_count",
        "created_at",
    ]
    list_filter = ["role", "status"]
    # Versions are immutable: the admin may inspect, not edit, what was uploaded.
    readonly_fields = [f.name for f in DatasetVersion._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


admin.site.register(DriftComparison)

from django.contrib import admin

from apps.problems.models import Problem, ProblemRevision


class ProblemRevisionInline(admin.TabularInline):
    model = ProblemRevision
    extra = 0
    can_delete = False
    readonly_fields = ["field", "old_value", "new_value", "changed_by", "source", "changed_at"]


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "task_type", "status", "owner", "updated_at"]
    list_filter = ["status", "task_type", "team"]
    search_fields = ["title", "summary"]
    inlines = [ProblemRevisionInline]

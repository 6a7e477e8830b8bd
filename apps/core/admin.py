from django.contrib import admin

from apps.core.models import Job, JobAttempt


class JobAttemptInline(admin.TabularInline):
    model = JobAttempt
    extra = 0
    readonly_fields = ["number", "worker", "outcome", "started_at", "finished_at"]
    can_delete = False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "team", "status", "progress", "attempts", "created_at"]
    list_filter = ["status", "kind", "team"]
    search_fields = ["title", "id"]
    readonly_fields = [
        "id",
        "created_at",
        "published_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    ]
    inlines = [JobAttemptInline]

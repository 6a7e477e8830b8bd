from django.contrib import admin

from apps.monitors.models import Channel, Check, Monitor, Notification, ProductionBatch


@admin.register(Monitor)
class MonitorAdmin(admin.ModelAdmin):
    list_display = ("name", "problem", "kind", "metric", "state", "last_checked_at")
    list_filter = ("kind", "state", "active")
    raw_id_fields = ("problem", "target_run", "baseline_run", "reference_version", "created_by")


@admin.register(ProductionBatch)
class ProductionBatchAdmin(admin.ModelAdmin):
    list_display = ("pk", "run", "label", "rows", "created_at")
    raw_id_fields = ("run", "job", "created_by")


@admin.register(Check)
class CheckAdmin(admin.ModelAdmin):
    list_display = ("monitor", "state", "previous_state", "value", "trigger", "created_at")
    list_filter = ("state", "trigger")
    raw_id_fields = ("monitor", "batch")


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "kind", "target", "active")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("channel", "previous_state", "state", "status", "attempts", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("channel", "check_row", "team")

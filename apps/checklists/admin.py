from django.contrib import admin

from apps.checklists.models import (
    Answer,
    AnswerComment,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["order", "section", "key", "text", "auto"]
    readonly_fields = fields
    can_delete = False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "version", "scoring", "created_at"]
    inlines = [ChecklistItemInline]


class AnswerCommentInline(admin.TabularInline):
    model = AnswerComment
    extra = 0


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["item", "checklist", "state", "source", "answered_by", "answered_at"]
    list_filter = ["source", "checklist__key"]
    inlines = [AnswerCommentInline]


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["problem", "key", "template", "created_at"]
    list_filter = ["key"]

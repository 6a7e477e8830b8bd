from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from apps.accounts.models import ApiToken, Membership, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class PreflightUserAdmin(UserAdmin):
    pass


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "team", "user", "read_only", "last_used_at", "revoked_at"]
    list_filter = ["read_only", "team"]
    # The hash is useless to read and must never be edited into a known value.
    exclude = ["token_hash"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    search_fields = ["name", "prefix", "user__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token is only useful with its plaintext, which only the UI and the
        # `api_token create` command hand out; here it can be inspected and revoked.
        return False

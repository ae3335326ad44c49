from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Membership, Organisation, User, VerifiedDomain

# API keys are made, seen and revoked by each organisation's admins on its tokens page
# (accounts.api_tokens), which keeps only a hash; DRF's plain-text key table is emptied by
# migration 0008 and is not offered here.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "is_active"]


class VerifiedDomainInline(admin.TabularInline):
    """Email domains an operator has checked are the organisation's (single sign-on's first-sign-in officers)."""

    model = VerifiedDomain
    extra = 1
    fields = ["domain", "verified_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "ons_code", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "ons_code"]
    autocomplete_fields = ["sso_break_glass"]
    inlines = [VerifiedDomainInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    filter_horizontal = []
    list_filter = ["is_active", "is_staff"]


# django-otp's own admin shows each app's secret key and its QR code, and lets them be edited:
# whoever saw one could make that person's codes. Operators only need to see who has an app
# and to remove one (an organisation whose only admin has lost theirs); people set up their own.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    list_filter = ["confirmed"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

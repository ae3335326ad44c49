"""The Django admin for operators: read-only, since publication, withdrawal and featuring
only change through sharing.services (which write the history rows)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sharing.models import Adoption, Lesson, VisitCapacity, VisitRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["title", "organisation", "outcome", "visibility", "published_at", "withdrawn_at", "featured"]
    list_filter = ["visibility", "outcome", "featured"]
    search_fields = ["title"]
    exclude = ["search_vector"]


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ["lesson", "organisation", "created_at"]


@admin.register(VisitRequest)
class VisitRequestAdmin(ReadOnlyAdmin):
    list_display = ["lesson", "organisation", "requester_organisation", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]


@admin.register(VisitCapacity)
class VisitCapacityAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "visits_per_quarter"]

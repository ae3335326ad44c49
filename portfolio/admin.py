from decimal import Decimal

from django.contrib import admin
from django.db import transaction

from portfolio.models import (
    Aspiration,
    AspirationChange,
    GapReport,
    ImportJob,
    Indicator,
    Measurement,
    MeasurementChange,
    ServiceArea,
    ValueSource,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "polarity", "frequency", "service"]
    list_filter = ["service", "frequency", "polarity"]
    search_fields = ["code", "name"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "service"]
    list_filter = ["service"]


class ChangeInline(admin.TabularInline):
    """A value's earlier figures, newest first: what it was, who set it and when, and who changed it."""

    fields = ["previous_value", "previous_source", "previous_set_at", "source", "changed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "earlier figure"
    verbose_name_plural = "earlier figures (who changed this value, when and from what)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("previous_source__user", "source__user")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="changed at")
    def changed_at(self, change):
        return change.source.created_at


class MeasurementChangeInline(ChangeInline):
    model = MeasurementChange


class AspirationChangeInline(ChangeInline):
    model = AspirationChange


class FigureAdmin(admin.ModelAdmin):
    """Values and aspirations: each says the import or change that set it; a change made here is
    recorded like an import's (a source with the operator, and the previous figure kept). A value
    is not deleted here, so that its record stays whole."""

    list_display = ["organisation", "indicator", "period", "value", "updated_at", "source"]
    list_select_related = ["organisation", "indicator", "source__user"]
    raw_id_fields = ["organisation", "indicator"]
    readonly_fields = ["source", "updated_at"]
    search_fields = ["organisation__ons_code", "indicator__code"]

    def has_delete_permission(self, request, obj=None):
        return False

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = type(obj).objects.select_for_update().filter(pk=obj.pk).first() if change else None
        if before is not None and Decimal(before.value) == Decimal(obj.value):
            return super().save_model(request, obj, form, change)
        obj.source = ValueSource.objects.create(user=request.user, reason="Changed in the admin")
        super().save_model(request, obj, form, change)
        if before is not None:
            obj.change_model.objects.create(
                figure=obj,
                previous_value=before.value,
                previous_source_id=before.source_id,
                previous_set_at=before.updated_at,
                source=obj.source,
            )


@admin.register(Measurement)
class MeasurementAdmin(FigureAdmin):
    inlines = [MeasurementChangeInline]


@admin.register(Aspiration)
class AspirationAdmin(FigureAdmin):
    inlines = [AspirationChangeInline]


@admin.register(ValueSource)
class ValueSourceAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "reason", "import_job"]
    list_select_related = ["user", "import_job"]
    readonly_fields = ["created_at", "user", "reason", "import_job"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "organisation", "kind", "status", "row_count", "error_count", "created_at"]
    list_filter = ["status", "kind"]


@admin.register(GapReport)
class GapReportAdmin(admin.ModelAdmin):
    list_display = ["organisation", "computed_at", "period", "is_current"]
    list_filter = ["is_current"]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portfolio.models import Aspiration, GapReport, ImportJob, Indicator, Measurement, ServiceArea


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "polarity", "frequency", "service"]
    list_filter = ["service", "frequency", "polarity"]
    search_fields = ["code", "name"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "service"]
    list_filter = ["service"]


@admin.register(Measurement, Aspiration)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "indicator", "period", "value", "updated_at"]
    list_select_related = ["organisation", "indicator"]
    raw_id_fields = ["organisation", "indicator"]
    search_fields = ["organisation__ons_code", "indicator__code"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "organisation", "kind", "status", "row_count", "error_count", "created_at"]
    list_filter = ["status", "kind"]


@admin.register(GapReport)
class GapReportAdmin(admin.ModelAdmin):
    list_display = ["organisation", "computed_at", "period", "is_current"]
    list_filter = ["is_current"]

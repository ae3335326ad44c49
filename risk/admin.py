from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from risk.models import Control, Risk, RiskAppetite, RiskAssessment, RiskReview


class ControlInline(admin.TabularInline):
    model = Control
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "category", "inherent_score", "residual_score", "status", "review_date"]
    list_filter = ["status", "category", "organisation"]
    search_fields = ["title", "description"]
    raw_id_fields = ["assessment", "owner", "accepted_by", "escalated_by", "created_by"]
    readonly_fields = ["inherent_score", "residual_score"]
    inlines = [ControlInline]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["project", "organisation", "updated_at"]
    raw_id_fields = ["project"]


@admin.register(RiskAppetite)
class RiskAppetiteAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "max_residual_score"]


@admin.register(RiskReview)
class RiskReviewAdmin(admin.ModelAdmin):
    list_display = ["risk", "kind", "reviewed_by", "reviewed_at", "inherent_score", "residual_score"]
    raw_id_fields = ["risk", "reviewed_by"]

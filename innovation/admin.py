"""The Django admin for operators: read-only where a stage or an audit row is concerned,
since stages only change through innovation.services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from innovation.models import (
    Campaign,
    Decision,
    DecisionArrangement,
    DecisionMaker,
    Evaluation,
    ForwardPlanEntry,
    Idea,
    IdeaTransition,
    KeyDecisionThreshold,
    OptimismBiasMitigation,
    OptimismBiasOverride,
    Project,
    ProjectTransition,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "deadline", "closed_at"]
    list_filter = ["organisation"]


@admin.register(Idea)
class IdeaAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["reference", "title", "organisation", "stage", "created_at"]
    list_filter = ["organisation", "stage"]
    search_fields = ["title"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["reference", "title", "organisation", "stage", "owner", "sponsor"]
    list_filter = ["organisation", "stage"]
    search_fields = ["title"]


# The forward plan is read-only here too: its first-published date is what the 28 clear days run from.
# A record of decision and its decision-makers are never changed once made (Decision.save).
for model in (
    IdeaTransition,
    ProjectTransition,
    Decision,
    DecisionMaker,
    Evaluation,
    ForwardPlanEntry,
    KeyDecisionThreshold,
):
    admin.site.register(model, ReadOnlyAdmin)


# Read-only: an organisation's own uplifts are set by its admin with a reason, and mitigations
# by its managers, through innovation.services, which keep who, when and why.
@admin.register(OptimismBiasOverride)
class OptimismBiasOverrideAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["organisation", "project_type", "set_by", "set_at"]
    list_filter = ["organisation", "project_type"]


@admin.register(OptimismBiasMitigation)
class OptimismBiasMitigationAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["business_case", "factor", "share_mitigated", "recorded_by", "recorded_at"]
    list_filter = ["organisation", "factor"]


@admin.register(DecisionArrangement)
class DecisionArrangementAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["organisation", "made_by", "committee_name", "quorum", "publish_decisions"]

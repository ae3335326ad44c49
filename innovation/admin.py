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
    Idea,
    IdeaTransition,
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


# A record of decision and its decision-makers are never changed once made (Decision.save).
for model in (IdeaTransition, ProjectTransition, Decision, DecisionMaker, Evaluation):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(DecisionArrangement)
class DecisionArrangementAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["organisation", "made_by", "committee_name", "quorum", "publish_decisions"]

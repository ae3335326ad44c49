from django.urls import path

from accounts import views as accounts_views
from innovation.views import decisions, ideas, key_decisions, optimism, overview, partners, projects

app_name = "innovation"

SCREENING_VERBS = ["accept", "clarify", "decline", "merge"]
MOVES = ["submit", "withdraw", "reopen", "start-evaluation", "close", "abandon"]

urlpatterns = [
    path("ideas/", ideas.idea_list_view, name="idea-list"),
    path("ideas/new/", ideas.idea_create_view, name="idea-create"),
    path("ideas/similar/", ideas.idea_similar_view, name="idea-similar"),
    path("ideas/<int:reference>/", ideas.idea_detail_view, name="idea-detail"),
    path("ideas/<int:reference>/edit/", ideas.idea_edit_view, name="idea-edit"),
    path("ideas/<int:reference>/comment/", ideas.idea_comment_view, name="idea-comment"),
    path("ideas/<int:reference>/support/", ideas.idea_support_view, name="idea-support"),
    path("ideas/<int:reference>/resubmit/", ideas.idea_resubmit_view, name="idea-resubmit"),
    path("ideas/<int:reference>/screening/", ideas.idea_screen_view, name="idea-screen"),
    path("ideas/<int:reference>/screening/start/", ideas.idea_start_screening_view, name="idea-start-screening"),
    path("ideas/<int:reference>/assessors/", ideas.idea_assign_assessor_view, name="idea-assign-assessor"),
    path("ideas/<int:reference>/score/", ideas.idea_score_view, name="idea-score"),
    path("campaigns/", ideas.campaign_list_view, name="campaign-list"),
    path("campaigns/new/", ideas.campaign_create_view, name="campaign-create"),
    path("campaigns/<int:pk>/", ideas.campaign_detail_view, name="campaign-detail"),
    path("campaigns/<int:pk>/close/", ideas.campaign_close_view, name="campaign-close"),
    path("partner/campaigns/", partners.partner_campaign_list_view, name="partner-campaign-list"),
    path("partner/campaigns/<int:pk>/", partners.partner_campaign_view, name="partner-campaign"),
    path("partner/campaigns/<int:pk>/similar/", partners.partner_similar_view, name="partner-similar"),
    path("partner/ideas/", partners.partner_idea_list_view, name="partner-idea-list"),
    path("projects/", overview.project_list_view, name="project-list"),
    path("projects/pipeline/", overview.pipeline_view, name="pipeline"),
    path("awaiting-my-decision/", overview.awaiting_decision_view, name="awaiting-decision"),
    path("projects/<int:pk>/", projects.project_detail_view, name="project-detail"),
    path("projects/<int:pk>/edit/", projects.project_edit_view, name="project-edit"),
    path("projects/<int:pk>/business-case/", projects.business_case_edit_view, name="business-case-edit"),
    path("projects/<int:pk>/optimism-bias/", optimism.optimism_mitigation_view, name="optimism-mitigation"),
    path("optimism-bias/", optimism.optimism_table_view, name="optimism-table"),
    path("optimism-bias/<str:project_type>/", optimism.optimism_override_view, name="optimism-override"),
    path("projects/<int:pk>/sponsor/", projects.project_sponsor_view, name="project-sponsor"),
    path(
        "projects/<int:pk>/sponsor/volunteer/",
        projects.project_sponsor_volunteer_view,
        name="project-sponsor-volunteer",
    ),
    path("projects/<int:pk>/decision/", projects.project_decide_view, name="project-decide"),
    path("projects/<int:pk>/forward-plan/", key_decisions.forward_plan_entry_view, name="forward-plan-entry"),
    path(
        "projects/<int:pk>/forward-plan/urgency/",
        key_decisions.forward_plan_exception_view,
        name="forward-plan-exception",
    ),
    path("forward-plan/", key_decisions.forward_plan_view, name="forward-plan"),
    path("forward-plan/threshold/", key_decisions.key_decision_threshold_view, name="key-decision-threshold"),
    path("decisions/", decisions.decision_list_view, name="decision-list"),
    path("decisions/arrangements/", decisions.decision_arrangement_view, name="decision-arrangement"),
    path("decisions/<int:pk>/", decisions.decision_detail_view, name="decision-detail"),
    path("projects/<int:pk>/progress/", projects.project_progress_view, name="project-progress"),
    path("projects/<int:pk>/milestones/new/", projects.milestone_create_view, name="milestone-create"),
    path("milestones/<int:pk>/", projects.milestone_edit_view, name="milestone-edit"),
    path("projects/<int:pk>/team/new/", projects.team_member_add_view, name="team-member-add"),
    path("projects/<int:pk>/team/<int:member_pk>/remove/", projects.team_member_remove_view, name="team-member-remove"),
    path("projects/<int:pk>/involvement/new/", projects.involvement_create_view, name="involvement-create"),
    path("projects/<int:pk>/evaluation/", projects.evaluation_edit_view, name="evaluation-edit"),
    path("projects/<int:pk>/scale-up/", projects.project_scale_up_view, name="project-scale-up"),
    path("evidence-gates/", projects.evidence_gates_view, name="evidence-gates"),
    # The email settings page is accounts:notification-settings now; links written before keep working.
    path("notifications/", accounts_views.notification_settings_view, name="notification-settings"),
]

# One URL name per verb (innovation:idea-accept, innovation:project-submit, …), one view each kind.
urlpatterns += [
    path(f"ideas/<int:reference>/{verb}/", ideas.idea_decide_view, {"verb": verb}, name=f"idea-{verb}")
    for verb in SCREENING_VERBS
]
urlpatterns += [
    path(f"projects/<int:pk>/{verb}/", projects.project_move_view, {"verb": verb}, name=f"project-{verb}")
    for verb in MOVES
]

"""Every change to campaigns, ideas and projects. Views, commands, demo data and
Celery tasks all call these; none of them sets a stage field itself.

Split by topic (ideas, projects, approval, delivery); import this package, not the modules:
`from innovation import services` then `services.project_approve(...)`.
"""

from innovation.services.approval import (
    DECISION_FOLLOW_UPS,
    decision_follow_up_register,
    project_approve,
    project_defer,
    project_reject,
    project_reopen,
)
from innovation.services.base import ConcurrentEditError, InnovationError
from innovation.services.delivery import (
    involvement_record,
    milestone_add,
    milestone_update,
    milestones_overdue_notify,
    project_progress_update,
    team_member_add,
    team_member_remove,
)
from innovation.services.ideas import (
    campaign_close,
    campaign_create,
    criteria_ensure_defaults,
    idea_accept,
    idea_comment,
    idea_create,
    idea_decline,
    idea_merge,
    idea_request_clarification,
    idea_resubmit,
    idea_start_screening,
    idea_support,
    idea_unsupport,
    idea_update,
    scorecard_assign,
    scorecard_submit,
)
from innovation.services.key_decisions import (
    forward_plan_add,
    forward_plan_exception_record,
    key_decision_threshold_set,
)
from innovation.services.projects import (
    business_case_save,
    evaluation_save,
    project_abandon,
    project_close,
    project_set_sponsor,
    project_sponsor_volunteer,
    project_start_evaluation,
    project_submit_for_approval,
    project_update,
    project_withdraw,
)

__all__ = [
    "DECISION_FOLLOW_UPS",
    "ConcurrentEditError",
    "InnovationError",
    "business_case_save",
    "campaign_close",
    "campaign_create",
    "criteria_ensure_defaults",
    "decision_follow_up_register",
    "evaluation_save",
    "forward_plan_add",
    "forward_plan_exception_record",
    "idea_accept",
    "idea_comment",
    "idea_create",
    "idea_decline",
    "idea_merge",
    "idea_request_clarification",
    "idea_resubmit",
    "idea_start_screening",
    "idea_support",
    "idea_unsupport",
    "idea_update",
    "involvement_record",
    "key_decision_threshold_set",
    "milestone_add",
    "milestone_update",
    "milestones_overdue_notify",
    "project_abandon",
    "project_approve",
    "project_close",
    "project_defer",
    "project_progress_update",
    "project_reject",
    "project_reopen",
    "project_set_sponsor",
    "project_sponsor_volunteer",
    "project_start_evaluation",
    "project_submit_for_approval",
    "project_update",
    "project_withdraw",
    "scorecard_assign",
    "scorecard_submit",
    "team_member_add",
    "team_member_remove",
]

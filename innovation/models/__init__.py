"""Campaigns, ideas, projects and their lifecycle: business cases, decisions, milestones,
involvement and evaluation.

The lifecycle is two transition tables (ideas.py, projects.py) and pure `can_move_to()`; the only
code that changes a stage is a service in innovation/services/, which also writes the
transition log row. Closed, rejected and abandoned projects are never deleted (R13).

Split by topic; import from here: `from innovation.models import Project, ProjectStage`.
"""

from innovation.models.delivery import Involvement, Milestone, TeamMember
from innovation.models.evidence import EvidenceGates, ScaleUp
from innovation.models.ideas import (
    IDEA_EDITABLE_STAGES,
    IDEA_LIVE_STAGES,
    IDEA_TRANSITIONS,
    Campaign,
    CampaignQuerySet,
    Criterion,
    CriterionScore,
    Idea,
    IdeaComment,
    IdeaQuerySet,
    IdeaStage,
    IdeaSubmission,
    IdeaSupport,
    IdeaTransition,
    Scorecard,
    Source,
    idea_can_move,
    weighted_average,
)
from innovation.models.key_decisions import ForwardPlanEntry, ForwardPlanQuerySet, KeyDecisionThreshold
from innovation.models.notices import NOTICE_DEFAULTS, NoticeKind
from innovation.models.optimism import Factor, OptimismBiasMitigation, OptimismBiasOverride, ProjectType
from innovation.models.projects import (
    MONEY,
    PROJECT_FINISHED_STAGES,
    PROJECT_LIVE_STAGES,
    PROJECT_TRANSITIONS,
    RAG,
    BusinessCase,
    BusinessCaseOption,
    Decision,
    DecisionArrangement,
    DecisionMaker,
    DecisionRecordImmutable,
    Evaluation,
    Project,
    ProjectQuerySet,
    ProjectStage,
    ProjectTransition,
    can_move_to,
    net_value,
)

__all__ = [
    "IDEA_EDITABLE_STAGES",
    "IDEA_LIVE_STAGES",
    "IDEA_TRANSITIONS",
    "MONEY",
    "NOTICE_DEFAULTS",
    "PROJECT_FINISHED_STAGES",
    "PROJECT_LIVE_STAGES",
    "PROJECT_TRANSITIONS",
    "RAG",
    "BusinessCase",
    "BusinessCaseOption",
    "Campaign",
    "CampaignQuerySet",
    "Criterion",
    "CriterionScore",
    "Decision",
    "DecisionArrangement",
    "DecisionMaker",
    "DecisionRecordImmutable",
    "Evaluation",
    "Factor",
    "EvidenceGates",
    "ForwardPlanEntry",
    "ForwardPlanQuerySet",
    "Idea",
    "IdeaComment",
    "IdeaQuerySet",
    "IdeaStage",
    "IdeaSubmission",
    "IdeaSupport",
    "IdeaTransition",
    "Involvement",
    "KeyDecisionThreshold",
    "Milestone",
    "NoticeKind",
    "OptimismBiasMitigation",
    "OptimismBiasOverride",
    "Project",
    "ProjectQuerySet",
    "ProjectStage",
    "ProjectType",
    "ProjectTransition",
    "ScaleUp",
    "Scorecard",
    "Source",
    "TeamMember",
    "can_move_to",
    "idea_can_move",
    "net_value",
    "weighted_average",
]

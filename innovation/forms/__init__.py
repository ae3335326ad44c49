"""Input shapes for ideas, screening and projects. Every choice list is the organisation's
own; stage fields are never form fields (the services move stages)."""

from innovation.forms.ideas import (
    AcceptForm,
    AssignAssessorForm,
    CampaignForm,
    ClarifyForm,
    CommentForm,
    DeclineForm,
    IdeaForm,
    MergeForm,
    OutsiderIdeaForm,
    PublicIdeaForm,
    ScoreForm,
)
from innovation.forms.key_decisions import ForwardPlanExceptionForm, ForwardPlanForm, KeyDecisionThresholdForm
from innovation.forms.projects import (
    BusinessCaseForm,
    CommentOnlyForm,
    DecisionForm,
    EvaluationForm,
    InvolvementForm,
    MilestoneForm,
    ProgressForm,
    ProjectForm,
    ReasonForm,
    SponsorForm,
    TeamMemberForm,
)

__all__ = [
    "AcceptForm",
    "AssignAssessorForm",
    "BusinessCaseForm",
    "CampaignForm",
    "ClarifyForm",
    "CommentForm",
    "CommentOnlyForm",
    "DecisionForm",
    "DeclineForm",
    "EvaluationForm",
    "ForwardPlanExceptionForm",
    "ForwardPlanForm",
    "IdeaForm",
    "InvolvementForm",
    "KeyDecisionThresholdForm",
    "MergeForm",
    "MilestoneForm",
    "OutsiderIdeaForm",
    "ProgressForm",
    "ProjectForm",
    "PublicIdeaForm",
    "ReasonForm",
    "ScoreForm",
    "SponsorForm",
    "TeamMemberForm",
]

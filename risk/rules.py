"""Who may do what with risk assessments and registers.

Managers and admins keep the registers; elected members read them, comment and accept
risk above the organisation's appetite; auditors read; officers read the registers of
the projects whose team they are on (innovation.TeamMember with their user, or as the
project's owner) and the risks they own. Other organisations reach nothing: their ids are 404s in queries.py.
"""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.access import add_rule
from accounts.rules import is_admin, is_auditor, is_manager, is_member, is_officer


def _project_of(target):
    """The project a target belongs to, or None when the target is the organisation itself."""
    if hasattr(target, "risk"):  # a Control or RiskComment
        target = target.risk
    if hasattr(target, "assessment"):  # a Risk
        return target.assessment.project
    if hasattr(target, "project"):  # a RiskAssessment
        return target.project
    if hasattr(target, "stage") and hasattr(target, "team"):  # a Project
        return target
    return None


@rules.predicate
def is_on_project_team(user, target=None) -> bool:
    project = _project_of(target) if target is not None else None
    if project is None or not user.is_authenticated:
        return False
    return project.owner_id == user.pk or project.team.filter(user=user).exists()


@rules.predicate
def owns_the_risk(user, target=None) -> bool:
    """The person named as the risk's owner: they review it, so they may read it wherever it sits."""
    if target is not None and hasattr(target, "risk"):  # a Control or RiskComment
        target = target.risk
    return user.is_authenticated and getattr(target, "owner_id", None) == user.pk


reads_everything = is_manager | is_admin | is_member | is_auditor
edits = is_manager | is_admin

# The organisation's register: officers see it too, holding only their own projects' risks.
add_rule(
    "risk.view_register",
    reads_everything | is_officer,
    _("Only people who work in this organisation can see its risk register."),
)
# One project's register, and one risk.
add_rule(
    "risk.view_risks",
    reads_everything | (is_officer & (is_on_project_team | owns_the_risk)),
    _("Officers see only the risks of projects they work on and the risks they own."),
)
add_rule("risk.edit_risks", edits, _("Only managers and admins change risks."))
add_rule("risk.review_risk", edits, _("Only managers and admins review risks."))
add_rule("risk.escalate_risk", edits, _("Only managers and admins escalate risks to members."))
add_rule(
    "risk.comment_on_risk",
    is_member | is_manager | is_admin,
    _("Only elected members, managers and admins comment on risks."),
)
add_rule("risk.accept_risk", is_member, _("Only elected members accept risks."))
add_rule("risk.set_appetite", is_admin, _("Only admins set the risk appetite."))

"""Who may do what with risk assessments and registers.

Managers and admins keep the registers; elected members read them, comment and accept
risk above the organisation's appetite; auditors read; officers read the registers of
the projects whose team they are on (innovation.TeamMember with their user, or as the
project's owner). Other organisations reach nothing: their ids are 404s in queries.py.
"""

import rules

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


reads_everything = is_manager | is_admin | is_member | is_auditor
edits = is_manager | is_admin

# The organisation's register: officers see it too, holding only their own projects' risks.
rules.add_perm("risk.view_register", reads_everything | is_officer)
# One project's register, and one risk.
rules.add_perm("risk.view_risks", reads_everything | (is_officer & is_on_project_team))
rules.add_perm("risk.edit_risks", edits)
rules.add_perm("risk.review_risk", edits)
rules.add_perm("risk.escalate_risk", edits)
rules.add_perm("risk.comment_on_risk", is_member | is_manager | is_admin)
rules.add_perm("risk.accept_risk", is_member)
rules.add_perm("risk.set_appetite", is_admin)

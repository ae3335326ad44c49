"""The approval gate: a member approves, rejects or defers a project, other apps follow the
decision up, and a deferred project is reopened.
"""

from collections.abc import Callable

from django.db import transaction

from accounts import notices
from accounts.access import require
from accounts.models import User
from innovation import key_decisions
from innovation.models import Decision, NoticeKind, Project, ProjectStage
from innovation.services.base import InnovationError
from innovation.services.projects import _move, _require_stage, idea_author_tell

# What other apps do once a member has decided, inside the decision's transaction: each is
# called as follow_up(actor=, decision=). The risk app registers its own from RiskConfig.ready()
# (the acceptance recorded on each risk above appetite; the risk of not innovating carried by the
# organisation when the project is rejected), since innovation may not import risk (DESIGN.md).
DECISION_FOLLOW_UPS: list[Callable[..., None]] = []


def decision_follow_up_register(follow_up: Callable[..., None]) -> None:
    """Has `follow_up(actor=, decision=)` called after every decision at the approval gate."""
    if follow_up not in DECISION_FOLLOW_UPS:
        DECISION_FOLLOW_UPS.append(follow_up)


def _decide(
    *,
    actor: User,
    project: Project,
    to: str,
    outcome: str,
    rationale: str,
    check: Callable[[Project], bool] | None = None,
) -> Project:
    """A member's decision at the approval gate: one permission check, one locked load of the
    project. `check` sees the locked project before anything is written, may refuse, and
    answers whether residual risk above appetite is accepted."""
    require(actor, "innovation.decide_project", project)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    accept = check(locked) if check is not None else False
    if not rationale.strip():
        raise InnovationError("Enter the rationale for your decision; it is recorded and shown with the project.")
    _require_stage(locked, {ProjectStage.AWAITING_APPROVAL}, "decide on this project")
    key_decisions.gate_check(locked, outcome)  # reg. 9: 28 clear days on the forward plan, or an urgency route
    changes = {"end_reason": rationale} if to == ProjectStage.REJECTED else {}
    project = _move(actor=actor, project=locked, to=to, comment=rationale, **changes)
    decision = Decision.objects.create(
        organisation=project.organisation,
        project=project,
        member=actor,
        outcome=outcome,
        rationale=rationale,
        accepted_residual_risk=accept,
    )
    for follow_up in DECISION_FOLLOW_UPS:
        follow_up(actor=actor, decision=decision)
    notices.notice_send(
        user=project.owner,
        organisation=project.organisation,
        kind=NoticeKind.DECISION,
        subject=f"“{project.title}” has been {decision.get_outcome_display().lower()}",
        body=f"{actor} has {decision.get_outcome_display().lower()} “{project.title}”.\n\n"
        f"Their rationale:\n{rationale}\n\n{notices.absolute_url(project)}",
        url=notices.absolute_url(project),
    )
    # The owner hears of every decision above; the idea's author of an approval, unless they own it.
    if outcome == Decision.Outcome.APPROVED and project.idea is not None and project.idea.author_id != project.owner_id:
        idea_author_tell(
            project=project,
            actor=actor,
            what="has been approved",
            body=f"{actor} has approved “{project.title}”, the project that grew from your idea, for "
            f"implementation.\n\nTheir rationale:\n{rationale}",
        )
    return project


@transaction.atomic
def project_approve(*, actor: User, project: Project, rationale: str, accept_residual_risk: bool = False) -> Project:
    """A member approves the project for implementation, accepting any risk of it above appetite.

    The risk of not innovating never asks for acceptance, and a risk a member has already
    accepted (unexpired) is not asked for again: the assessment's `awaiting_acceptance` says
    which are left, and the risk app records the acceptance on each (DECISION_FOLLOW_UPS)."""

    def risk_accepted(locked: Project) -> bool:
        # The locked row is loaded afresh, so its reverse one-to-one sees an assessment made
        # after the caller's instance was loaded.
        risk_assessment = getattr(locked, "risk_assessment", None)
        if risk_assessment is None or risk_assessment.approval_problems():
            raise InnovationError("The project cannot be approved without a complete risk assessment.")
        awaiting = risk_assessment.awaiting_acceptance
        if awaiting and not accept_residual_risk:
            raise InnovationError(
                "The residual risk of this project exceeds the organisation’s risk appetite. "
                "To approve it, confirm that you accept that risk."
            )
        return bool(accept_residual_risk and awaiting)

    return _decide(
        actor=actor,
        project=project,
        to=ProjectStage.IMPLEMENTATION,
        outcome=Decision.Outcome.APPROVED,
        rationale=rationale,
        check=risk_accepted,
    )


@transaction.atomic
def project_reject(*, actor: User, project: Project, rationale: str) -> Project:
    """A member rejects the project; it is kept, with the rationale, and never deleted."""
    return _decide(
        actor=actor, project=project, to=ProjectStage.REJECTED, outcome=Decision.Outcome.REJECTED, rationale=rationale
    )


@transaction.atomic
def project_defer(*, actor: User, project: Project, rationale: str) -> Project:
    """A member defers the decision; the owner can rework the case and submit again."""
    return _decide(
        actor=actor, project=project, to=ProjectStage.DEFERRED, outcome=Decision.Outcome.DEFERRED, rationale=rationale
    )


@transaction.atomic
def project_reopen(*, actor: User, project: Project, comment: str = "") -> Project:
    """Brings a deferred project back into assessment."""
    require(actor, "innovation.manage_project", project)
    return _move(actor=actor, project=project, to=ProjectStage.ASSESSMENT, comment=comment or "Reopened")

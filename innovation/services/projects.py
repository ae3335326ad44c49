"""Projects through their lifecycle: assessment, the approval gate, evaluation, closure.

The one stage mover, `_move`, is here; the work of implementation (progress, milestones, the
team, involvement), which changes no stage, is in delivery.py.
"""

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts import notices
from accounts.access import require, require_same_organisation
from accounts.models import Role, User
from innovation import queries
from innovation.models import (
    BusinessCase,
    BusinessCaseOption,
    Decision,
    Evaluation,
    NoticeKind,
    Project,
    ProjectStage,
    ProjectTransition,
)
from innovation.services import originators
from innovation.services.base import InnovationError, check_version, require_role_of
from portfolio.models import Indicator, ServiceArea

STAGE_VERBS = {
    ProjectStage.ASSESSMENT: "returned to assessment",
    ProjectStage.AWAITING_APPROVAL: "submitted for approval",
    ProjectStage.IMPLEMENTATION: "approved",
    ProjectStage.EVALUATION: "moved to evaluation",
    ProjectStage.CLOSED: "closed",
    ProjectStage.REJECTED: "rejected",
    ProjectStage.DEFERRED: "deferred",
    ProjectStage.ABANDONED: "abandoned",
}


def _move(*, actor: User, project: Project, to: str, comment: str = "", **changes) -> Project:
    """The one place a project's stage changes: locked, checked against the table, audited.

    Must run inside the caller's transaction. The row lock means that of two members
    approving at once, the second finds the project already in implementation and is refused.
    """
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not locked.can_move_to(to):
        raise InnovationError(
            f"This project is in “{locked.get_stage_display().lower()}”, so it cannot be "
            f"{STAGE_VERBS[to]} now. Refresh the page to see its latest state."
        )
    old = locked.stage
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.stage = to
    locked.stage_changed_at = timezone.now()
    locked.version += 1
    locked._history_user = actor
    locked._change_reason = f"{old} → {to}"
    locked.save()
    ProjectTransition.objects.create(
        organisation=locked.organisation, project=locked, actor=actor, from_stage=old, to_stage=to, comment=comment
    )
    originators.originator_project_moved(project=locked, comment=comment)
    return locked


def _lock_for_edit(project: Project, version: int | None, what: str = "this project") -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if version is not None:
        check_version(locked.version, version, what)
    return locked


def _save(project: Project, actor: User, reason: str) -> None:
    project.version += 1
    project._history_user = actor
    project._change_reason = reason
    project.save()


def _require_stage(project: Project, stages: set[str], doing: str) -> None:
    if project.stage not in stages:
        raise InnovationError(
            f"You cannot {doing} while it is in “{project.get_stage_display().lower()}”. "
            "Refresh the page to see its latest state."
        )


# ---------------------------------------------------------------- assessment


@transaction.atomic
def project_update(
    *,
    actor: User,
    project: Project,
    version: int,
    title: str,
    summary: str,
    service_areas: Iterable[ServiceArea],
    indicator: Indicator | None,
    budget: Decimal | None,
) -> Project:
    """Changes a project's description, the service areas it spans (R8), its indicator and budget."""
    require(actor, "innovation.manage_project", project)
    project = _lock_for_edit(project, version)
    if project.is_finished:
        raise InnovationError("A finished project is kept as it ended and cannot be changed.")
    service_areas = list(service_areas)
    require_same_organisation(project.organisation, *service_areas)
    if not service_areas:
        raise InnovationError("Select at least one service area.")
    project.title, project.summary, project.indicator, project.budget = title, summary, indicator, budget
    _save(project, actor, "Details changed")
    project.service_areas.set(service_areas)
    return project


@transaction.atomic
def project_set_sponsor(*, actor: User, project: Project, sponsor: User) -> Project:
    """Names the elected member who sponsors the project from assessment onward (R11)."""
    require(actor, "innovation.manage_project", project)
    require_role_of(project.organisation, sponsor, {Role.MEMBER}, "The sponsor must be an elected member here.")
    project = _lock_for_edit(project, None)
    if project.is_finished:
        raise InnovationError("A finished project is kept as it ended and cannot be changed.")
    project.sponsor = sponsor
    _save(project, actor, f"Sponsor: {sponsor}")
    return project


@transaction.atomic
def business_case_save(
    *,
    actor: User,
    project: Project,
    version: int,
    summary: str,
    recommended_option: str,
    options: dict[str, dict],
) -> BusinessCase:
    """Saves the options appraisal (R3). `options` maps each option kind to its figures.

    `version` is the business case's version when the form was opened (0 for a new one); if
    someone saved it since, nothing is written and the second person is told.
    """
    require(actor, "innovation.manage_project", project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_stage(project, {ProjectStage.ASSESSMENT}, "change the business case")
    case = BusinessCase.objects.select_for_update().filter(project=project).first()
    check_version(case.version if case else 0, version, "this business case")
    if case is None:
        case = BusinessCase(organisation=project.organisation, project=project, version=0)
    case.summary = summary
    case.recommended_option = recommended_option
    case.version += 1
    case._history_user = actor
    case.save()
    for kind in BusinessCaseOption.Kind.values:
        figures = options.get(kind, {})
        option = BusinessCaseOption.objects.filter(business_case=case, kind=kind).first() or BusinessCaseOption(
            organisation=project.organisation, business_case=case, kind=kind
        )
        for field in ("description", "one_off_cost", "running_cost", "benefit", "years"):
            setattr(option, field, figures.get(field, "" if field == "description" else None))
        option._history_user = actor
        option.save()
    return case


@transaction.atomic
def project_submit_for_approval(*, actor: User, project: Project, comment: str = "") -> Project:
    """Sends a project to its sponsoring member for a decision, once the case and risks are complete."""
    require(actor, "innovation.manage_project", project)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    _require_stage(locked, {ProjectStage.ASSESSMENT}, "submit the project for approval")
    problems = queries.project_approval_problems(project=locked)
    if problems:
        raise InnovationError("The project cannot go for approval yet. " + " ".join(problems))
    project = _move(actor=actor, project=locked, to=ProjectStage.AWAITING_APPROVAL, comment=comment)
    notices.notice_send(
        user=project.sponsor,
        organisation=project.organisation,
        kind=NoticeKind.AWAITING_APPROVAL,
        subject=f"“{project.title}” awaits your decision",
        body=f"{actor} has submitted “{project.title}”, which you sponsor, for approval.\n\n"
        f"Read the business case and the risk assessment, then decide at {notices.absolute_url(project)}",
    )
    return project


@transaction.atomic
def project_withdraw(*, actor: User, project: Project, comment: str = "") -> Project:
    """Takes a project back from the approval gate to rework it."""
    require(actor, "innovation.manage_project", project)
    return _move(actor=actor, project=project, to=ProjectStage.ASSESSMENT, comment=comment or "Withdrawn")


# ---------------------------------------------------------------- the approval gate

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


# ---------------------------------------------------------------- evaluation and the end


@transaction.atomic
def project_start_evaluation(*, actor: User, project: Project, comment: str = "") -> Project:
    """Ends implementation and starts the evaluation (R12)."""
    require(actor, "innovation.manage_project", project)
    return _move(actor=actor, project=project, to=ProjectStage.EVALUATION, comment=comment)


@transaction.atomic
def evaluation_save(
    *,
    actor: User,
    project: Project,
    outcome: str,
    summary: str,
    actual_one_off_cost: Decimal,
    actual_running_cost: Decimal,
    actual_benefit: Decimal,
    value_for_money: str,
    transferability: int,
    transferability_reasons: str,
    actual_years: int | None = None,
    indicator_before: Decimal | None = None,
    indicator_after: Decimal | None = None,
    indicator_override_reason: str = "",
) -> Evaluation:
    """Records what happened against the forecast (R12): actual costs, benefits and horizon, the
    indicator's movement, outcome and transferability.

    The indicator's before and after are the imported series' (queries.indicator_readings); a
    figure given here overrides the series' only with a reason, which is kept with the evaluation
    and its history. A blank horizon is the business case's.
    """
    require(actor, "innovation.manage_project", project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_stage(project, {ProjectStage.EVALUATION}, "record the evaluation")
    if not 1 <= int(transferability) <= 5:
        raise InnovationError("Transferability runs from 1 to 5.")
    if min(actual_one_off_cost, actual_running_cost, actual_benefit) < 0:
        raise InnovationError("Actual costs and benefits cannot be negative.")
    if actual_years is None:
        forecast = BusinessCaseOption.objects.filter(
            business_case__project=project, kind=BusinessCaseOption.Kind.INNOVATE
        ).first()
        actual_years = forecast.years if forecast is not None else None
    if actual_years is None or not 1 <= actual_years <= 50:
        raise InnovationError("Enter the horizon in years, from 1 to 50.")
    reason = indicator_override_reason.strip()
    overriding = indicator_before is not None or indicator_after is not None
    if overriding and not reason:
        raise InnovationError(
            "Enter why you are overriding the indicator figures from the imported series; the reason is kept."
        )
    if reason and not overriding:
        raise InnovationError("Enter the indicator figure that overrides the imported series, or remove the reason.")
    readings = queries.indicator_readings(project=project)
    evaluation = Evaluation.objects.filter(project=project).first() or Evaluation(
        organisation=project.organisation, project=project, recorded_by=actor
    )
    for side, given in (("before", indicator_before), ("after", indicator_after)):
        reading = getattr(readings, side)
        if given is not None:
            value, period = given, ""
        elif reading is not None:
            value, period = reading.value, reading.period
        else:
            value, period = None, ""
        setattr(evaluation, f"indicator_{side}", value)
        setattr(evaluation, f"indicator_{side}_period", period)
    evaluation.indicator_override_reason = reason
    evaluation.outcome, evaluation.summary = outcome, summary
    evaluation.actual_one_off_cost, evaluation.actual_running_cost = actual_one_off_cost, actual_running_cost
    evaluation.actual_benefit, evaluation.actual_years = actual_benefit, actual_years
    evaluation.value_for_money, evaluation.transferability = value_for_money, transferability
    evaluation.transferability_reasons = transferability_reasons
    evaluation._history_user = actor
    evaluation._change_reason = f"Indicator figures overridden: {reason}"[:100] if reason else None
    evaluation.save()
    return evaluation


@transaction.atomic
def project_close(*, actor: User, project: Project, comment: str = "") -> Project:
    """Closes an evaluated project. It is kept, with its story, for ever (R13)."""
    require(actor, "innovation.manage_project", project)
    if not Evaluation.objects.filter(project=project).exists():
        raise InnovationError("Record the evaluation before closing the project.")
    return _move(actor=actor, project=project, to=ProjectStage.CLOSED, comment=comment, end_reason=comment)


@transaction.atomic
def project_abandon(*, actor: User, project: Project, reason: str) -> Project:
    """Stops a project at any stage. The reason is kept; failures are data (R13)."""
    require(actor, "innovation.manage_project", project)
    if not reason.strip():
        raise InnovationError("Enter the reason the project is abandoned; it is kept with the project.")
    return _move(actor=actor, project=project, to=ProjectStage.ABANDONED, comment=reason, end_reason=reason)

"""Projects through their lifecycle: assessment, evaluation, closure (the approval gate is in approval.py).

The one stage mover, `_move`, is here; the work of implementation (progress, milestones, the
team, involvement), which changes no stage, is in delivery.py.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from accounts import languages, notices
from accounts.access import require, require_same_organisation
from accounts.models import Role, User
from innovation import evidence, queries
from innovation.models import (
    BusinessCase,
    BusinessCaseOption,
    Evaluation,
    EvidenceGates,
    NoticeKind,
    Project,
    ProjectStage,
    ProjectTransition,
    ProjectType,
    ScaleUp,
)
from innovation.services import originators
from innovation.services.base import InnovationError, check_version, require_role_of
from portfolio.models import Indicator, ServiceArea

STAGE_VERBS = {
    ProjectStage.ASSESSMENT: pgettext_lazy("this project cannot be …", "returned to assessment"),
    ProjectStage.AWAITING_APPROVAL: pgettext_lazy("this project cannot be …", "submitted for approval"),
    ProjectStage.IMPLEMENTATION: pgettext_lazy("this project cannot be …", "approved"),
    ProjectStage.EVALUATION: pgettext_lazy("this project cannot be …", "moved to evaluation"),
    ProjectStage.CLOSED: pgettext_lazy("this project cannot be …", "closed"),
    ProjectStage.REJECTED: pgettext_lazy("this project cannot be …", "rejected"),
    ProjectStage.DEFERRED: pgettext_lazy("this project cannot be …", "deferred"),
    ProjectStage.ABANDONED: pgettext_lazy("this project cannot be …", "abandoned"),
}


def _move(*, actor: User, project: Project, to: str, comment: str = "", **changes) -> Project:
    """The one place a project's stage changes: locked, checked against the table, audited.

    Must run inside the caller's transaction. The row lock means that of two members
    approving at once, the second finds the project already in implementation and is refused.
    """
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not locked.can_move_to(to):
        raise InnovationError(
            _("This project is in “%(stage)s”, so it cannot be %(verb)s now. Refresh the page to see its latest state.")
            % {"stage": locked.get_stage_display().lower(), "verb": STAGE_VERBS[to]}
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


def _lock_for_edit(project: Project, version: int | None, what: str = "") -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if version is not None:
        check_version(locked.version, version, what or _("this project"))
    return locked


def _save(project: Project, actor: User, reason: str) -> None:
    project.version += 1
    project._history_user = actor
    project._change_reason = reason
    project.save()


def _require_stage(project: Project, stages: set[str], doing: str) -> None:
    if project.stage not in stages:
        raise InnovationError(
            # Translators: doing is like "change the business case".
            _("You cannot %(doing)s while it is in “%(stage)s”. Refresh the page to see its latest state.")
            % {"doing": doing, "stage": project.get_stage_display().lower()}
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
        raise InnovationError(_("A finished project is kept as it ended and cannot be changed."))
    service_areas = list(service_areas)
    require_same_organisation(project.organisation, *service_areas)
    if not service_areas:
        raise InnovationError(_("Select at least one service area."))
    project.title, project.summary, project.indicator, project.budget = title, summary, indicator, budget
    _save(project, actor, "Details changed")
    project.service_areas.set(service_areas)
    return project


@transaction.atomic
def project_set_sponsor(*, actor: User, project: Project, sponsor: User) -> Project:
    """Names the elected member who sponsors the project from assessment onward (R11)."""
    require(actor, "innovation.manage_project", project)
    require_role_of(project.organisation, sponsor, {Role.MEMBER}, _("The sponsor must be an elected member here."))
    project = _lock_for_edit(project, None)
    if project.is_finished:
        raise InnovationError(_("A finished project is kept as it ended and cannot be changed."))
    named_now = project.sponsor_id != sponsor.pk
    project.sponsor = sponsor
    _save(project, actor, f"Sponsor: {sponsor}")
    if named_now and sponsor.pk != actor.pk:
        with languages.in_language_of(sponsor, project.organisation):
            notices.notice_send(
                user=sponsor,
                organisation=project.organisation,
                kind=NoticeKind.SPONSOR_NAMED,
                subject=_("You are named sponsor of “%(title)s”") % {"title": project.title},
                body=_(
                    "%(actor)s has named you the elected member who sponsors “%(title)s”. You will be "
                    "asked to decide on it at the approval gate; until then you can follow its business case "
                    "and risks on its page."
                )
                % {"actor": actor, "title": project.title},
                url=notices.absolute_url(project),
            )
    return project


@transaction.atomic
def project_sponsor_volunteer(*, actor: User, project: Project) -> Project:
    """An elected member offers to sponsor a project that has no sponsor, and becomes its sponsor;
    the owner is told. Only while a sponsor can still be named (not once the project has finished)."""
    require(actor, "innovation.volunteer_sponsor", project)
    project = _lock_for_edit(project, None)
    if project.is_finished:
        raise InnovationError(_("This project has finished, so it no longer needs a sponsor."))
    if project.sponsor_id is not None:
        raise InnovationError(
            _("%(sponsor)s already sponsors this project. Ask its owner, %(owner)s, if you want to help.")
            % {"sponsor": project.sponsor, "owner": project.owner}
        )
    project.sponsor = actor
    _save(project, actor, f"Sponsor: {actor} (volunteered)")
    if project.owner_id != actor.pk:
        with languages.in_language_of(project.owner, project.organisation):
            notices.notice_send(
                user=project.owner,
                organisation=project.organisation,
                kind=NoticeKind.SPONSOR_VOLUNTEERED,
                subject=_("%(actor)s now sponsors “%(title)s”") % {"actor": actor, "title": project.title},
                body=_(
                    "%(actor)s, an elected member, has offered to sponsor “%(title)s”, which you own, and is "
                    "now its sponsor. They will decide on it at the approval gate. If someone else should sponsor "
                    "it, change the sponsor on the project's page."
                )
                % {"actor": actor, "title": project.title},
                url=notices.absolute_url(project),
            )
    return project


def idea_author_tell(*, project: Project, actor: User, what: originators.Text, body: originators.Text) -> None:
    """Tells the author of the idea a project came from what became of it (approved, closed,
    abandoned). Not when they did it themselves, nor an author who has left: `what` ends the subject.
    Both are written in the author's language (originators.Text).

    Whoever gave the idea from outside the council hears of the same moves from
    originators.originator_project_moved, which leaves these three to this function.
    """
    idea = project.idea
    if idea is None or idea.author_id == actor.pk or not idea.author.is_active:
        return
    with languages.in_language_of(idea.author, project.organisation):
        notices.notice_send(
            user=idea.author,
            organisation=project.organisation,
            kind=NoticeKind.IDEA_PROJECT,
            # Translators: what is like "has been approved" or "has closed".
            subject=_("The project from your idea “%(title)s” %(what)s")
            % {"title": idea.title, "what": originators.written(what)},
            body=originators.written(body),
            url=notices.absolute_url(project),
        )


# What a business case option holds: its figures, and the kind of project and time to deliver
# that the optimism bias uplift (innovation/optimism.py) is worked out from.
OPTION_FIELDS = ("description", "one_off_cost", "running_cost", "benefit", "years", "project_type", "delivery_months")


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
    _require_stage(project, {ProjectStage.ASSESSMENT}, pgettext("you cannot …", "change the business case"))
    case = BusinessCase.objects.select_for_update().filter(project=project).first()
    check_version(case.version if case else 0, version, _("this business case"))
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
        for field in OPTION_FIELDS:
            setattr(option, field, figures.get(field, "" if field in ("description", "project_type") else None))
        if option.project_type not in ("", *ProjectType.values):
            raise InnovationError(_("Choose the kind of project from the list, or none."))
        option._history_user = actor
        option.save()
    return case


@transaction.atomic
def project_submit_for_approval(*, actor: User, project: Project, comment: str = "") -> Project:
    """Sends a project to its sponsoring member for a decision, once the case and risks are complete."""
    require(actor, "innovation.manage_project", project)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    _require_stage(locked, {ProjectStage.ASSESSMENT}, pgettext("you cannot …", "submit the project for approval"))
    problems = queries.project_approval_problems(project=locked)
    if problems:
        raise InnovationError(_("The project cannot go for approval yet. ") + " ".join(problems))
    project = _move(actor=actor, project=locked, to=ProjectStage.AWAITING_APPROVAL, comment=comment)
    with languages.in_language_of(project.sponsor, project.organisation):
        notices.notice_send(
            user=project.sponsor,
            organisation=project.organisation,
            kind=NoticeKind.AWAITING_APPROVAL,
            subject=_("“%(title)s” awaits your decision") % {"title": project.title},
            body=_(
                "%(actor)s has submitted “%(title)s”, which you sponsor, for approval.\n\n"
                "Read the business case and the risk assessment, then decide at %(url)s"
            )
            % {"actor": actor, "title": project.title, "url": notices.absolute_url(project)},
            url=notices.absolute_url(project),
        )
    return project


@transaction.atomic
def project_withdraw(*, actor: User, project: Project, comment: str = "") -> Project:
    """Takes a project back from the approval gate to rework it."""
    require(actor, "innovation.manage_project", project)
    return _move(actor=actor, project=project, to=ProjectStage.ASSESSMENT, comment=comment or "Withdrawn")


# ---------------------------------------------------------------- evaluation and the end

# What other apps do once an evaluation is saved, inside its transaction: each is called as
# follow_up(actor=, evaluation=). Sharing registers one from SharingConfig.ready() so that the
# lessons already written from the project carry the level of evidence it now reached, since
# innovation may not import sharing (DESIGN.md).
EVALUATION_FOLLOW_UPS: list = []


def evaluation_follow_up_register(follow_up) -> None:
    """Has `follow_up(actor=, evaluation=)` called after every evaluation is saved."""
    if follow_up not in EVALUATION_FOLLOW_UPS:
        EVALUATION_FOLLOW_UPS.append(follow_up)


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
    evidence_level: int | None,
    evidence_support: str,
    evidence_comparison: str = "",
    evidence_evaluator: str = "",
    actual_years: int | None = None,
    indicator_before: Decimal | None = None,
    indicator_after: Decimal | None = None,
    indicator_override_reason: str = "",
) -> Evaluation:
    """Records what happened against the forecast (R12): actual costs, benefits and horizon, the
    indicator's movement, outcome, transferability and the level of evidence it reached
    (innovation/evidence.py), with what supports it.

    The indicator's before and after are the imported series' (queries.indicator_readings); a
    figure given here overrides the series' only with a reason, which is kept with the evaluation
    and its history. A blank horizon is the business case's.
    """
    require(actor, "innovation.manage_project", project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_stage(project, {ProjectStage.EVALUATION}, pgettext("you cannot …", "record the evaluation"))
    if not 1 <= int(transferability) <= 5:
        raise InnovationError(_("Transferability runs from 1 to 5."))
    if min(actual_one_off_cost, actual_running_cost, actual_benefit) < 0:
        raise InnovationError(_("Actual costs and benefits cannot be negative."))
    problems = evidence.support_problems(
        level=evidence_level, support=evidence_support, comparison=evidence_comparison, evaluator=evidence_evaluator
    )
    if problems:
        raise InnovationError(f"{next(iter(problems.values()))}.")
    if actual_years is None:
        forecast = BusinessCaseOption.objects.filter(
            business_case__project=project, kind=BusinessCaseOption.Kind.INNOVATE
        ).first()
        actual_years = forecast.years if forecast is not None else None
    if actual_years is None or not 1 <= actual_years <= 50:
        raise InnovationError(_("Enter the horizon in years, from 1 to 50."))
    reason = indicator_override_reason.strip()
    overriding = indicator_before is not None or indicator_after is not None
    if overriding and not reason:
        raise InnovationError(
            _("Enter why you are overriding the indicator figures from the imported series; the reason is kept.")
        )
    if reason and not overriding:
        raise InnovationError(_("Enter the indicator figure that overrides the imported series, or remove the reason."))
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
    evaluation.evidence_level, evaluation.evidence_support = evidence_level, evidence_support.strip()
    # Only what the level asks for is kept: a comparison described for a level-2 claim is not evidence of it.
    evaluation.evidence_comparison = evidence_comparison.strip() if evidence_level >= evidence.COMPARISON_FROM else ""
    evaluation.evidence_evaluator = evidence_evaluator.strip() if evidence_level >= evidence.EVALUATOR_FROM else ""
    evaluation._history_user = actor
    evaluation._change_reason = f"Indicator figures overridden: {reason}"[:100] if reason else None
    evaluation.save()
    for follow_up in EVALUATION_FOLLOW_UPS:
        follow_up(actor=actor, evaluation=evaluation)
    return evaluation


@transaction.atomic
def project_close(*, actor: User, project: Project, comment: str = "") -> Project:
    """Closes an evaluated project. It is kept, with its story, for ever (R13)."""
    require(actor, "innovation.manage_project", project)
    if not Evaluation.objects.filter(project=project).exists():
        raise InnovationError(_("Record the evaluation before closing the project."))
    project = _move(actor=actor, project=project, to=ProjectStage.CLOSED, comment=comment, end_reason=comment)
    idea_author_tell(
        project=project,
        actor=actor,
        what=lambda: _("has closed"),
        body=lambda: (
            _(
                "“%(title)s”, the project that grew from your idea, has been evaluated and closed by "
                "%(actor)s. Its page tells what it achieved against what was forecast."
            )
            % {"title": project.title, "actor": actor}
        ),
    )
    return project


@transaction.atomic
def project_abandon(*, actor: User, project: Project, reason: str) -> Project:
    """Stops a project at any stage. The reason is kept; failures are data (R13)."""
    require(actor, "innovation.manage_project", project)
    if not reason.strip():
        raise InnovationError(_("Enter the reason the project is abandoned; it is kept with the project."))
    project = _move(actor=actor, project=project, to=ProjectStage.ABANDONED, comment=reason, end_reason=reason)
    idea_author_tell(
        project=project,
        actor=actor,
        what=lambda: _("has been abandoned"),
        body=lambda: (
            _(
                "%(actor)s has stopped “%(title)s”, the project that grew from your idea, for this "
                "reason:\n\n%(reason)s\n\nWhat it learned is kept with the project."
            )
            % {"actor": actor, "title": project.title, "reason": reason}
        ),
    )
    return project


# ---------------------------------------------------------------- evidence gates and scaling up


@transaction.atomic
def evidence_gates_set(
    *, actor: User, organisation, scale_up_level: int | None, adoption_level: int | None
) -> EvidenceGates:
    """Sets the levels of evidence the organisation asks for before it scales up one of its projects,
    and before it adopts another organisation's practice; None: no gate."""
    require(actor, "innovation.set_evidence_gates", organisation)
    for level in (scale_up_level, adoption_level):
        if level is not None and level not in evidence.EvidenceLevel.values:
            raise InnovationError(_("Select a level of evidence from 1 to 5, or no gate."))
    gates, _created = EvidenceGates.objects.select_for_update().get_or_create(organisation=organisation)
    gates.scale_up_level, gates.adoption_level = scale_up_level, adoption_level
    gates.save()
    return gates


@transaction.atomic
def project_scale_up(*, actor: User, project: Project, plan: str) -> ScaleUp:
    """Takes a closed, evaluated project beyond its pilot, if its evidence meets the organisation's gate."""
    require(actor, "innovation.manage_project", project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    refusal = queries.scale_up_refusal(project)
    if refusal:
        raise InnovationError(refusal)
    if not plan.strip():
        raise InnovationError(_("Enter how the project will be scaled up."))
    return ScaleUp.objects.create(
        organisation=project.organisation,
        project=project,
        plan=plan.strip(),
        evidence_level=project.evaluation.evidence_level,
        decided_by=actor,
    )

"""Every change to risk assessments, risks, controls, reviews and the risk appetite."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import access, notices
from accounts import queries as accounts_queries
from accounts.models import Membership, Organisation, Role, User
from innovation.models import Decision, Project
from risk import scoring
from risk.models import (
    Category,
    Control,
    NoticeKind,
    Risk,
    RiskAppetite,
    RiskAssessment,
    RiskComment,
    RiskReview,
    Status,
    acceptance_expiry,
)


class RiskError(access.LanternError):
    """A change Lantern refuses, with the reason in plain English."""


def _check_belongs(organisation: Organisation, user: User | None, what: str) -> None:
    """A risk's or control's owner must be someone working in the same organisation."""
    if user is None:
        return
    if not accounts_queries.people_in_roles(organisation=organisation, roles=Role.values).filter(pk=user.pk).exists():
        raise RiskError(f"The {what} must be someone in {organisation.name}.")


def _record_scores(*, risk: Risk, actor: User, kind: str, note: str = "") -> RiskReview:
    """Keeps the risk's scores as they now stand, so that the register can show how it moved."""
    return RiskReview.objects.create(
        organisation=risk.organisation,
        risk=risk,
        kind=kind,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        inherent_likelihood=risk.inherent_likelihood,
        inherent_impact=risk.inherent_impact,
        inherent_score=risk.inherent_score,
        residual_likelihood=risk.residual_likelihood,
        residual_impact=risk.residual_impact,
        residual_score=risk.residual_score,
        note=note,
    )


SCORE_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


def _check_residual(residual_likelihood: int | None, residual_impact: int | None) -> None:
    if (residual_likelihood is None) != (residual_impact is None):
        raise RiskError("Give both the residual likelihood and the residual impact, or neither.")


@transaction.atomic
def appetite_set(
    *, actor: User, organisation: Organisation, max_residual_score: int, acceptance_months: int | None = None
) -> RiskAppetite:
    """Sets the highest residual score the organisation accepts without a member accepting it,
    and how many months a member's acceptance at the approval gate lasts."""
    access.require(actor, "risk.set_appetite", organisation)
    if not 1 <= max_residual_score <= 25:
        raise RiskError("The risk appetite must be a score from 1 to 25.")
    appetite, _ = RiskAppetite.objects.select_for_update().get_or_create(organisation=organisation)
    appetite.max_residual_score = max_residual_score
    if acceptance_months is not None:
        if not 1 <= acceptance_months <= 36:
            raise RiskError("An acceptance lasts from 1 to 36 months.")
        appetite.acceptance_months = acceptance_months
    appetite.updated_by = actor
    appetite._history_user = actor
    appetite.save()
    return appetite


@transaction.atomic
def assessment_start(*, actor: User, project: Project) -> RiskAssessment:
    """Starts a project's risk assessment, or returns the one it already has."""
    access.require(actor, "risk.edit_risks", project)
    assessment, _ = RiskAssessment.objects.get_or_create(
        project=project, defaults={"organisation": project.organisation}
    )
    return assessment


@transaction.atomic
def assessment_update(*, actor: User, project: Project, summary: str, recommendation: str) -> RiskAssessment:
    """Writes the assessment's summary, weighing both sides, and its recommendation."""
    assessment = assessment_start(actor=actor, project=project)
    assessment.summary = summary
    assessment.recommendation = recommendation
    assessment._history_user = actor
    assessment.save()
    return assessment


@transaction.atomic
def risk_create(
    *,
    actor: User,
    project: Project,
    title: str,
    category: str,
    inherent_likelihood: int,
    inherent_impact: int,
    description: str = "",
    owner: User | None = None,
    treatment: str = "reduce",
    residual_likelihood: int | None = None,
    residual_impact: int | None = None,
    review_date: datetime.date | None = None,
) -> Risk:
    """Adds a risk to a project's assessment; its first review falls due by its band unless given."""
    assessment = assessment_start(actor=actor, project=project)
    _check_belongs(project.organisation, owner, "risk owner")
    _check_residual(residual_likelihood, residual_impact)
    risk = Risk(
        organisation=project.organisation,
        assessment=assessment,
        title=title,
        description=description,
        category=category,
        owner=owner,
        inherent_likelihood=inherent_likelihood,
        inherent_impact=inherent_impact,
        treatment=treatment,
        residual_likelihood=residual_likelihood,
        residual_impact=residual_impact,
        created_by=actor,
    )
    risk.set_scores()
    risk.review_date = review_date or scoring.default_review_date(risk.current_score, start=timezone.localdate())
    risk._history_user = actor
    risk.save()
    _record_scores(risk=risk, actor=actor, kind=RiskReview.Kind.ASSESSED)
    return risk


@transaction.atomic
def risk_update(
    *,
    actor: User,
    risk: Risk,
    title: str,
    category: str,
    inherent_likelihood: int,
    inherent_impact: int,
    description: str = "",
    owner: User | None = None,
    treatment: str = "reduce",
    residual_likelihood: int | None = None,
    residual_impact: int | None = None,
    review_date: datetime.date | None = None,
) -> Risk:
    """Corrects a risk's details; a change of score is kept in its history like a review."""
    access.require(actor, "risk.edit_risks", risk)
    _check_belongs(risk.organisation, owner, "risk owner")
    _check_residual(residual_likelihood, residual_impact)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    before = tuple(getattr(risk, field) for field in SCORE_FIELDS)
    risk.title = title
    risk.description = description
    risk.category = category
    risk.owner = owner
    risk.treatment = treatment
    risk.inherent_likelihood = inherent_likelihood
    risk.inherent_impact = inherent_impact
    risk.residual_likelihood = residual_likelihood
    risk.residual_impact = residual_impact
    risk.set_scores()
    if review_date is not None:
        risk.review_date = review_date
    risk._history_user = actor
    risk.save()
    if tuple(getattr(risk, field) for field in SCORE_FIELDS) != before:
        _record_scores(risk=risk, actor=actor, kind=RiskReview.Kind.EDITED)
    return risk


@transaction.atomic
def risk_review(
    *,
    actor: User,
    risk: Risk,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int,
    residual_impact: int,
    note: str,
    status: str = "open",
    review_date: datetime.date | None = None,
) -> RiskReview:
    """A manager's review: re-scores the risk, says what changed and sets the next review date."""
    access.require(actor, "risk.review_risk", risk)
    if not note.strip():
        raise RiskError("Say what has changed since the last review.")
    _check_residual(residual_likelihood, residual_impact)
    # Locked, so that two managers reviewing at once both leave a history row in order.
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    risk.inherent_likelihood = inherent_likelihood
    risk.inherent_impact = inherent_impact
    risk.residual_likelihood = residual_likelihood
    risk.residual_impact = residual_impact
    risk.status = status
    risk.set_scores()
    today = timezone.localdate()
    risk.last_reviewed_at = timezone.now()
    risk.review_date = review_date or scoring.default_review_date(risk.current_score, start=today)
    risk._history_user = actor
    risk.save()
    return _record_scores(risk=risk, actor=actor, kind=RiskReview.Kind.REVIEWED, note=note)


@transaction.atomic
def control_add(
    *,
    actor: User,
    risk: Risk,
    description: str,
    owner: User | None = None,
    cost=None,
    start_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
    status: str = Control.Status.PLANNED,
) -> Control:
    """Adds a control or mitigation to a risk, with its owner, cost and dates."""
    access.require(actor, "risk.edit_risks", risk)
    _check_belongs(risk.organisation, owner, "control’s owner")
    if start_date and due_date and due_date < start_date:
        raise RiskError("The date it is due must be the same as or after the date it starts.")
    control = Control(
        organisation=risk.organisation,
        risk=risk,
        description=description,
        owner=owner,
        cost=cost,
        start_date=start_date,
        due_date=due_date,
        status=status,
    )
    control._history_user = actor
    control.save()
    return control


@transaction.atomic
def risk_comment_add(*, actor: User, risk: Risk, body: str) -> RiskComment:
    """Adds a comment to a risk."""
    access.require(actor, "risk.comment_on_risk", risk)
    if not body.strip():
        raise RiskError("Enter your comment.")
    return RiskComment.objects.create(organisation=risk.organisation, risk=risk, author=actor, body=body.strip())


@transaction.atomic
def risk_escalate(*, actor: User, risk: Risk, note: str) -> Risk:
    """Escalates a risk to the organisation's elected members, who are emailed about it."""
    access.require(actor, "risk.escalate_risk", risk)
    if not note.strip():
        raise RiskError("Say why you are escalating this risk to members.")
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    risk.escalated_at = timezone.now()
    risk.escalated_by = actor
    risk.escalation_note = note.strip()
    risk._history_user = actor
    risk.save(update_fields=["escalated_at", "escalated_by", "escalation_note"])
    members = accounts_queries.people_in_roles(organisation=risk.organisation, roles=[Role.MEMBER])
    link = notices.absolute_url("risk:risk-detail", risk.pk)
    body = render_to_string("risk/email/escalated.txt", {"risk": risk, "actor": actor, "link": link})
    for member in members:
        notices.notice_send(
            user=member,
            organisation=risk.organisation,
            kind=NoticeKind.ESCALATED,
            subject=f"Risk escalated to members: {risk.title}",
            body=body,
        )
    return risk


@transaction.atomic
def risk_accept(*, actor: User, risk: Risk, until: datetime.date, note: str, decision: Decision | None = None) -> Risk:
    """An elected member accepts a risk above appetite as it stands, until a given date.

    The one way an acceptance is recorded: the risk page calls it for one risk, and the approval
    gate for each risk above appetite the deciding member accepts (`decision` then says which
    approval it came with), so that the risk page does not ask for it again.
    """
    access.require(actor, "risk.accept_risk", risk)
    if risk.is_not_innovating:
        raise RiskError(
            "The risk of not innovating is weighed against the project’s risks when members decide, not accepted."
        )
    if until <= timezone.localdate():
        raise RiskError("The date the acceptance lasts until must be in the future.")
    if not note.strip():
        raise RiskError("Say why the risk is acceptable.")
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    risk.accepted_by = actor
    risk.accepted_at = timezone.now()
    risk.accepted_until = until
    risk.acceptance_note = note.strip()
    risk.acceptance_decision = decision
    risk._history_user = actor
    risk.save(update_fields=["accepted_by", "accepted_at", "accepted_until", "acceptance_note", "acceptance_decision"])
    return risk


def carrying_owner_for(project: Project) -> User | None:
    """Who owns a risk of not innovating once the organisation carries it: the service area's manager.

    Lantern records no manager per service area; the manager who owns the project is the one
    answerable for its service areas' case, so it is they while they are an active manager
    there, else the organisation's longest-standing active manager (None when it has none).
    """
    managers = Membership.objects.for_organisation(project.organisation).active().filter(role=Role.MANAGER)
    if managers.filter(user_id=project.owner_id).exists():
        return project.owner
    first = managers.select_related("user").order_by("created_at", "pk").first()
    return first.user if first else None


def risks_carry_not_innovating(*, actor: User, decision: Decision) -> list[Risk]:
    """A member rejected the project: its open risks of not innovating become the organisation's to carry.

    They stay on the organisation's register (RiskQuerySet.on_register) although the project
    is finished, owned by the service area's manager (carrying_owner_for), with the rejection
    they came from. Runs inside the decision's transaction.
    """
    project = decision.project
    owner = carrying_owner_for(project)
    carried = []
    for risk in Risk.objects.select_for_update().filter(
        assessment__project=project, category=Category.MISSED_OPPORTUNITY, status=Status.OPEN
    ):
        risk.carried_at = timezone.now()
        risk.carried_decision = decision
        risk.owner = owner or risk.owner
        risk._history_user = actor
        risk._change_reason = "Carried by the organisation: the project was rejected"
        risk.save(update_fields=["carried_at", "carried_decision", "owner"])
        carried.append(risk)
    return carried


def decision_follow_up(*, actor: User, decision: Decision) -> None:
    """What a member's decision at the approval gate means for the project's risks.

    Registered with innovation's gate from RiskConfig.ready(), since innovation may not import
    risk. Approving with acceptance records it on each risk above appetite not already accepted;
    rejecting leaves the organisation carrying the risk of not innovating.
    """
    project = decision.project
    assessment = RiskAssessment.objects.for_organisation(decision.organisation).filter(project=project).first()
    if assessment is None:
        return
    if decision.outcome == Decision.Outcome.APPROVED and decision.accepted_residual_risk:
        until = acceptance_expiry(project.organisation)
        note = f"Accepted on approving the project “{project.title}”: {decision.rationale.strip()}"
        for risk in assessment.awaiting_acceptance:
            risk_accept(actor=actor, risk=risk, until=until, note=note, decision=decision)
    elif decision.outcome == Decision.Outcome.REJECTED:
        risks_carry_not_innovating(actor=actor, decision=decision)


@transaction.atomic
def overdue_reviews_remind(*, today: datetime.date | None = None) -> int:
    """Tells each owner of open risks on the registers (live projects', and those the organisation
    carries) whose review is overdue; returns the notices."""
    today = today or timezone.localdate()
    overdue = (
        Risk.objects.on_register()
        .overdue(today)
        .filter(owner__isnull=False, owner__is_active=True)
        .select_related("owner", "organisation", "assessment__project")
        .order_by("organisation__name", "review_date", "pk")
    )
    by_owner: dict[tuple[int, int], list[Risk]] = defaultdict(list)
    for risk in overdue:
        by_owner[(risk.owner_id, risk.organisation_id)].append(risk)
    for risks in by_owner.values():
        owner, organisation = risks[0].owner, risks[0].organisation
        body = render_to_string(
            "risk/email/overdue_reviews.txt",
            {
                "owner": owner,
                "organisation": organisation,
                "risks": [(risk, notices.absolute_url(risk)) for risk in risks],
                "today": today,
            },
        )
        notices.notice_send(
            user=owner,
            organisation=organisation,
            kind=NoticeKind.REVIEWS_OVERDUE,
            subject=f"{len(risks)} risk review{'s' if len(risks) != 1 else ''} overdue in {organisation.name}",
            body=body,
        )
    return len(by_owner)

"""What goes before the elected members and what their decisions mean for a project's risks:
escalation, acceptance of a risk above appetite, and carrying the risk of not innovating.
"""

import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, languages, notices
from accounts import queries as accounts_queries
from accounts.models import Membership, Role, User
from innovation.models import Decision, Project
from risk.models import Category, NoticeKind, Risk, RiskAssessment, Status, acceptance_expiry
from risk.services.base import RiskError


@transaction.atomic
def risk_escalate(*, actor: User, risk: Risk, note: str) -> Risk:
    """Escalates a risk to the organisation's elected members, who are emailed about it."""
    access.require(actor, "risk.escalate_risk", risk)
    if not note.strip():
        raise RiskError(_("Say why you are escalating this risk to members."))
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    risk.escalated_at = timezone.now()
    risk.escalated_by = actor
    risk.escalation_note = note.strip()
    risk._history_user = actor
    risk.save(update_fields=["escalated_at", "escalated_by", "escalation_note"])
    members = accounts_queries.people_in_roles(organisation=risk.organisation, roles=[Role.MEMBER])
    link = notices.absolute_url("risk:risk-detail", risk.pk)
    for member in members:
        with languages.in_language_of(member, risk.organisation):
            body = render_to_string("risk/email/escalated.txt", {"risk": risk, "actor": actor, "link": link})
            notices.notice_send(
                user=member,
                organisation=risk.organisation,
                kind=NoticeKind.ESCALATED,
                subject=_("Risk escalated to members: %(title)s") % {"title": risk.title},
                body=body,
                url=link,
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
            _("The risk of not innovating is weighed against the project’s risks when members decide, not accepted.")
        )
    if until <= timezone.localdate():
        raise RiskError(_("The date the acceptance lasts until must be in the future."))
    if not note.strip():
        raise RiskError(_("Say why the risk is acceptable."))
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

"""The approval gate: a member approves, rejects or defers a project, other apps follow the
decision up, and a deferred project is reopened.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from accounts import languages, notices
from accounts.access import Refused, require
from accounts.bilingual import Language
from accounts.models import Membership, Organisation, Role, User
from innovation import key_decisions
from innovation.models import (
    BusinessCaseOption,
    Decision,
    DecisionArrangement,
    DecisionMaker,
    NoticeKind,
    Project,
    ProjectStage,
)
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


@dataclass(frozen=True)
class Declaration:
    """What one member declares before a decision: whether they are present (for a committee),
    any interest they have in it, and the dispensation that lets them take part despite it."""

    member: User
    present: bool = True
    interest: str = DecisionMaker.Interest.NONE
    interest_description: str = ""
    dispensation_granted_by: str = ""
    dispensation_date: datetime.date | None = None

    @property
    def has_dispensation(self) -> bool:
        return bool(self.dispensation_granted_by.strip()) and self.dispensation_date is not None


def decision_arrangement_for(organisation: Organisation) -> DecisionArrangement:
    """The organisation's arrangements, or the default (a single member, nothing published) if its
    admin has set none; the default is not saved."""
    arrangement = DecisionArrangement.objects.filter(organisation=organisation).first()
    return arrangement or DecisionArrangement(organisation=organisation)


def committee_members(arrangement: DecisionArrangement) -> list[User]:
    """The committee's members who still hold the elected member role in the organisation: someone
    who has left, or is no longer a member, is not on the committee any more."""
    if arrangement.pk is None:
        return []
    current = Membership.objects.for_organisation(arrangement.organisation).active().filter(role=Role.MEMBER)
    return list(arrangement.committee_members.filter(pk__in=current.values("user_id")).order_by("full_name", "email"))


def _check_declaration(declaration: Declaration, *, alone: bool) -> None:
    words = {"name": declaration.member.full_name or declaration.member.email}
    if declaration.interest not in DecisionMaker.Interest.values:
        raise InnovationError(
            _("Say whether you declared an interest.")
            if alone
            else _("Say whether %(name)s declared an interest.") % words
        )
    if declaration.interest == DecisionMaker.Interest.DECLARED and not declaration.interest_description.strip():
        raise InnovationError(
            _("Describe the interest you declared.") if alone else _("Describe the interest %(name)s declared.") % words
        )
    if bool(declaration.dispensation_granted_by.strip()) != (declaration.dispensation_date is not None):
        raise InnovationError(
            _("Give both who granted the dispensation for you and when.")
            if alone
            else _("Give both who granted the dispensation for %(name)s and when.") % words
        )


def _makers(
    *, actor: User, project: Project, arrangement: DecisionArrangement, declarations: list[Declaration] | None
) -> tuple[list[DecisionMaker], int | None]:
    """The decision-makers as they go on the record, or a refusal that says why the decision
    cannot be taken by them. The rules (README, *Records of decision*):

    - a member with a declared interest and no dispensation recorded does not take part: deciding
      alone they are refused; on a committee they are recorded as not taking part;
    - the project's sponsor may not decide it alone; on a committee they may be present and speak
      but do not count toward the quorum or take part in the decision;
    - a committee decides only when at least its quorum of members take part."""
    organisation = project.organisation
    if not arrangement.by_committee:
        declaration = declarations[0] if declarations else Declaration(member=actor)
        if len(declarations or [declaration]) != 1 or declaration.member.pk != actor.pk:
            raise Refused
        _check_declaration(declaration, alone=True)
        if project.sponsor_id == actor.pk:
            raise InnovationError(
                _(
                    "You sponsor this project, so you may not be its only decision-maker: ask another "
                    "elected member to decide, or the admin to put it to the committee."
                )
            )
        if declaration.interest == DecisionMaker.Interest.DECLARED and not declaration.has_dispensation:
            raise InnovationError(
                _(
                    "You have declared an interest and no dispensation is recorded, so you may not take this "
                    "decision: ask another elected member to decide, or record the dispensation granted to you."
                )
            )
        return [
            _maker(
                declaration,
                organisation,  # Kept in English on the record (shown through its translation).
                role=gettext_noop("Portfolio holder"),
                took_part=True,
                sponsor=False,
            )
        ], None

    members = {member.pk: member for member in committee_members(arrangement)}
    if declarations is None:
        raise InnovationError(
            _("Say which members of the %(committee)s were present.") % {"committee": arrangement.committee_name}
        )
    if any(d.member.pk not in members for d in declarations) or len({d.member.pk for d in declarations}) != len(
        declarations
    ):
        raise Refused
    present = {d.member.pk for d in declarations if d.present}
    if actor.pk not in members or actor.pk not in present:
        raise InnovationError(
            _("Only a member of the %(committee)s who was present can record its decision.")
            % {"committee": arrangement.committee_name}
        )
    makers = []
    for declaration in declarations:
        if declaration.present:
            _check_declaration(declaration, alone=False)
        sponsor = project.sponsor_id == declaration.member.pk
        conflicted = declaration.interest == DecisionMaker.Interest.DECLARED and not declaration.has_dispensation
        took_part = declaration.present and not sponsor and not conflicted
        role = f"Member of the {arrangement.committee_name}"
        makers.append(_maker(declaration, organisation, role=role, took_part=took_part, sponsor=sponsor))
    taking_part = sum(maker.took_part for maker in makers)
    if taking_part < arrangement.quorum:
        raise InnovationError(
            _(
                "The %(committee)s is not quorate: %(taking_part)s of the %(quorum)s members "
                "needed can take part. The project’s sponsor and members with an interest and no dispensation "
                "do not count."
            )
            % {"committee": arrangement.committee_name, "taking_part": taking_part, "quorum": arrangement.quorum}
        )
    return makers, arrangement.quorum


def _maker(declaration: Declaration, organisation, *, role: str, took_part: bool, sponsor: bool) -> DecisionMaker:
    declared = declaration.interest == DecisionMaker.Interest.DECLARED
    return DecisionMaker(
        organisation=organisation,
        member=declaration.member,
        role=role,
        present=declaration.present,
        is_sponsor=sponsor,
        interest=declaration.interest if declaration.present else DecisionMaker.Interest.NONE,
        interest_description=declaration.interest_description.strip() if declared and declaration.present else "",
        dispensation_granted_by=declaration.dispensation_granted_by.strip() if declaration.present else "",
        dispensation_date=declaration.dispensation_date if declaration.present else None,
        took_part=took_part,
    )


# The options of the business case each outcome takes (the rest are considered and rejected):
# approving takes the innovation; rejecting rejects it; deferring sends the case back with every
# option still open, so none is rejected.
OPTIONS_TAKEN = {
    Decision.Outcome.APPROVED: BusinessCaseOption.Kind.INNOVATE,
    Decision.Outcome.REJECTED: "",
    Decision.Outcome.DEFERRED: "",
}


def options_rejected_by(outcome: str) -> list[str]:
    """The kinds of option a decision with `outcome` rejects, each of which needs a reason."""
    if outcome == Decision.Outcome.APPROVED:
        return [BusinessCaseOption.Kind.INCREMENTAL, BusinessCaseOption.Kind.DO_NOTHING]
    if outcome == Decision.Outcome.REJECTED:
        return [BusinessCaseOption.Kind.INNOVATE]
    return []


def _options_rejected(locked: Project, outcome: str, reasons: dict[str, str] | None) -> list[dict]:
    case = getattr(locked, "business_case", None)
    options = {option.kind: option for option in case.options.all()} if case is not None else {}
    rows = []
    for kind in options_rejected_by(outcome):
        reason = (reasons or {}).get(kind, "").strip()
        label = BusinessCaseOption.Kind(kind).label
        if reasons is not None and not reason:
            raise InnovationError(_("Give the reason the option “%(option)s” is rejected.") % {"option": label.lower()})
        option = options.get(kind)
        net = option.net_value if option is not None else None
        rows.append(
            {"kind": kind, "label": str(label), "net_value": None if net is None else str(net), "reason": reason}
        )
    return rows


def _documents(locked: Project) -> list[dict]:
    """The documents before the decision-maker, as they stood: only those that exist. The detail
    is kept in English, with its version and ISO date for showing it in the reader's language
    (queries.decisions)."""
    documents = []
    case = getattr(locked, "business_case", None)
    if case is not None:
        changed = timezone.localdate(case.updated_at)
        documents.append(
            {
                "title": gettext_noop("Business case"),
                "detail": f"version {case.version}, last changed {changed.day} {changed:%B %Y}",
                "version": case.version,
                "changed": changed.isoformat(),
            }
        )
    assessment = getattr(locked, "risk_assessment", None)
    if assessment is not None:
        changed = getattr(assessment, "updated_at", None)
        if changed:
            changed = timezone.localdate(changed)
            dated = {"detail": f"last changed {changed.day} {changed:%B %Y}", "changed": changed.isoformat()}
        else:
            dated = {"detail": ""}
        documents.append({"title": gettext_noop("Risk assessment"), **dated})
    return documents


def _decide(
    *,
    actor: User,
    project: Project,
    to: str,
    outcome: str,
    rationale: str,
    check: Callable[[Project], bool] | None = None,
    declarations: list[Declaration] | None = None,
    rejected_option_reasons: dict[str, str] | None = None,
    language: str = Language.ENGLISH,
    rationale_translation: str = "",
) -> Project:
    """A decision at the approval gate: one permission check, one locked load of the project.
    `check` sees the locked project before anything is written, may refuse, and answers whether
    residual risk above appetite is accepted. `declarations` are the decision-makers' (the
    actor alone with no interest when not given: for code and demo data, never the form);
    `rejected_option_reasons` gives, for each option the outcome rejects, why. The rationale is
    written in `language`; `rationale_translation` is the same in the other language, if given."""
    require(actor, "innovation.decide_project", project)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    accept = check(locked) if check is not None else False
    if not rationale.strip():
        raise InnovationError(_("Enter the rationale for your decision; it is recorded and shown with the project."))
    _require_stage(locked, {ProjectStage.AWAITING_APPROVAL}, pgettext("you cannot …", "decide on this project"))
    key_decisions.gate_check(locked, outcome)  # reg. 9: 28 clear days on the forward plan, or an urgency route
    arrangement = decision_arrangement_for(locked.organisation)
    makers, quorum = _makers(actor=actor, project=locked, arrangement=arrangement, declarations=declarations)
    options_rejected = _options_rejected(locked, outcome, rejected_option_reasons)
    accepted_risks = (
        [
            {"title": str(risk), "residual_score": getattr(risk, "residual_score", None)}
            for risk in locked.risk_assessment.awaiting_acceptance
        ]
        if accept
        else []
    )
    documents = _documents(locked)
    earlier = Decision.objects.filter(project=locked).order_by("-created_at", "-pk").first()
    changes = {"end_reason": rationale} if to == ProjectStage.REJECTED else {}
    project = _move(actor=actor, project=locked, to=to, comment=rationale, **changes)
    decision = Decision.objects.create(
        organisation=project.organisation,
        project=project,
        member=actor,
        outcome=outcome,
        rationale=rationale,
        language=language,
        rationale_translation=rationale_translation.strip(),
        accepted_residual_risk=accept,
        made_by=arrangement.made_by,
        committee_name=arrangement.committee_name if arrangement.by_committee else "",
        quorum=quorum,
        chosen_option=OPTIONS_TAKEN[outcome],
        options_rejected=options_rejected,
        accepted_risks=accepted_risks,
        documents=documents,
        supersedes=earlier,
    )
    for maker in makers:
        maker.decision = decision
        maker.save()
    for follow_up in DECISION_FOLLOW_UPS:
        follow_up(actor=actor, decision=decision)
    with languages.in_language_of(project.owner, project.organisation):
        outcome_words = decision.get_outcome_display().lower()
        notices.notice_send(
            user=project.owner,
            organisation=project.organisation,
            kind=NoticeKind.DECISION,
            # Translators: outcome is "approved", "rejected" or "deferred".
            subject=_("“%(title)s” has been %(outcome)s") % {"title": project.title, "outcome": outcome_words},
            body=_("%(actor)s has %(outcome)s “%(title)s”.\n\nTheir rationale:\n%(rationale)s\n\n%(url)s")
            % {
                "actor": actor,
                "outcome": outcome_words,
                "title": project.title,
                "rationale": rationale,
                "url": notices.absolute_url(project),
            },
            url=notices.absolute_url(project),
        )
    # The owner hears of every decision above; the idea's author of an approval, unless they own it.
    if outcome == Decision.Outcome.APPROVED and project.idea is not None and project.idea.author_id != project.owner_id:
        idea_author_tell(
            project=project,
            actor=actor,
            what=lambda: _("has been approved"),
            body=lambda: (
                _(
                    "%(actor)s has approved “%(title)s”, the project that grew from your idea, for "
                    "implementation.\n\nTheir rationale:\n%(rationale)s"
                )
                % {"actor": actor, "title": project.title, "rationale": rationale}
            ),
        )
    return project


@transaction.atomic
def project_approve(
    *,
    actor: User,
    project: Project,
    rationale: str,
    accept_residual_risk: bool = False,
    declarations: list[Declaration] | None = None,
    rejected_option_reasons: dict[str, str] | None = None,
    language: str = Language.ENGLISH,
    rationale_translation: str = "",
) -> Project:
    """A member approves the project for implementation, accepting any risk of it above appetite.

    The risk of not innovating never asks for acceptance, and a risk a member has already
    accepted (unexpired) is not asked for again: the assessment's `awaiting_acceptance` says
    which are left, and the risk app records the acceptance on each (DECISION_FOLLOW_UPS)."""

    def risk_accepted(locked: Project) -> bool:
        # The locked row is loaded afresh, so its reverse one-to-one sees an assessment made
        # after the caller's instance was loaded.
        risk_assessment = getattr(locked, "risk_assessment", None)
        if risk_assessment is None or risk_assessment.approval_problems():
            raise InnovationError(_("The project cannot be approved without a complete risk assessment."))
        awaiting = risk_assessment.awaiting_acceptance
        if awaiting and not accept_residual_risk:
            raise InnovationError(
                _(
                    "The residual risk of this project exceeds the organisation’s risk appetite. "
                    "To approve it, confirm that you accept that risk."
                )
            )
        return bool(accept_residual_risk and awaiting)

    return _decide(
        actor=actor,
        project=project,
        to=ProjectStage.IMPLEMENTATION,
        outcome=Decision.Outcome.APPROVED,
        rationale=rationale,
        check=risk_accepted,
        declarations=declarations,
        rejected_option_reasons=rejected_option_reasons,
        language=language,
        rationale_translation=rationale_translation,
    )


@transaction.atomic
def project_reject(
    *,
    actor: User,
    project: Project,
    rationale: str,
    declarations: list[Declaration] | None = None,
    rejected_option_reasons: dict[str, str] | None = None,
    language: str = Language.ENGLISH,
    rationale_translation: str = "",
) -> Project:
    """A member rejects the project; it is kept, with the rationale, and never deleted."""
    return _decide(
        actor=actor,
        project=project,
        to=ProjectStage.REJECTED,
        outcome=Decision.Outcome.REJECTED,
        rationale=rationale,
        declarations=declarations,
        rejected_option_reasons=rejected_option_reasons,
        language=language,
        rationale_translation=rationale_translation,
    )


@transaction.atomic
def project_defer(
    *,
    actor: User,
    project: Project,
    rationale: str,
    declarations: list[Declaration] | None = None,
    language: str = Language.ENGLISH,
    rationale_translation: str = "",
) -> Project:
    """A member defers the decision (sends it back); the owner can rework the case and submit again."""
    return _decide(
        actor=actor,
        project=project,
        to=ProjectStage.DEFERRED,
        outcome=Decision.Outcome.DEFERRED,
        rationale=rationale,
        declarations=declarations,
        language=language,
        rationale_translation=rationale_translation,
    )


@transaction.atomic
def project_reopen(*, actor: User, project: Project, comment: str = "") -> Project:
    """Brings a deferred project back into assessment."""
    require(actor, "innovation.manage_project", project)
    return _move(actor=actor, project=project, to=ProjectStage.ASSESSMENT, comment=comment or "Reopened")


@transaction.atomic
def decision_arrangement_save(
    *,
    actor: User,
    organisation: Organisation,
    made_by: str,
    committee_name: str = "",
    members: list[User] | None = None,
    quorum: int = 3,
    publish_decisions: bool = False,
) -> DecisionArrangement:
    """The admin sets how the organisation decides at the approval gate and whether it publishes
    its records of decision."""
    require(actor, "innovation.manage_decision_arrangement", organisation)
    members = members or []
    eligible = set(
        Membership.objects.for_organisation(organisation)
        .active()
        .filter(role=Role.MEMBER)
        .values_list("user_id", flat=True)
    )
    if any(member.pk not in eligible for member in members):
        raise Refused
    if made_by == Decision.MadeBy.COMMITTEE:
        if not committee_name.strip():
            raise InnovationError(_("Enter the name of the committee."))
        if quorum < 1:
            raise InnovationError(_("The quorum must be 1 or more."))
        if len(members) < quorum:
            raise InnovationError(
                _("Choose at least as many committee members as the quorum (%(quorum)s).") % {"quorum": quorum}
            )
    arrangement = DecisionArrangement.objects.select_for_update().filter(organisation=organisation).first()
    arrangement = arrangement or DecisionArrangement(organisation=organisation)
    arrangement.made_by = made_by
    arrangement.committee_name = committee_name.strip() if made_by == Decision.MadeBy.COMMITTEE else ""
    arrangement.quorum = quorum
    arrangement.publish_decisions = publish_decisions
    arrangement.save()
    arrangement.committee_members.set(members if made_by == Decision.MadeBy.COMMITTEE else [])
    return arrangement

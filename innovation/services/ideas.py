"""Campaigns, ideas, screening and scorecards."""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import languages, notices
from accounts import queries as accounts_queries
from accounts.access import require, require_same_organisation
from accounts.bilingual import Language
from accounts.models import Organisation, PartnerOrganisation, Role, User
from innovation import queries
from innovation.models import (
    Campaign,
    Criterion,
    CriterionScore,
    Idea,
    IdeaComment,
    IdeaStage,
    IdeaSupport,
    IdeaTransition,
    NoticeKind,
    Project,
    ProjectStage,
    Scorecard,
    weighted_average,
)
from innovation.services import originators
from innovation.services.base import (
    STAFF_ROLES,
    InnovationError,
    check_version,
    require_role_of,
)
from portfolio.models import Indicator, ServiceArea

DEFAULT_CRITERIA = [
    ("Fit with the gap", "How well it addresses where the service falls furthest short", 3),
    ("Benefit to users", "What difference it makes to the people who use the service", 3),
    ("Feasibility", "Whether we could deliver it with the skills and partners we have", 2),
    ("Cost", "Higher scores for lower cost", 2),
]


# ---------------------------------------------------------------- campaigns


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    question: str,
    deadline: datetime.date,
    service_areas: Iterable[ServiceArea] = (),
    is_public: bool = False,
    partner_organisations: Iterable[PartnerOrganisation] = (),
    language: str = Language.ENGLISH,
    title_translation: str = "",
    question_translation: str = "",
) -> Campaign:
    """Opens a challenge that ideas can answer until its deadline (R7): to staff, and to the public
    and named partner organisations when chosen (R5, R6)."""
    require(actor, "innovation.manage_campaign", organisation)
    service_areas, partner_organisations = list(service_areas), list(partner_organisations)
    require_same_organisation(organisation, *service_areas, *partner_organisations)
    if deadline < timezone.localdate():
        raise InnovationError(_("The deadline must be today or in the future."))
    campaign = Campaign.objects.create(
        organisation=organisation,
        title=title,
        question=question,
        language=language,
        title_translation=title_translation,
        question_translation=question_translation,
        deadline=deadline,
        created_by=actor,
        is_public=is_public,
    )
    campaign.service_areas.set(service_areas)
    campaign.partner_organisations.set(partner_organisations)
    _campaign_opened_tell_staff(campaign=campaign, actor=actor)
    return campaign


def _campaign_opened_tell_staff(*, campaign: Campaign, actor: User) -> None:
    """Every member of staff hears of a new campaign, so that it gathers ideas: in their weekly
    digest unless they chose otherwise (NOTICE_DEFAULTS). Not the manager who opened it."""
    link = notices.absolute_url("innovation:campaign-detail", campaign.pk)
    staff = accounts_queries.people_in_roles(organisation=campaign.organisation, roles=STAFF_ROLES)
    for person in staff.exclude(pk=actor.pk):
        with languages.in_language_of(person, campaign.organisation):
            notices.notice_send(
                user=person,
                organisation=campaign.organisation,
                kind=NoticeKind.CAMPAIGN_OPENED,
                subject=_("A new idea campaign: %(title)s") % {"title": campaign.title},
                body=_(
                    "%(actor)s has opened an idea campaign, “%(title)s”, which takes ideas until "
                    "%(deadline)s.\n\n%(question)s\n\nGive your idea at %(link)s"
                )
                % {
                    "actor": actor,
                    "title": campaign.title,
                    "deadline": formats.date_format(campaign.deadline, "j F Y"),
                    "question": campaign.question,
                    "link": link,
                },
                url=link,
            )


@transaction.atomic
def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    """Closes a campaign before its deadline; ideas can no longer answer it."""
    require(actor, "innovation.manage_campaign", campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_open:
        raise InnovationError(_("This campaign is already closed."))
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["closed_at"])
    return campaign


@transaction.atomic
def criteria_ensure_defaults(*, organisation: Organisation) -> list[Criterion]:
    """Gives an organisation the standard weighted criteria if it has none of its own yet."""
    existing = list(Criterion.objects.for_organisation(organisation).filter(campaign__isnull=True))
    if existing:
        return existing
    return [
        Criterion.objects.create(
            organisation=organisation, name=name, description=description, weight=weight, position=position
        )
        for position, (name, description, weight) in enumerate(DEFAULT_CRITERIA)
    ]


# ---------------------------------------------------------------- ideas


def _idea_fields_check(
    organisation: Organisation,
    service_areas: list[ServiceArea],
    campaign: Campaign | None,
    indicator: Indicator | None,
    was_campaign: Campaign | None = None,
) -> None:
    require_same_organisation(organisation, *service_areas, campaign)
    if indicator is not None and indicator.organisation_id is not None:
        require_same_organisation(organisation, indicator)  # another organisation's own indicator: forged
    if not service_areas:
        raise InnovationError(_("Select at least one service area the idea touches."))
    if campaign is not None and campaign != was_campaign:
        campaign.refresh_from_db(fields=["deadline", "closed_at"])
        if not campaign.is_open:
            raise InnovationError(
                _("The campaign “%(campaign)s” has closed, so ideas can no longer answer it.") % {"campaign": campaign}
            )


@transaction.atomic
def idea_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    problem: str,
    proposal: str,
    source: str,
    service_areas: Iterable[ServiceArea],
    indicator: Indicator | None = None,
    campaign: Campaign | None = None,
    originator_name: str = "",
    originator_email: str = "",
    originator_consent: bool = False,
) -> Idea:
    """Logs an idea from any member of staff (R5, R6), optionally answering a campaign (R7).

    Staff logging it on someone's behalf name them, and, with their consent to be contacted,
    their email address: they are then told what happens to it as the author is."""
    require(actor, "innovation.add_idea", organisation)
    service_areas = list(service_areas)
    _idea_fields_check(organisation, service_areas, campaign, indicator)
    originator_name, originator_email = originator_name.strip(), originator_email.strip().lower()
    if originator_email and not originator_consent:
        raise InnovationError(_("Only record their email address if they agree to be told what happens to their idea."))
    if originator_email and not originator_name:
        raise InnovationError(_("Enter the name of the person whose idea it is."))
    # Numbers are per organisation; the unique constraint catches the rare simultaneous pair.
    last = Idea.objects.for_organisation(organisation).aggregate(last=Max("reference"))["last"] or 0
    idea = Idea(
        organisation=organisation,
        reference=last + 1,
        title=title,
        problem=problem,
        proposal=proposal,
        source=source,
        indicator=indicator,
        campaign=campaign,
        author=actor,
        originator_name=originator_name,
        originator_email=originator_email,
        originator_consent=bool(originator_email and originator_consent),
    )
    idea._history_user = actor
    try:
        with transaction.atomic():
            idea.save()
    except IntegrityError as error:
        raise InnovationError(_("Someone logged an idea at the same moment. Please submit yours again.")) from error
    idea.service_areas.set(service_areas)
    return idea


@transaction.atomic
def idea_update(
    *,
    actor: User,
    idea: Idea,
    version: int,
    title: str,
    problem: str,
    proposal: str,
    source: str,
    service_areas: Iterable[ServiceArea],
    indicator: Indicator | None = None,
    campaign: Campaign | None = None,
) -> Idea:
    """The author changes their idea, which they may do until screening starts."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    require(actor, "innovation.change_idea", idea)
    check_version(idea.version, version, _("this idea"))
    service_areas = list(service_areas)
    _idea_fields_check(idea.organisation, service_areas, campaign, indicator, was_campaign=idea.campaign)
    idea.title, idea.problem, idea.proposal, idea.source = title, problem, proposal, source
    idea.indicator, idea.campaign = indicator, campaign
    idea.version += 1
    idea._history_user = actor
    idea._change_reason = "Edited by the author"
    idea.save()
    idea.service_areas.set(service_areas)
    return idea


@transaction.atomic
def idea_comment(*, actor: User, idea: Idea, body: str) -> IdeaComment:
    """Adds a colleague's comment to an idea."""
    require(actor, "innovation.comment_idea", idea)
    if not body.strip():
        raise InnovationError(_("Enter your comment."))
    return IdeaComment.objects.create(organisation=idea.organisation, idea=idea, author=actor, body=body.strip())


@transaction.atomic
def idea_support(*, actor: User, idea: Idea) -> None:
    """Records that a colleague supports an idea; supporting twice counts once."""
    require(actor, "innovation.support_idea", idea)
    IdeaSupport.objects.get_or_create(organisation=idea.organisation, idea=idea, user=actor)


@transaction.atomic
def idea_unsupport(*, actor: User, idea: Idea) -> None:
    """Withdraws a colleague's support."""
    require(actor, "innovation.support_idea", idea)
    IdeaSupport.objects.filter(idea=idea, user=actor).delete()


def _idea_move(*, actor: User, idea: Idea, to: str, comment: str = "", **changes) -> Idea:
    """The one place an idea's stage changes: locked, checked against the table, audited.

    Must run inside the caller's transaction. The row lock means that of two managers
    screening the same idea at once, the second sees the first's decision and is refused.
    """
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if not locked.can_move_to(to):
        raise InnovationError(
            _("This idea is “%(stage)s”, so it cannot be %(to)s now. Refresh the page to see its latest state.")
            % {"stage": locked.get_stage_display().lower(), "to": IdeaStage(to).label.lower()}
        )
    if locked.lead_assessor_id and to in SCREENING_DECISIONS and locked.lead_assessor_id != actor.pk:
        raise InnovationError(
            _("Only the lead assessor, %(assessor)s, can make the screening decision.")
            % {"assessor": locked.lead_assessor}
        )
    old = locked.stage
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.stage = to
    locked.stage_changed_at = timezone.now()
    locked._history_user = actor
    locked._change_reason = comment[:100] if comment else f"{old} → {to}"
    locked.save()
    IdeaTransition.objects.create(
        organisation=locked.organisation, idea=locked, actor=actor, from_stage=old, to_stage=to, comment=comment
    )
    return locked


SCREENING_DECISIONS = {IdeaStage.ACCEPTED, IdeaStage.DECLINED, IdeaStage.MERGED, IdeaStage.CLARIFICATION}


@transaction.atomic
def idea_start_screening(*, actor: User, idea: Idea, comment: str = "") -> Idea:
    """A manager starts screening an idea; from now on its author can no longer change it."""
    require(actor, "innovation.screen_idea", idea)
    return _idea_move(actor=actor, idea=idea, to=IdeaStage.SCREENING, comment=comment)


@transaction.atomic
def idea_request_clarification(*, actor: User, idea: Idea, request: str) -> Idea:
    """Sends an idea back to its author with a question."""
    require(actor, "innovation.screen_idea", idea)
    if not request.strip():
        raise InnovationError(_("Enter what the author needs to clarify."))
    if idea.author_id is None:
        raise InnovationError(
            _(
                "This idea was given on the campaign’s public page, and its giver cannot change it. "
                "Decline, merge or accept it instead."
            )
        )
    idea = _idea_move(
        actor=actor, idea=idea, to=IdeaStage.CLARIFICATION, comment=request, clarification_request=request
    )
    # Only the author can change the idea, so only they are asked.
    with languages.in_language_of(idea.author, idea.organisation):
        notices.notice_send(
            user=idea.author,
            organisation=idea.organisation,
            kind=NoticeKind.SCREENING,
            subject=_("Your idea “%(title)s” needs clarifying") % {"title": idea.title},
            body=_(
                "%(actor)s has asked you to clarify your idea before it is screened:\n\n%(request)s\n\n"
                "Change it and send it back at %(url)s"
            )
            % {"actor": actor, "request": request, "url": notices.absolute_url(idea)},
        )
    return idea


@transaction.atomic
def idea_resubmit(*, actor: User, idea: Idea, comment: str = "") -> Idea:
    """The author sends their clarified idea back for screening."""
    require(actor, "innovation.change_idea", idea)
    return _idea_move(actor=actor, idea=idea, to=IdeaStage.SUBMITTED, comment=comment or "Clarified by the author")


@transaction.atomic
def idea_decline(*, actor: User, idea: Idea, reason: str) -> Idea:
    """Declines an idea; the author is told why."""
    require(actor, "innovation.screen_idea", idea)
    if not reason.strip():
        raise InnovationError(_("Enter the reason the idea is declined; its author will be told."))
    idea = _idea_move(actor=actor, idea=idea, to=IdeaStage.DECLINED, comment=reason, decline_reason=reason)
    originators.originator_tell(
        idea=idea,
        subject=lambda: _("Your idea “%(title)s” has been declined") % {"title": idea.title},
        body=lambda: (
            _("Thank you for your idea. The council has decided not to take it forward, for this reason:\n\n%(reason)s")
            % {"reason": reason}
        ),
        url=notices.absolute_url(idea),
    )
    return idea


@transaction.atomic
def idea_merge(*, actor: User, idea: Idea, into: Idea, comment: str = "") -> Idea:
    """Merges an idea into a duplicate, which carries on in its place."""
    require(actor, "innovation.screen_idea", idea)
    require_same_organisation(idea.organisation, into)
    if into.pk == idea.pk:
        raise InnovationError(_("Choose a different idea to merge this one into."))
    if into.stage in (IdeaStage.DECLINED, IdeaStage.MERGED):
        raise InnovationError(
            _("“%(into)s” is %(stage)s; merge into a live idea.")
            % {"into": into, "stage": into.get_stage_display().lower()}
        )
    idea = _idea_move(actor=actor, idea=idea, to=IdeaStage.MERGED, comment=comment, merged_into=into)
    originators.originator_tell(
        idea=idea,
        subject=lambda: _("Your idea “%(title)s” has been merged") % {"title": idea.title},
        body=lambda: (
            _(
                "Your idea is so like another, “%(title)s”, that the two have been joined together. "
                "It carries on as one idea."
            )
            % {"title": into.title}
        ),
        url=notices.absolute_url(into),
    )
    return idea


@transaction.atomic
def idea_accept(*, actor: User, idea: Idea, owner: User, comment: str = "") -> Project:
    """Accepts an idea into assessment: it becomes a project with a manager as its owner."""
    require(actor, "innovation.screen_idea", idea)
    require_role_of(idea.organisation, owner, {Role.MANAGER}, _("The project owner must be a manager here."))
    idea = _idea_move(actor=actor, idea=idea, to=IdeaStage.ACCEPTED, comment=comment)
    last = Project.objects.for_organisation(idea.organisation).aggregate(last=Max("reference"))["last"] or 0
    project = Project(
        organisation=idea.organisation,
        reference=last + 1,
        idea=idea,
        title=idea.title,
        summary=idea.proposal,
        owner=owner,
        indicator=idea.indicator,
        stage=ProjectStage.ASSESSMENT,
    )
    project._history_user = actor
    project._change_reason = "Accepted from an idea"
    project.save()
    project.service_areas.set(idea.service_areas.all())
    originators.originator_tell(
        idea=idea,
        subject=lambda: _("Your idea “%(title)s” has been accepted") % {"title": idea.title},
        body=lambda: _(
            "Your idea has been accepted. It is now a project, and the council is working out the costs, "
            "benefits and risks before councillors decide whether to go ahead."
        ),
        url=notices.absolute_url(project),
    )
    return project


# ---------------------------------------------------------------- scorecards


@transaction.atomic
def scorecard_assign(*, actor: User, idea: Idea, assessor: User, lead: bool = False) -> Scorecard:
    """A manager asks someone to score an idea; the lead assessor makes the screening decision."""
    require(actor, "innovation.screen_idea", idea)
    require_role_of(idea.organisation, assessor, STAFF_ROLES, _("Assessors must be staff or members here."))
    if lead:
        require_role_of(idea.organisation, assessor, {Role.MANAGER}, _("The lead assessor must be a manager."))
    if idea.stage not in (IdeaStage.SUBMITTED, IdeaStage.SCREENING):
        raise InnovationError(_("Assessors can only be assigned while an idea is being screened."))
    criteria_ensure_defaults(organisation=idea.organisation)
    card, created = Scorecard.objects.get_or_create(
        organisation=idea.organisation, idea=idea, assessor=assessor, defaults={"assigned_by": actor}
    )
    if created and assessor.pk != actor.pk:
        link = notices.absolute_url("innovation:idea-score", idea.reference)
        with languages.in_language_of(assessor, idea.organisation):
            notices.notice_send(
                user=assessor,
                organisation=idea.organisation,
                kind=NoticeKind.SCORING_REQUEST,
                subject=_("Please score the idea “%(title)s”") % {"title": idea.title},
                body=(
                    _(
                        "%(actor)s has asked you to score “%(title)s” against the screening criteria, "
                        "as its lead assessor.\n\nScore it at %(link)s"
                    )
                    if lead
                    else _(
                        "%(actor)s has asked you to score “%(title)s” against the screening criteria."
                        "\n\nScore it at %(link)s"
                    )
                )
                % {"actor": actor, "title": idea.title, "link": link},
                url=link,
            )
    if lead:
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        locked.lead_assessor = assessor
        locked._history_user = actor
        locked._change_reason = f"Lead assessor: {assessor}"
        locked.save()
    return card


@transaction.atomic
def scorecard_submit(*, actor: User, idea: Idea, scores: dict[int, int], notes: str = "") -> Scorecard:
    """An assessor scores an idea against each weighted criterion, privately, with notes."""
    card = Scorecard.objects.select_for_update().filter(idea=idea, assessor=actor).first()
    if card is None:
        require(actor, "innovation.score_idea", idea)  # raises: not an assessor
    if idea.stage not in (IdeaStage.SUBMITTED, IdeaStage.SCREENING):
        raise InnovationError(_("Screening of this idea has finished, so scores can no longer change."))
    criteria = queries.criteria_for(idea)
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise InnovationError(_("Give a score for %(criteria)s.") % {"criteria": ", ".join(missing)})
    if any(not 1 <= int(scores[c.pk]) <= 5 for c in criteria):
        raise InnovationError(_("Scores run from 1 to 5."))
    card.scores.all().delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(organisation=idea.organisation, scorecard=card, criterion=c, score=int(scores[c.pk]))
        for c in criteria
    )
    card.notes = notes
    card.weighted_score = weighted_average([(c.weight, int(scores[c.pk])) for c in criteria])
    card.submitted_at = timezone.now()
    card._history_user = actor
    card.save()
    return card

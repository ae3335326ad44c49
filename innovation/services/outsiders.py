"""Ideas from outside the council (R5, R6): residents on a campaign's public page, and the people
of partner organisations a campaign is opened to.

A resident's idea is held as an IdeaSubmission until they confirm their email address through
a signed link; only then does it become an Idea, in screening's queue, numbered and counted.
Unconfirmed ones are deleted after PUBLIC_IDEA_CONFIRM_DAYS. Spam is kept out by the page
(innovation/views/public.py): a honeypot, a signed time check and rate limits, with no tracking.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import notices
from accounts.access import Refused, require, require_same_organisation
from accounts.models import Membership, Organisation, PartnerOrganisation, Role, User
from innovation.models import Campaign, Idea, IdeaSubmission, Source
from innovation.services.base import InnovationError

CONFIRM_SALT = "lantern.innovation.outsiders.confirm"


def _campaign_still_open(campaign: Campaign) -> None:
    campaign.refresh_from_db(fields=["deadline", "closed_at"])
    if not campaign.is_open:
        raise InnovationError(
            _("The campaign “%(campaign)s” has closed, so it no longer takes ideas.") % {"campaign": campaign}
        )


def _idea_numbered(idea: Idea) -> Idea:
    # Numbers are per organisation; the unique constraint catches the rare simultaneous pair.
    last = Idea.objects.for_organisation(idea.organisation).aggregate(last=Max("reference"))["last"] or 0
    idea.reference = last + 1
    try:
        with transaction.atomic():
            idea.save()
    except IntegrityError as error:
        raise InnovationError(_("Someone gave an idea at the same moment. Please send yours again.")) from error
    return idea


# ---------------------------------------------------------------- campaigns


@transaction.atomic
def campaign_set_audience(
    *, actor: User, campaign: Campaign, is_public: bool, partner_organisations: Iterable[PartnerOrganisation]
) -> Campaign:
    """Opens a campaign to the public and to named partner organisations, or closes it to them."""
    require(actor, "innovation.manage_campaign", campaign)
    partner_organisations = list(partner_organisations)
    require_same_organisation(campaign.organisation, *partner_organisations)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.is_public = is_public
    campaign.save(update_fields=["is_public"])
    campaign.partner_organisations.set(partner_organisations)
    return campaign


# ---------------------------------------------------------------- residents


def confirm_token(submission: IdeaSubmission) -> str:
    return signing.dumps({"s": submission.pk, "e": submission.email}, salt=CONFIRM_SALT)


@transaction.atomic
def submission_create(
    *, campaign: Campaign, title: str, problem: str, proposal: str, name: str, email: str, consent: bool
) -> IdeaSubmission:
    """A resident gives an idea on a campaign's public page; they are sent a link to confirm their email."""
    if not campaign.is_public:
        raise Refused(_("This campaign is not open to the public."))
    _campaign_still_open(campaign)
    submission = IdeaSubmission.objects.create(
        organisation=campaign.organisation,
        campaign=campaign,
        title=title.strip(),
        problem=problem.strip(),
        proposal=proposal.strip(),
        name=" ".join(name.split()),
        email=email.strip().lower(),
        consent=consent,
    )
    link = notices.absolute_url(reverse("public:confirm", args=[confirm_token(submission)]))
    notices.email_send(
        to=[submission.email],
        subject=_("Confirm your idea for %(organisation)s") % {"organisation": campaign.organisation.name},
        body=_(
            "Dear %(name)s,\n\nThank you for your idea “%(title)s” for the campaign "
            "“%(campaign)s”.\n\nTo send it to %(organisation)s, confirm your email address "
            "within %(days)s days by opening this link:\n\n%(link)s\n\n"
            "If you did not give this idea, ignore this email: nothing will be sent, and it will be deleted."
        )
        % {
            "name": submission.name,
            "title": submission.title,
            "campaign": campaign.title,
            "organisation": campaign.organisation.name,
            "days": settings.PUBLIC_IDEA_CONFIRM_DAYS,
            "link": link,
        },
    )
    return submission


def submission_for_token(token: str) -> IdeaSubmission | None:
    """The submission a confirmation link is for, while it can still be confirmed; else None."""
    max_age = datetime.timedelta(days=settings.PUBLIC_IDEA_CONFIRM_DAYS)
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        IdeaSubmission.objects.filter(pk=data.get("s"), email=data.get("e"))
        .select_related("campaign", "organisation", "idea")
        .first()
    )


@transaction.atomic
def submission_confirm(*, submission: IdeaSubmission) -> Idea:
    """The resident has confirmed their email address: their idea goes to screening.

    Confirming twice gives the same idea. The campaign may have closed since they gave it: an idea
    given in time is still taken.
    """
    submission = IdeaSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.idea_id is not None:
        return submission.idea
    campaign = submission.campaign
    idea = _idea_numbered(
        Idea(
            organisation=submission.organisation,
            title=submission.title,
            problem=submission.problem,
            proposal=submission.proposal,
            source=Source.SERVICE_USER,
            campaign=campaign,
            author=None,
            originator_name=submission.name,
            originator_email=submission.email,
            originator_consent=submission.consent,
        )
    )
    idea.service_areas.set(campaign.service_areas.all())
    submission.idea = idea
    submission.save(update_fields=["idea"])
    return idea


@transaction.atomic
def submissions_expire(*, now: datetime.datetime | None = None) -> int:
    """Deletes ideas given on public pages whose givers never confirmed their email address."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.PUBLIC_IDEA_CONFIRM_DAYS)
    deleted, _by_model = IdeaSubmission.objects.unconfirmed().filter(created_at__lt=cutoff).delete()
    return deleted


# ---------------------------------------------------------------- partners


def partner_membership(*, user: User, organisation: Organisation) -> Membership | None:
    """The person's partner membership of the organisation, or None if they are not a partner there."""
    return (
        Membership.objects.for_organisation(organisation)
        .active()
        .filter(user=user, role=Role.PARTNER, partner_organisation__isnull=False)
        .select_related("partner_organisation")
        .first()
    )


@transaction.atomic
def partner_idea_create(*, actor: User, campaign: Campaign, title: str, problem: str, proposal: str) -> Idea:
    """A partner organisation's person gives an idea to a campaign opened to their organisation."""
    membership = partner_membership(user=actor, organisation=campaign.organisation)
    if membership is None or not campaign.partner_organisations.filter(pk=membership.partner_organisation_id).exists():
        raise Refused(_("This campaign is not open to your organisation."))
    _campaign_still_open(campaign)
    idea = Idea(
        organisation=campaign.organisation,
        title=title.strip(),
        problem=problem.strip(),
        proposal=f"{proposal.strip()}",
        source=Source.PARTNER,
        campaign=campaign,
        author=actor,
        originator_name=membership.partner_organisation.name,
    )
    idea._history_user = actor
    idea = _idea_numbered(idea)
    idea.service_areas.set(campaign.service_areas.all())
    return idea

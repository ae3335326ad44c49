"""Read paths for people outside the council: a campaign's public page, and partners' pages.

What a resident may see as a likely duplicate, while typing or after sending: only the titles
of ideas that other residents gave on the same campaign's public page, that they confirmed, and
that are still live or accepted. Never an idea's text, never who gave it, and never an idea
staff or a partner logged: those are the council's own.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from innovation import queries
from innovation.models import Campaign, Idea, IdeaStage
from innovation.services import outsiders as outsider_services

HINTS = 5


def similar_by_title(candidates: QuerySet[Idea], title: str, limit: int = HINTS) -> list[Idea]:
    """Ideas among `candidates` whose titles share distinctive words with `title`, most alike first."""
    words = queries.idea_words(title)
    if not words:
        return []
    scored = []
    for idea in candidates.exclude(stage__in=[IdeaStage.DECLINED, IdeaStage.MERGED]).only(
        "pk", "title", "reference", "stage", "organisation_id"
    ):
        score = queries.similarity(words, queries.idea_words(idea.title))
        if score >= 0.2:
            scored.append((score, idea))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return [idea for _, idea in scored[:limit]]


# ---------------------------------------------------------------- public pages


def public_campaign_get(*, pk: int) -> Campaign:
    """A campaign open to the public, closed or not; any other is a 404, as if it did not exist."""
    return get_object_or_404(
        Campaign.objects.filter(is_public=True).select_related("organisation").prefetch_related("service_areas"), pk=pk
    )


def public_similar(*, campaign: Campaign, title: str) -> list[Idea]:
    """Likely duplicates a resident may see: titles of confirmed public ideas in the same campaign."""
    given_publicly = Idea.objects.for_organisation(campaign.organisation).filter(
        campaign=campaign, author__isnull=True, submission__isnull=False
    )
    return similar_by_title(given_publicly, title)


# ---------------------------------------------------------------- partners


def _partner_organisation_id(user: User, organisation: Organisation) -> int:
    membership = outsider_services.partner_membership(user=user, organisation=organisation)
    if membership is None:
        raise Http404
    return membership.partner_organisation_id


def partner_campaign_list(*, user: User, organisation: Organisation) -> QuerySet[Campaign]:
    """The campaigns of the organisation opened to the partner's own organisation, open ones first."""
    partner_id = _partner_organisation_id(user, organisation)
    return Campaign.objects.for_organisation(organisation).open_to_partner(partner_id).order_by("-deadline", "pk")


def partner_campaign_get(*, user: User, organisation: Organisation, pk: int) -> Campaign:
    """One campaign opened to the partner's organisation; any other (or another council's) is a 404."""
    return get_object_or_404(partner_campaign_list(user=user, organisation=organisation), pk=pk)


def partner_idea_list(*, user: User, organisation: Organisation) -> QuerySet[Idea]:
    """The ideas the partner gave here, with what became of each; nobody else's."""
    _partner_organisation_id(user, organisation)
    return (
        Idea.objects.for_organisation(organisation)
        .filter(author=user)
        .select_related("campaign", "project")
        .order_by("-created_at", "-pk")
    )


def partner_similar(*, user: User, campaign: Campaign, title: str) -> list[Idea]:
    """Likely duplicates a partner may see: ideas their own organisation's people gave to the campaign."""
    partner_id = _partner_organisation_id(user, campaign.organisation)
    own = Idea.objects.for_organisation(campaign.organisation).filter(
        campaign=campaign, author__memberships__partner_organisation_id=partner_id
    )
    return similar_by_title(own.distinct(), title)

"""Campaigns, ideas, their screening and scorecards, and the ideas' transition table."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.bilingual import Bilingual, Language, language_field
from accounts.models import Organisation, OrganisationQuerySet, PartnerOrganisation
from portfolio.models import Indicator, ServiceArea


class Source(models.TextChoices):
    """Where an idea came from (R5, R6, R7)."""

    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner organisation")
    PROVIDER = "provider", _("Provider")
    SERVICE_USER = "service_user", _("Service user")
    MEMBER = "member", _("Elected member")
    ELSEWHERE = "elsewhere", _("Seen elsewhere")


# ---------------------------------------------------------------- campaigns


class CampaignQuerySet(OrganisationQuerySet):
    def open(self):
        return self.filter(deadline__gte=timezone.localdate(), closed_at__isnull=True)

    def open_to_partner(self, partner_organisation_id: int | None):
        """Campaigns opened to one partner organisation's people (still open or not)."""
        if partner_organisation_id is None:
            return self.none()
        return self.filter(partner_organisations=partner_organisation_id)


class Campaign(models.Model):
    """A challenge a manager puts to staff and partners, with a deadline (R7)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(max_length=200)
    question = models.TextField(help_text=_("The question or challenge ideas should answer."))
    # The language the title and question are written in, and the same text in the other language
    # when the manager gives it (accounts.bilingual): readers see their own language first.
    language = language_field()
    title_translation = models.CharField(max_length=200, blank=True)
    question_translation = models.TextField(blank=True)
    deadline = models.DateField()
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_public = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_("Anyone can give an idea on the campaign's public page, after confirming their email address."),
    )
    partner_organisations = models.ManyToManyField(
        PartnerOrganisation,
        blank=True,
        related_name="campaigns",
        help_text=_("Partner organisations whose people can see this campaign and give ideas to it."),
    )

    objects = CampaignQuerySet.as_manager()

    bilingual = Bilingual(
        fields=("title", "question"),
        required=("title", "question"),
        only_in={
            Language.ENGLISH: _("This campaign is only available in English"),
            Language.WELSH: _("This campaign is only available in Welsh"),
        },
    )

    class Meta:
        ordering = ["-deadline", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("innovation:campaign-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """A campaign closes at the end of its deadline day, or earlier if a manager closes it."""
        return self.closed_at is None and self.deadline >= timezone.localdate()


class Criterion(models.Model):
    """A weighted scorecard criterion: a campaign's own, or the organisation's default (no campaign)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="criteria")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(10)])
    position = models.PositiveSmallIntegerField(default=0)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.name} (weight {self.weight})"


# ---------------------------------------------------------------- ideas


class IdeaStage(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Being screened")
    CLARIFICATION = "clarification", _("Sent back for clarification")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged into another idea")
    ACCEPTED = "accepted", _("Accepted as a project")


IDEA_TRANSITIONS: dict[str, set[str]] = {
    IdeaStage.SUBMITTED: {
        IdeaStage.SCREENING,
        IdeaStage.CLARIFICATION,
        IdeaStage.DECLINED,
        IdeaStage.MERGED,
        IdeaStage.ACCEPTED,
    },
    IdeaStage.SCREENING: {IdeaStage.CLARIFICATION, IdeaStage.DECLINED, IdeaStage.MERGED, IdeaStage.ACCEPTED},
    IdeaStage.CLARIFICATION: {IdeaStage.SUBMITTED, IdeaStage.DECLINED, IdeaStage.MERGED},
    IdeaStage.DECLINED: set(),
    IdeaStage.MERGED: set(),
    IdeaStage.ACCEPTED: set(),
}

# The author may change their idea until a manager starts screening it.
IDEA_EDITABLE_STAGES = {IdeaStage.SUBMITTED, IdeaStage.CLARIFICATION}
IDEA_LIVE_STAGES = {IdeaStage.SUBMITTED, IdeaStage.SCREENING, IdeaStage.CLARIFICATION}


class AimedAtIndicatorsQuerySet(OrganisationQuerySet):
    """The gap report's count of live ideas and projects aimed at each indicator (DESIGN.md). portfolio
    reads it through the reverse relations `indicator.ideas` and `indicator.projects`, never an
    import; what "live" means is innovation's to say."""

    def live_counts_by_indicator(self, *, organisation: Organisation, indicator_ids: list[int]) -> dict[int, int]:
        counts = (
            self.for_organisation(organisation)
            .live()
            .filter(indicator_id__in=indicator_ids)
            .values("indicator_id")
            .annotate(n=models.Count("pk", distinct=True))
            .values_list("indicator_id", "n")
        )
        return dict(counts)


class IdeaQuerySet(AimedAtIndicatorsQuerySet):
    def live(self):
        return self.filter(stage__in=IDEA_LIVE_STAGES)

    def awaiting_screening(self):
        return self.filter(stage__in=[IdeaStage.SUBMITTED, IdeaStage.SCREENING])


class Idea(models.Model):
    """An idea anyone in the organisation can log, from any source (R5, R6)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="ideas")
    reference = models.PositiveIntegerField(help_text=_("Numbered from 1 within the organisation."))
    title = models.CharField(max_length=200)
    problem = models.TextField(_("the problem it addresses"))
    proposal = models.TextField(_("what you propose"))
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.STAFF)
    service_areas = models.ManyToManyField(ServiceArea, related_name="ideas")
    indicator = models.ForeignKey(Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas")
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas")
    # Empty for an idea a resident gave on a campaign's public page: they have no account, and
    # the originator fields below say who they are.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="ideas"
    )
    # Whose idea it is when that is someone outside the council: a resident on the public page,
    # or someone a member of staff logged it for. Told what happens to it if they consented,
    # until they unsubscribe (innovation/services/originators.py).
    originator_name = models.CharField(_("originator's name"), max_length=150, blank=True)
    originator_email = models.EmailField(_("originator's email address"), blank=True)
    originator_consent = models.BooleanField(_("originator agreed to be contacted"), default=False)
    originator_unsubscribed_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=20, choices=IdeaStage.choices, default=IdeaStage.SUBMITTED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    clarification_request = models.TextField(blank=True)
    decline_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged")
    lead_assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="idea_reference_unique_per_organisation")
        ]
        indexes = [
            models.Index(fields=["organisation", "stage"]),
            # The idea list's order (Meta.ordering): its pages are read off this index, not sorted
            # out of every idea of the organisation.
            models.Index(fields=["organisation", "-created_at", "-id"], name="idea_list_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("innovation:idea-detail", args=[self.reference])

    def can_move_to(self, stage: str) -> bool:
        return idea_can_move(self.stage, stage)

    @property
    def logged_by(self) -> str:
        """Who gave the idea, as staff lists show it: the author, or the resident who gave it."""
        if self.author_id is None:
            if self.originator_name:
                return _("%(name)s (public)") % {"name": self.originator_name}
            return _("A member of the public")
        if self.originator_name:
            # Translators: a member of staff, then the person outside the council whose idea they logged.
            return _("%(author)s for %(name)s") % {"author": self.author, "name": self.originator_name}
        return str(self.author)

    @property
    def is_editable(self) -> bool:
        return self.stage in IDEA_EDITABLE_STAGES


def idea_can_move(old: str, new: str) -> bool:
    """Pure: is `old` → `new` an allowed move of an idea?"""
    return new in IDEA_TRANSITIONS.get(old, set())


class IdeaSubmissionQuerySet(OrganisationQuerySet):
    def unconfirmed(self):
        return self.filter(idea__isnull=True)


class IdeaSubmission(models.Model):
    """An idea given on a campaign's public page, held until its giver confirms their email address.

    It becomes an Idea only then, so that an unconfirmed one never reaches screening, any staff
    list or count, nor takes an idea number; unconfirmed ones are deleted after a week.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    title = models.CharField(max_length=200)
    problem = models.TextField()
    proposal = models.TextField()
    name = models.CharField(max_length=150)
    email = models.EmailField()
    consent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    idea = models.OneToOneField("Idea", on_delete=models.SET_NULL, null=True, blank=True, related_name="submission")

    objects = IdeaSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["email", "created_at"], name="idea_submission_email_idx")]

    def __str__(self):
        return self.title


class IdeaComment(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on {self.idea}"


class IdeaSupport(models.Model):
    """A colleague's vote of support for an idea: one per person."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="idea_support_once_per_person")]

    def __str__(self):
        return f"{self.user} supports {self.idea}"


class IdeaTransition(models.Model):
    """The audit row of one idea move: who, when, from, to, and why."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_stage = models.CharField(max_length=20, choices=IdeaStage.choices)
    to_stage = models.CharField(max_length=20, choices=IdeaStage.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.idea}: {self.from_stage} → {self.to_stage}"


class Scorecard(models.Model):
    """One assessor's private scores for an idea; `submitted_at` is set once they have scored it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scorecards")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorecards")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    weighted_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["idea", "assessor"], name="scorecard_one_per_assessor")]

    def __str__(self):
        return f"{self.assessor}’s scorecard for {self.idea}"


class CriterionScore(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="criterion_score_once_per_scorecard")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


def weighted_average(scores: list[tuple[int, int]]) -> Decimal | None:
    """Pure: the weighted mean of (weight, score) pairs, to two places; None when there are none."""
    total_weight = sum(weight for weight, _ in scores)
    if not total_weight:
        return None
    total = sum(Decimal(weight) * Decimal(score) for weight, score in scores)
    return (total / total_weight).quantize(Decimal("0.01"))

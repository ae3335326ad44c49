"""The risks on a project's register, with their controls, score reviews and comments."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, OrganisationQuerySet
from innovation.models import PROJECT_LIVE_STAGES
from risk import scoring
from risk.models.assessments import RiskAssessment
from risk.models.choices import MONEY, ONE_TO_FIVE, SCALE_CHOICES, Category, Status, Treatment


class RiskQuerySet(OrganisationQuerySet):
    def open(self):
        return self.filter(status=Status.OPEN)

    def live(self):
        """Risks of projects still under way (not closed, rejected or abandoned)."""
        return self.filter(assessment__project__stage__in=PROJECT_LIVE_STAGES)

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(review_date__lt=today or timezone.localdate())

    def of_innovating(self):
        """The risks of going ahead: everything but the risk of not innovating."""
        return self.exclude(category=Category.MISSED_OPPORTUNITY)

    def on_register(self):
        """The organisation's register: risks of live projects, and the risks of not innovating
        that it carries since a member rejected their project."""
        # The live projects' assessments (a few hundred) as a subquery PostgreSQL hashes once, not
        # a join of every risk to its assessment and project: the register's heat maps count
        # every risk on it.
        live = RiskAssessment.objects.filter(project__stage__in=PROJECT_LIVE_STAGES).values("pk")
        return self.filter(Q(assessment__in=live) | Q(carried_at__isnull=False))

    def above_appetite(self, appetite: int):
        """Open risks of going ahead whose residual score is above the appetite (Risk.is_above)."""
        return self.open().of_innovating().filter(residual_score__gt=appetite)

    def awaiting_acceptance(self, appetite: int, today: datetime.date | None = None):
        """Risks above the appetite with no acceptance in force (Risk.awaits_acceptance)."""
        in_force = Q(accepted_by__isnull=False) & (
            Q(accepted_until__isnull=True) | Q(accepted_until__gte=today or timezone.localdate())
        )
        return self.above_appetite(appetite).exclude(in_force)

    def in_band(self, band: str, *, residual: bool = True):
        low, high = scoring.BAND_RANGES[band]
        field = "residual_score" if residual else "inherent_score"
        return self.filter(**{f"{field}__gte": low, f"{field}__lte": high})


class Risk(models.Model):
    """One risk on a project's register: scored before and after its controls, reviewed and owned."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="risks")
    title = models.CharField("risk", max_length=200, help_text=_("A short name, for example: Supplier goes bust"))
    description = models.TextField(
        blank=True, help_text=_("What could happen, what would cause it, and what it would mean for the service.")
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_risks"
    )
    inherent_likelihood = models.PositiveSmallIntegerField(choices=SCALE_CHOICES, validators=ONE_TO_FIVE)
    inherent_impact = models.PositiveSmallIntegerField(choices=SCALE_CHOICES, validators=ONE_TO_FIVE)
    # Stored, not computed per query, so that the registers filter, sort and count by
    # score in the database. Kept in step with the likelihood and impact by save().
    inherent_score = models.PositiveSmallIntegerField(editable=False)
    treatment = models.CharField(max_length=10, choices=Treatment.choices, default=Treatment.REDUCE)
    residual_likelihood = models.PositiveSmallIntegerField(
        choices=SCALE_CHOICES, validators=ONE_TO_FIVE, null=True, blank=True
    )
    residual_impact = models.PositiveSmallIntegerField(
        choices=SCALE_CHOICES, validators=ONE_TO_FIVE, null=True, blank=True
    )
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    review_date = models.DateField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalation_note = models.TextField(blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_until = models.DateField(null=True, blank=True)
    acceptance_note = models.TextField(blank=True)
    acceptance_decision = models.ForeignKey(
        "innovation.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The approval the acceptance was given with, when it was given at the approval gate."),
    )
    carried_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the organisation took on this risk of not innovating.")
    )
    carried_decision = models.ForeignKey(
        "innovation.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The rejection of the project that left the organisation carrying this risk."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-residual_score", "-inherent_score", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inherent_likelihood__range=(1, 5), inherent_impact__range=(1, 5)),
                name="risk_inherent_one_to_five",
            ),
            models.CheckConstraint(
                condition=(Q(residual_likelihood__isnull=True) & Q(residual_impact__isnull=True))
                # Spelt out: a CHECK passes when it is NULL, so the ranges alone would let one through.
                | Q(
                    residual_likelihood__isnull=False,
                    residual_impact__isnull=False,
                    residual_likelihood__range=(1, 5),
                    residual_impact__range=(1, 5),
                ),
                name="risk_residual_both_or_neither",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "review_date"]),
            # The register's default order ("highest risk first", Meta.ordering): its first page
            # is read straight off this index, not sorted out of every risk of the organisation.
            models.Index(
                fields=["organisation", "-residual_score", "-inherent_score", "id"], name="risk_register_order"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.set_scores()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "inherent_score", "residual_score"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("risk:risk-detail", args=[self.pk])

    def set_scores(self) -> None:
        """Derives the stored scores from likelihood and impact (call before bulk_create)."""
        self.inherent_score = scoring.score(self.inherent_likelihood, self.inherent_impact)
        self.residual_score = scoring.score(self.residual_likelihood, self.residual_impact)

    @property
    def inherent_band(self):
        return scoring.band(self.inherent_score)

    @property
    def residual_band(self):
        return scoring.band(self.residual_score)

    @property
    def current_score(self) -> int:
        """The residual score once it is known, else the inherent one: what the review date follows."""
        return self.residual_score if self.residual_score is not None else self.inherent_score

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.review_date is not None and self.review_date < timezone.localdate()

    @property
    def is_accepted(self) -> bool:
        return self.accepted_by_id is not None

    @property
    def is_not_innovating(self) -> bool:
        """The risk of not innovating: weighed against the project's risks, never accepted."""
        return self.category == Category.MISSED_OPPORTUNITY

    @property
    def acceptance_expired(self) -> bool:
        return self.accepted_until is not None and self.accepted_until < timezone.localdate()

    def is_above(self, appetite: int) -> bool:
        """An open risk of going ahead scored above the appetite (RiskQuerySet.above_appetite)."""
        return (
            self.is_open
            and not self.is_not_innovating
            and self.residual_score is not None
            and self.residual_score > appetite
        )

    def awaits_acceptance(self, appetite: int) -> bool:
        """Above the appetite and no acceptance in force (RiskQuerySet.awaiting_acceptance)."""
        return self.is_above(appetite) and (not self.is_accepted or self.acceptance_expired)


class Control(models.Model):
    """A control or mitigation of a risk: what is done, by whom, at what cost and by when."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PLACE = "in_place", _("In place")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="controls")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cost = models.DecimalField(**MONEY, null=True, blank=True, help_text=_("In pounds. Leave blank if there is none."))
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.description[:80]


class RiskReview(models.Model):
    """One change of a risk's scores, with who made it, when and why: how the risk moved."""

    class Kind(models.TextChoices):
        ASSESSED = "assessed", _("First assessed")
        EDITED = "edited", _("Scores corrected")
        REVIEWED = "reviewed", _("Reviewed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    inherent_score = models.PositiveSmallIntegerField()
    residual_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField("what changed", blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        indexes = [models.Index(fields=["risk", "-reviewed_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.risk} by {self.reviewed_by}"


class RiskComment(models.Model):
    """A comment on a risk, from a member or anyone else who may comment."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on {self.risk}"

"""Projects and their lifecycle: the transition table, business cases, decisions and evaluation
(delivery: milestones, team and involvement, is in delivery.py)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.bilingual import Bilingual, Language, language_field
from accounts.models import Organisation, OrganisationQuerySet
from innovation import evidence
from innovation.evidence import EvidenceLevel
from innovation.models.ideas import AimedAtIndicatorsQuerySet, Idea
from innovation.models.optimism import ProjectType
from portfolio.models import Indicator, ServiceArea

MONEY = {"max_digits": 14, "decimal_places": 2}


def net_value(*, one_off_cost: Decimal, running_cost: Decimal, benefit: Decimal, years: int) -> Decimal:
    """DESIGN.md (R3): net value = benefit × years − one-off cost − running cost × years."""
    return benefit * years - one_off_cost - running_cost * years


# ---------------------------------------------------------------- projects


class ProjectStage(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    IMPLEMENTATION = "implementation", _("Implementation")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DEFERRED = "deferred", _("Deferred")
    ABANDONED = "abandoned", _("Abandoned")


PROJECT_TRANSITIONS: dict[str, set[str]] = {
    ProjectStage.ASSESSMENT: {ProjectStage.AWAITING_APPROVAL, ProjectStage.ABANDONED},
    ProjectStage.AWAITING_APPROVAL: {
        ProjectStage.IMPLEMENTATION,
        ProjectStage.REJECTED,
        ProjectStage.DEFERRED,
        ProjectStage.ASSESSMENT,  # withdrawn by the owner to rework the case
        ProjectStage.ABANDONED,
    },
    ProjectStage.DEFERRED: {ProjectStage.ASSESSMENT, ProjectStage.ABANDONED},
    ProjectStage.IMPLEMENTATION: {ProjectStage.EVALUATION, ProjectStage.ABANDONED},
    ProjectStage.EVALUATION: {ProjectStage.CLOSED, ProjectStage.ABANDONED},
    ProjectStage.CLOSED: set(),
    ProjectStage.REJECTED: set(),
    ProjectStage.ABANDONED: set(),
}

PROJECT_LIVE_STAGES = {
    ProjectStage.ASSESSMENT,
    ProjectStage.AWAITING_APPROVAL,
    ProjectStage.IMPLEMENTATION,
    ProjectStage.EVALUATION,
    ProjectStage.DEFERRED,
}
PROJECT_FINISHED_STAGES = {ProjectStage.CLOSED, ProjectStage.REJECTED, ProjectStage.ABANDONED}


def can_move_to(old: str, new: str) -> bool:
    """Pure: is `old` → `new` an allowed move of a project?"""
    return new in PROJECT_TRANSITIONS.get(old, set())


class ProjectQuerySet(AimedAtIndicatorsQuerySet):
    def live(self):
        return self.filter(stage__in=PROJECT_LIVE_STAGES)

    def awaiting_decision(self):
        return self.filter(stage=ProjectStage.AWAITING_APPROVAL)

    def with_key_decision(self):
        """What innovation.key_decisions.status_for reads, in the same query: the organisation's
        threshold and the project's forward plan entry."""
        return self.select_related("organisation__key_decision_threshold", "forward_plan_entry")

    def with_forecast_and_actual(self):
        """Each project's evaluation and its business case's innovate option (as `innovate`), which
        innovation.forecasts compares, with the optimism bias mitigations and the organisation's own
        uplifts that adjust it: for the portfolio export and the API."""
        return self.select_related("evaluation", "organisation").prefetch_related(
            models.Prefetch(
                "business_case__options",
                queryset=BusinessCaseOption.objects.filter(kind=BusinessCaseOption.Kind.INNOVATE),
                to_attr="innovate",
            ),
            # What innovation.optimism.innovate_appraisal adjusts the forecast by.
            "business_case__optimism_mitigations",
            "organisation__optimism_bias_overrides",
        )


class RAG(models.TextChoices):
    GREEN = "green", _("Green: on track")
    AMBER = "amber", _("Amber: at risk")
    RED = "red", _("Red: off track")


class Project(models.Model):
    """An accepted idea being assessed, approved, implemented and evaluated (R8, R11)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="projects")
    reference = models.PositiveIntegerField(help_text=_("Numbered from 1 within the organisation."))
    idea = models.OneToOneField(Idea, on_delete=models.PROTECT, null=True, blank=True, related_name="project")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    stage = models.CharField(max_length=20, choices=ProjectStage.choices, default=ProjectStage.ASSESSMENT)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_projects")
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsored_projects",
        help_text=_("The elected member who sponsors the project (R11)."),
    )
    service_areas = models.ManyToManyField(ServiceArea, related_name="projects")
    indicator = models.ForeignKey(Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects")
    budget = models.DecimalField(**MONEY, null=True, blank=True)
    spend_to_date = models.DecimalField(**MONEY, default=Decimal("0"))
    rag = models.CharField(_("RAG status"), max_length=10, choices=RAG.choices, blank=True)
    rag_reason = models.TextField(_("reason for the RAG status"), blank=True)
    end_reason = models.TextField(blank=True, help_text=_("Why it was closed, rejected or abandoned."))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="project_reference_unique_per_organisation"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "stage"]),
            # The portfolio's order (Meta.ordering): its pages are read off this index, not sorted
            # out of every project of the organisation.
            models.Index(fields=["organisation", "-created_at", "-id"], name="project_portfolio_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("innovation:project-detail", args=[self.pk])

    def can_move_to(self, stage: str) -> bool:
        return can_move_to(self.stage, stage)

    @property
    def is_finished(self) -> bool:
        return self.stage in PROJECT_FINISHED_STAGES

    @property
    def live_rag(self) -> str:
        """The RAG status while the project is under way; none once it has ended, because a
        closed, rejected or abandoned project is no longer on, at risk of or off track."""
        return "" if self.is_finished else self.rag

    @property
    def budget_remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.spend_to_date

    @property
    def is_over_budget(self) -> bool:
        return self.budget is not None and self.spend_to_date > self.budget


class ProjectTransition(models.Model):
    """The audit row of one project move: who, when, from, to, and why."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_stage = models.CharField(max_length=20, choices=ProjectStage.choices)
    to_stage = models.CharField(max_length=20, choices=ProjectStage.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self):
        return f"{self.project}: {self.from_stage} → {self.to_stage}"


class BusinessCase(models.Model):
    """The options appraisal of R3: innovate, improve incrementally, or do nothing."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="business_case")
    summary = models.TextField(blank=True)
    recommended_option = models.CharField(max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OrganisationQuerySet.as_manager()

    def __str__(self):
        return f"Business case for {self.project}"

    def missing_parts(self, options: list["BusinessCaseOption"] | None = None) -> list[str]:
        """What stops this business case from being complete, in plain words; empty when complete."""
        options = list(self.options.all()) if options is None else options
        problems = []
        if not self.summary.strip():
            problems.append(_("The business case needs a summary."))
        kinds = {option.kind: option for option in options}
        for kind, label in BusinessCaseOption.Kind.choices:
            option = kinds.get(kind)
            if option is None or not option.is_complete:
                problems.append(
                    _("Give the costs, benefits and horizon of the option “%(option)s”.") % {"option": label.lower()}
                )
        if self.recommended_option not in BusinessCaseOption.Kind.values:
            problems.append(_("Say which option the business case recommends."))
        return problems


class BusinessCaseOption(models.Model):
    class Kind(models.TextChoices):
        INNOVATE = "innovate", _("Innovate")
        INCREMENTAL = "incremental", _("Improve incrementally")
        DO_NOTHING = "do_nothing", _("Do nothing")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    one_off_cost = models.DecimalField(**MONEY, null=True, blank=True)
    running_cost = models.DecimalField(_("yearly running cost"), **MONEY, null=True, blank=True)
    benefit = models.DecimalField(_("yearly benefit"), **MONEY, null=True, blank=True)
    years = models.PositiveSmallIntegerField(
        _("horizon in years"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    # The Green Book's optimism bias uplifts depend on the kind of project (innovation/optimism.py);
    # blank is an option with no uplift, such as doing nothing with nothing to build or buy.
    project_type = models.CharField(max_length=40, choices=ProjectType.choices, blank=True)
    delivery_months = models.PositiveSmallIntegerField(
        _("time to deliver in months"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("The works duration the optimism bias duration uplift applies to."),
    )
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["business_case", "kind"]
        constraints = [models.UniqueConstraint(fields=["business_case", "kind"], name="business_case_option_once")]

    def __str__(self):
        return self.get_kind_display()

    @property
    def is_complete(self) -> bool:
        return None not in (self.one_off_cost, self.running_cost, self.benefit, self.years) and self.years >= 1

    @property
    def net_value(self) -> Decimal | None:
        if not self.is_complete:
            return None
        return net_value(
            one_off_cost=self.one_off_cost, running_cost=self.running_cost, benefit=self.benefit, years=self.years
        )


class DecisionRecordImmutable(Exception):
    """A decision record is the authority's record of decision: once made it is never changed
    or deleted; a later change is a new record that supersedes it."""


class Decision(models.Model):
    """A decision at the approval gate, kept as a record of decision (R11; for England the
    Local Authorities (Executive Arrangements) (Meetings and Access to Information) (England)
    Regulations 2012, reg. 12–13): the decision, its date, who made it, the reasons, the
    alternative options considered and rejected, interests declared and dispensations granted,
    the risk accepted and the documents relied on. Immutable once made (see save/delete)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    class MadeBy(models.TextChoices):
        MEMBER = "member", _("A single member (portfolio holder)")
        COMMITTEE = "committee", _("A committee")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="decisions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    rationale = models.TextField()
    # The language the reasons are written in, and the same reasons in the other language when
    # the member gives them (accounts.bilingual): readers of the record see their own language first.
    language = language_field()
    rationale_translation = models.TextField(blank=True)
    accepted_residual_risk = models.BooleanField(
        default=False, help_text=_("The member explicitly accepted residual risk above the organisation’s appetite.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    made_by = models.CharField(max_length=10, choices=MadeBy.choices, default=MadeBy.MEMBER)
    committee_name = models.CharField(max_length=200, blank=True)
    quorum = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("The committee's quorum at the time."))
    # Snapshots taken when the decision is made, so that the record says what was before the
    # decision-maker even after the business case or the risks change.
    chosen_option = models.CharField(max_length=20, blank=True)
    options_rejected = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Each alternative option considered and rejected: kind, label, net value, reason."),
    )
    accepted_risks = models.JSONField(
        default=list,
        blank=True,
        help_text=_("The risks above appetite accepted by this decision: title, residual score."),
    )
    documents = models.JSONField(default=list, blank=True, help_text=_("The documents relied on: title, detail."))
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )

    objects = OrganisationQuerySet.as_manager()

    bilingual = Bilingual(
        fields=("rationale",),
        required=("rationale",),
        only_in={
            Language.ENGLISH: _("This record of decision is only available in English"),
            Language.WELSH: _("This record of decision is only available in Welsh"),
        },
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} by {self.member}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise DecisionRecordImmutable(_("A decision record cannot be changed; record a new decision instead."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("innovation:decision-detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise DecisionRecordImmutable(_("A decision record cannot be deleted."))

    @property
    def reference(self) -> str:
        return f"D{self.pk:05d}"


class DecisionMaker(models.Model):
    """One member at a decision: the portfolio holder deciding alone, or one of a committee's
    members, with their attendance and the interest they declared beforehand. Immutable, as is
    the decision it belongs to."""

    class Interest(models.TextChoices):
        NONE = "none", _("No interest to declare")
        DECLARED = "declared", _("Declared an interest")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="makers")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=100, help_text=_("As shown on the record: portfolio holder, committee member."))
    present = models.BooleanField(default=True)
    is_sponsor = models.BooleanField(default=False)
    interest = models.CharField(max_length=10, choices=Interest.choices, default=Interest.NONE)
    interest_description = models.TextField(blank=True)
    dispensation_granted_by = models.CharField(max_length=200, blank=True)
    dispensation_date = models.DateField(null=True, blank=True)
    took_part = models.BooleanField(
        default=True,
        help_text=_("Present, and neither the sponsor (in committee) nor holding an interest without a dispensation."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "pk"]

    def __str__(self):
        return f"{self.member} ({self.role})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise DecisionRecordImmutable(_("A decision record cannot be changed; record a new decision instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DecisionRecordImmutable(_("A decision record cannot be deleted."))

    @property
    def name(self) -> str:
        return self.member.full_name or self.member.email

    @property
    def has_dispensation(self) -> bool:
        return bool(self.dispensation_granted_by.strip()) and self.dispensation_date is not None


class DecisionArrangement(models.Model):
    """How the organisation takes decisions at the approval gate, set by its admin: by a single
    member (the portfolio holder), or by a named committee of its elected members with a quorum;
    and whether its records of decision are published on a public page."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="decision_arrangement")
    made_by = models.CharField(max_length=10, choices=Decision.MadeBy.choices, default=Decision.MadeBy.MEMBER)
    committee_name = models.CharField(max_length=200, blank=True)
    committee_members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    quorum = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1), MaxValueValidator(50)])
    publish_decisions = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OrganisationQuerySet.as_manager()

    def __str__(self):
        return f"Decision arrangements of {self.organisation}"

    @property
    def by_committee(self) -> bool:
        return self.made_by == Decision.MadeBy.COMMITTEE


class Evaluation(models.Model):
    """The honest account at the end (R12): expected against actual, indicator movement, transferability."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", _("Succeeded")
        PARTLY_SUCCEEDED = "partly_succeeded", _("Partly succeeded")
        DID_NOT_SUCCEED = "did_not_succeed", _("Did not succeed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="evaluation")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    summary = models.TextField(_("what happened"))
    actual_one_off_cost = models.DecimalField(**MONEY)
    actual_running_cost = models.DecimalField(_("actual yearly running cost"), **MONEY)
    actual_benefit = models.DecimalField(_("actual yearly benefit"), **MONEY)
    actual_years = models.PositiveSmallIntegerField(
        _("actual horizon in years"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Blank only for evaluations recorded before the horizon was asked for."),
    )
    # Before and after come from the imported series (innovation.queries.indicator_readings),
    # with the period each came from; a manager may override either, giving the reason, and
    # then the overridden side has no period.
    indicator_before = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    indicator_after = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    indicator_before_period = models.CharField(max_length=7, blank=True)
    indicator_after_period = models.CharField(max_length=7, blank=True)
    indicator_override_reason = models.TextField(_("why the imported indicator figures were overridden"), blank=True)
    value_for_money = models.TextField(_("value for money"))
    transferability = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1: only works here; 5: any authority could adopt it."),
    )
    transferability_reasons = models.TextField()
    # How strongly the evaluation shows the project made the difference (innovation/evidence.py).
    # Blank only for evaluations recorded before the level was asked for.
    evidence_level = models.PositiveSmallIntegerField(
        _("level of evidence"), choices=EvidenceLevel.choices, null=True, blank=True
    )
    evidence_support = models.TextField(_("what supports this level"), blank=True)
    evidence_comparison = models.TextField(_("the comparison group (level 3 and above)"), blank=True)
    evidence_evaluator = models.CharField(
        _("the independent evaluator (level 4 and above)"), max_length=200, blank=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OrganisationQuerySet.as_manager()

    def __str__(self):
        return f"Evaluation of {self.project}"

    @property
    def realised_net_value(self) -> Decimal | None:
        """The business case's one formula (net_value), applied to what happened."""
        if self.actual_years is None:
            return None
        return net_value(
            one_off_cost=self.actual_one_off_cost,
            running_cost=self.actual_running_cost,
            benefit=self.actual_benefit,
            years=self.actual_years,
        )

    @property
    def evidence_label(self) -> str:
        return evidence.label(self.evidence_level)

    @property
    def indicator_change(self) -> Decimal | None:
        if self.indicator_before is None or self.indicator_after is None:
            return None
        return self.indicator_after - self.indicator_before

"""Service areas, the shared indicator catalogue, and (from the gap-report work) measurements,
aspirations and gap reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, OrganisationQuerySet
from jobs.models import Job


class Service(models.TextChoices):
    """The standard service areas of English and Welsh local government, shared by the
    catalogue so that organisations can be compared."""

    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    CHILDRENS_SERVICES = "childrens_services", _("Children’s services")
    CORPORATE = "corporate", _("Corporate and customer services")
    CULTURE_LEISURE = "culture_leisure", _("Culture and leisure")
    ENVIRONMENTAL_HEALTH = "environmental_health", _("Environmental health and licensing")
    FIRE_RESCUE = "fire_rescue", _("Fire and rescue")
    HIGHWAYS_TRANSPORT = "highways_transport", _("Highways and transport")
    HOUSING = "housing", _("Housing")
    PLANNING = "planning", _("Planning and development")
    PUBLIC_HEALTH = "public_health", _("Public health")
    REVENUES_BENEFITS = "revenues_benefits", _("Revenues and benefits")
    WASTE = "waste", _("Waste and recycling")


class ServiceArea(models.Model):
    """One of an organisation's service areas, in its own words, mapped to a standard service."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=120)
    service = models.CharField(max_length=40, choices=Service.choices)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="service_area_name_unique_per_organisation")
        ]

    def __str__(self):
        return self.name


class IndicatorQuerySet(OrganisationQuerySet):
    """Indicators are the shared catalogue (no organisation) and each organisation's own."""

    def for_organisation(self, organisation):
        """The organisation's own indicators only (not the catalogue): the rows it manages."""
        return self.filter(organisation=organisation)

    def available_to(self, organisation):
        """What an organisation may see and report: the catalogue and its own, retired ones included."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation=organisation))

    def live(self):
        """Not retired: offered in forms and accepted by new imports."""
        return self.filter(retired_at__isnull=True)

    def catalogue(self):
        return self.filter(organisation__isnull=True)

    def performance(self):
        """What a gap report is about: not the contextual measures (population, deprivation)."""
        return self.filter(purpose=Indicator.Purpose.PERFORMANCE)


class Indicator(models.Model):
    """A performance indicator: from the shared catalogue (no organisation), or one an
    organisation keeps for itself (its admins manage it on the indicators page).

    An organisation's own code may not be one of the catalogue's, so that a code names one
    indicator within what an organisation sees (`available_to`). One with data is retired,
    never deleted: it leaves forms and new imports, and its figures stay.
    """

    class Polarity(models.IntegerChoices):
        HIGHER_IS_BETTER = 1, _("Higher is better")
        LOWER_IS_BETTER = -1, _("Lower is better")

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUAL = "annual", _("Annual")

    class Purpose(models.TextChoices):
        # What a council is judged on: its gap report has a row for it.
        PERFORMANCE = "performance", _("Performance")
        # What describes the place (population, deprivation): never a gap, only the measures
        # nearest neighbours are found on (portfolio.gaps, NEIGHBOURS_SQL).
        CONTEXTUAL = "contextual", _("Contextual")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=_("Empty for the shared catalogue"),
    )
    code = models.CharField(max_length=30, db_index=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, help_text=_("For example: %, days, households, £"))
    polarity = models.SmallIntegerField(choices=Polarity.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    service = models.CharField(max_length=40, choices=Service.choices)
    description = models.TextField(blank=True)
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.PERFORMANCE)
    retired_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(organisation__isnull=True), name="indicator_code_unique_in_catalogue"
            ),
            models.UniqueConstraint(Upper("code"), "organisation", name="indicator_code_unique_per_organisation"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("portfolio:indicator-detail", args=[self.code])

    @property
    def is_own(self) -> bool:
        return self.organisation_id is not None


class MeasurementBase(models.Model):
    """A value an organisation reports (or aims for) for one indicator and one period."""

    # No single-column indexes: the (organisation, indicator, period) unique index and the
    # (indicator, period) index serve every lookup, and each index slows a big import.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.CharField(max_length=7, help_text=_("2025-Q1 for a quarter, 2025/26 for a financial year"))
    # Consecutive periods are one apart (see portfolio.periods), for the trend's slope.
    period_index = models.IntegerField()
    value = models.DecimalField(max_digits=16, decimal_places=4)
    # When the value was last set (by its source); the API shows it.
    updated_at = models.DateTimeField(auto_now=True)
    # The import (or operator's change) that set the value: who, when and why. None only for a
    # value written without one (the demo data, or before sources were recorded).
    source = models.ForeignKey(
        "ValueSource", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.indicator_id} {self.period}: {self.value}"


class ValueSource(models.Model):
    """One write of values: an import (of a file uploaded on the import page or the API, or at
    the command line) or an operator's change in the Django admin. Every value carries the source
    that set it; a value a later source changes keeps its previous figure, and that figure's
    source, in a change row (MeasurementChange, AspirationChange). A new value writes no row but
    its own, and an unchanged one nothing: so who set each figure, when and why, and what it was
    before, is complete without a second row per imported value."""

    # The upload, when it came from the import page or the API (its page shows the file's name).
    import_job = models.ForeignKey("ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Who: the uploader or the operator; None for the command line (an operator on the server).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Why: "Imported from figures.csv", "import_measurements figures.csv", "Changed in the admin".
    reason = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.reason or 'Changed'} by {self.user or 'Lantern'} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class ValueChangeBase(models.Model):
    """A value's previous figure, kept when a later import or change replaced it: the figure,
    who set it (its source) and when, and the source that replaced it (who changed it, when and why)."""

    previous_value = models.DecimalField(max_digits=16, decimal_places=4)
    previous_source = models.ForeignKey(
        ValueSource, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    previous_set_at = models.DateTimeField()
    source = models.ForeignKey(ValueSource, on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        abstract = True

    @property
    def changed_at(self):
        return self.source.created_at


class Measurement(MeasurementBase):
    """An actual value reported by an organisation."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator", "period_index"], name="measurement_unique_per_organisation"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period_index"], name="measurement_sector_idx")]


class Aspiration(MeasurementBase):
    """What an organisation aspires to reach for an indicator in a period (R1's "aspiration")."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator", "period_index"], name="aspiration_unique_per_organisation"
            )
        ]


class MeasurementChange(ValueChangeBase):
    """An actual value's previous figure (see ValueChangeBase)."""

    figure = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="changes")

    class Meta:
        ordering = ["figure", "-id"]

    def __str__(self):
        return f"{self.figure_id} was {self.previous_value}"


class AspirationChange(ValueChangeBase):
    """An aspiration's previous figure (see ValueChangeBase)."""

    figure = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="changes")

    class Meta:
        ordering = ["figure", "-id"]

    def __str__(self):
        return f"{self.figure_id} was {self.previous_value}"


Measurement.change_model = MeasurementChange
Aspiration.change_model = AspirationChange


class JobStatus(models.TextChoices):
    """jobs.JobStatus's statuses, and an import's own: a file refused for its errors."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    INVALID = "invalid", _("Not imported: the file has errors")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class ImportJob(Job):
    """One upload of actual values or aspirations, checked whole before anything is written."""

    class Kind(models.TextChoices):
        ACTUALS = "actuals", _("Actual values")
        ASPIRATIONS = "aspirations", _("Aspirations")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    original_name = models.CharField(max_length=200)
    # Stored under a random name outside the static files; deleted once imported.
    file = models.FileField(upload_to="imports/", blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    row_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text=_("[[line, reason], ...], the first 1,000"))
    error_count = models.PositiveIntegerField(default=0)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import of {self.original_name}"

    def get_absolute_url(self):
        return reverse("portfolio:import-detail", args=[self.public_id])


class GapReportJob(Job):
    """A recompute of gap reports, so the page can show progress and each runs once: one an
    organisation asked for, the one after an import, or the nightly run of the whole sector."""

    # None for a run Lantern started itself across organisations (the nightly run, or after an
    # operator's import of several organisations' figures): nobody's page shows it.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    organisation_ids = models.JSONField(
        null=True, blank=True, help_text=_("Without an organisation: the ids of those it recomputes; null for all")
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    report_count = models.PositiveIntegerField(null=True, blank=True, help_text=_("How many reports it built"))

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Gap report run for {self.organisation_id or 'several organisations'}"

    def get_absolute_url(self):
        return reverse("portfolio:report-job", args=[self.public_id])

    @property
    def recomputes(self) -> list[int] | None:
        """The ids of the organisations whose reports it recomputes; None for every organisation."""
        return [self.organisation_id] if self.organisation_id else self.organisation_ids


class GapReport(models.Model):
    """An organisation's gaps at one moment. Built whole in a transaction; readers see only
    the one marked current, so they never see a report half built."""

    class Status(models.TextChoices):
        READY = "ready", _("Ready")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField()
    period = models.CharField(max_length=7, blank=True, help_text=_("The most recent period in the report"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    is_current = models.BooleanField(default=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(is_current=True), name="gap_report_one_current_per_organisation"
            )
        ]

    def __str__(self):
        return f"Gap report of {self.computed_at:%Y-%m-%d %H:%M}"


class Trend(models.TextChoices):
    IMPROVING = "improving", _("Improving")
    STABLE = "stable", _("Stable")
    WORSENING = "worsening", _("Worsening")


class GapReportRow(models.Model):
    """One indicator's line in a gap report (formulas in DESIGN.md, computed in portfolio.gaps)."""

    # Rows are always read through their report: the (report, indicator) unique index serves
    # those reads. Fewer indexes and database-level foreign keys (each checked at commit) make
    # the nightly rebuild of the whole sector much cheaper; the rows are written only by
    # portfolio.gaps from the report's own organisation and the catalogue, and Django still
    # cascades deletes of organisations and indicators to them.
    report = models.ForeignKey(GapReport, on_delete=models.CASCADE, related_name="rows", db_index=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="gap_rows", db_constraint=False)
    period = models.CharField(max_length=7)
    period_index = models.IntegerField()
    actual = models.DecimalField(max_digits=16, decimal_places=4)
    aspiration = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    gap_pct = models.DecimalField(max_digits=12, decimal_places=1, null=True)
    # Percentile and quartile are blank when too few other organisations are compared (portfolio.gaps.MIN_PEERS).
    percentile = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    quartile = models.PositiveSmallIntegerField(null=True)
    peers_compared = models.PositiveIntegerField(default=0, help_text=_("Organisations other than this one compared"))
    compared_with_latest = models.BooleanField(
        default=False, help_text=_("Some of them are compared at their latest figure from an earlier period")
    )
    trend = models.CharField(max_length=10, choices=Trend.choices, blank=True)
    incremental_unlikely = models.BooleanField(default=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="gap_report_row_unique_indicator"),
        ]

    def __str__(self):
        return f"{self.indicator_id}: {self.gap_pct}"

    # What every surface (page, CSV, API, committee pack) says about the sector position.
    TOO_FEW = _("Too few organisations have reported this period")
    TOO_FEW_IN_GROUP = _("Fewer than 5 other organisations in this comparison group have reported this period")
    LATEST = _("Compared with the latest figure each council has reported")

    # The comparison group the position is relative to (portfolio.groups); a row read for
    # another group than every organisation carries that group's figures (queries.gap_rows_ranked).
    comparison_group = "all"

    @property
    def position_note(self) -> str:
        """Why there is no position, or that peers' latest earlier figures were used; else blank."""
        if self.percentile is None:
            return str(self.TOO_FEW if self.comparison_group == "all" else self.TOO_FEW_IN_GROUP)
        return str(self.LATEST) if self.compared_with_latest else ""


class GapReportPosition(models.Model):
    """A report row's sector position within one comparison group other than every organisation
    (whose position is on the row itself): same kind, same region, nearest neighbours, or a group
    an admin defined. Computed with the rows (portfolio.gaps, POSITIONS_SQL); a row with no
    position for a group (the organisation has no nearest neighbours yet) has none here."""

    report = models.ForeignKey(GapReport, on_delete=models.CASCADE, related_name="positions", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    comparison_group = models.CharField(max_length=20)
    percentile = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    quartile = models.PositiveSmallIntegerField(null=True)
    peers_compared = models.PositiveIntegerField(default=0)
    compared_with_latest = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "comparison_group", "indicator"], name="gap_report_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} in {self.comparison_group}: {self.percentile}"


class ComparisonGroupQuerySet(OrganisationQuerySet):
    def visible_to(self, organisation):
        """The organisation's own groups and those other organisations share with the sector."""
        return self.filter(Q(organisation=organisation) | Q(shared=True))


class ComparisonGroup(models.Model):
    """A named list of organisations an admin compares theirs with ("Shire districts with a
    coast"); shared, every organisation in the sector may compare with it too, but only the
    owner's admins change it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    members = models.ManyToManyField(Organisation, related_name="+")
    shared = models.BooleanField(default=False, help_text=_("Other organisations in the sector may compare with it"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ComparisonGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portfolio:group-detail", args=[self.pk])


class NearestNeighbour(models.Model):
    """One of an organisation's 15 nearest neighbours on the contextual measures, recomputed by
    the gap report job (portfolio.gaps, NEIGHBOURS_SQL): rank 1 is the nearest."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    distance = models.FloatField(help_text=_("Standardised Euclidean distance over the contextual measures"))

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "rank"]
        constraints = [models.UniqueConstraint(fields=["organisation", "rank"], name="nearest_neighbour_rank_unique")]

    def __str__(self):
        return f"{self.organisation_id} → {self.neighbour_id} ({self.rank})"


class ComparisonDefault(models.Model):
    """Which comparison group the organisation's gap report opens with (its admins choose)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    comparison_group = models.CharField(max_length=20, default="all")

    objects = OrganisationQuerySet.as_manager()

    def __str__(self):
        return self.comparison_group


class GapReportAreaRow(models.Model):
    """A service's line in a gap report: the mean of its indicators' gaps."""

    report = models.ForeignKey(GapReport, on_delete=models.CASCADE, related_name="area_rows")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    service = models.CharField(max_length=40, choices=Service.choices)
    gap_pct = models.DecimalField(max_digits=12, decimal_places=1, null=True)
    indicator_count = models.PositiveIntegerField()
    flagged_count = models.PositiveIntegerField()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "service"], name="gap_report_area_unique_service")]

    def __str__(self):
        return f"{self.service}: {self.gap_pct}"


class CapacityFactor(models.TextChoices):
    """The factors of an organisation's capacity to innovate named in *Seeing the light* (R9)."""

    AMBITION = "ambition", _("Ambition and openness to new ideas")
    CROSS_CUTTING = "cross_cutting", _("Cross-cutting structures that bring services together")
    DEVOLVED = "devolved", _("Responsibility devolved to front-line staff")
    CREATIVE_TIME = "creative_time", _("Time set aside to think creatively")
    MEMBERS = "members", _("Involvement of elected members")
    PARTNERS = "partners", _("Involvement of partners and service users")
    CHANGE_MANAGEMENT = "change_management", _("Change-management capability")
    RISK_MANAGEMENT = "risk_management", _("Risk-management capability")


class CapacityAssessment(models.Model):
    """One manager's or member's scores (1 to 5) of their organisation's capacity to innovate."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scores = models.JSONField(help_text=_("factor → score from 1 (weak) to 5 (strong)"))
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "respondent"], name="capacity_one_per_respondent")
        ]

    def __str__(self):
        return f"Capacity assessment by {self.respondent_id}"

"""Optimism bias (HM Treasury, Supplementary Green Book Guidance: Optimism Bias, 2003): the project
types whose uplifts the guidance gives, the contributory factors a project mitigates, the
mitigations recorded against a business case, and an organisation's own uplift table.

The figures themselves are data (innovation/data/, with a README saying where each came from);
innovation/optimism.py reads them and works out the uplifts.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, OrganisationQuerySet


class ProjectType(models.TextChoices):
    """The guidance's generic project categories (its Table 1)."""

    STANDARD_BUILDINGS = "standard_buildings", _("Standard buildings")
    NON_STANDARD_BUILDINGS = "non_standard_buildings", _("Non-standard buildings")
    STANDARD_CIVIL_ENGINEERING = "standard_civil_engineering", _("Standard civil engineering")
    NON_STANDARD_CIVIL_ENGINEERING = "non_standard_civil_engineering", _("Non-standard civil engineering")
    EQUIPMENT_DEVELOPMENT = "equipment_development", _("Equipment and development")
    OUTSOURCING = "outsourcing", _("Outsourcing")


class Factor(models.TextChoices):
    """The guidance's contributory factors: what makes a project's estimates optimistic."""

    INADEQUATE_BUSINESS_CASE = "inadequate_business_case", _("Inadequacy of the business case")
    ENVIRONMENTAL_IMPACT = "environmental_impact", _("Environmental impact")
    DISRUPTION_TO_BUSINESS = "disruption_to_business", _("Disruption to business")
    STAKEHOLDERS = "stakeholders", _("Large number of stakeholders")
    CONTRACTOR_CAPABILITIES = "contractor_capabilities", _("Poor contractor capabilities")
    CONTRACT_COMPLEXITY = "contract_complexity", _("Complexity of contract structure")
    DEGREE_OF_INNOVATION = "degree_of_innovation", _("Degree of innovation")
    DESIGN_COMPLEXITY = "design_complexity", _("Design complexity")
    SITE_CHARACTERISTICS = "site_characteristics", _("Site characteristics")
    PERMITS_CONSENTS = "permits_consents", _("Permits, consents and approvals")
    LATE_CONTRACTOR_INVOLVEMENT = "late_contractor_involvement", _("Late contractor involvement in design")
    LEGISLATION_REGULATIONS = "legislation_regulations", _("Legislation and regulations")
    PUBLIC_RELATIONS = "public_relations", _("Public relations")
    TECHNOLOGY = "technology", _("Technology")
    ECONOMIC_POLITICAL_FUNDING = "economic_political_funding", _("Economic, political and funding")


class OptimismBiasMitigation(models.Model):
    """What the project has done about one contributory factor, and how much of it that mitigates."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    business_case = models.ForeignKey(
        "innovation.BusinessCase", on_delete=models.CASCADE, related_name="optimism_mitigations"
    )
    factor = models.CharField(_("contributory factor"), max_length=40, choices=Factor.choices)
    share_mitigated = models.PositiveSmallIntegerField(
        _("share of the factor mitigated (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    how = models.TextField(_("what has been done"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["business_case", "factor"]
        constraints = [
            models.UniqueConstraint(fields=["business_case", "factor"], name="optimism_mitigation_once_per_factor"),
            models.CheckConstraint(condition=models.Q(share_mitigated__lte=100), name="optimism_share_at_most_100"),
        ]

    def __str__(self):
        return f"{self.get_factor_display()}: {self.share_mitigated}% mitigated"


PERCENT = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True}


class OptimismBiasOverride(models.Model):
    """An organisation's own upper and lower bounds for one project type, in place of the
    guidance's, with who set them, when and why (the guidance asks for evidence for any change)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="optimism_bias_overrides")
    project_type = models.CharField(max_length=40, choices=ProjectType.choices)
    works_duration_upper = models.DecimalField(**PERCENT)
    works_duration_lower = models.DecimalField(**PERCENT)
    capital_expenditure_upper = models.DecimalField(**PERCENT)
    capital_expenditure_lower = models.DecimalField(**PERCENT)
    operating_expenditure_upper = models.DecimalField(**PERCENT)
    operating_expenditure_lower = models.DecimalField(**PERCENT)
    reason = models.TextField(_("why the organisation uses its own figures"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "project_type"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "project_type"], name="optimism_override_once_per_type")
        ]

    def __str__(self):
        return f"{self.get_project_type_display()} (own figures)"

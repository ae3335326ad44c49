"""Service areas, the shared indicator catalogue, and (from the gap-report work) measurements,
aspirations and gap reports."""

from django.db import models
from django.urls import reverse

from accounts.models import Organisation, OrganisationQuerySet


class Service(models.TextChoices):
    """The standard service areas of English and Welsh local government, shared by the
    catalogue so that organisations can be compared."""

    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    CHILDRENS_SERVICES = "childrens_services", "Children’s services"
    CORPORATE = "corporate", "Corporate and customer services"
    CULTURE_LEISURE = "culture_leisure", "Culture and leisure"
    ENVIRONMENTAL_HEALTH = "environmental_health", "Environmental health and licensing"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue"
    HIGHWAYS_TRANSPORT = "highways_transport", "Highways and transport"
    HOUSING = "housing", "Housing"
    PLANNING = "planning", "Planning and development"
    PUBLIC_HEALTH = "public_health", "Public health"
    REVENUES_BENEFITS = "revenues_benefits", "Revenues and benefits"
    WASTE = "waste", "Waste and recycling"


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


class Indicator(models.Model):
    """A performance indicator from the shared catalogue (not owned by any organisation)."""

    class Polarity(models.IntegerChoices):
        HIGHER_IS_BETTER = 1, "Higher is better"
        LOWER_IS_BETTER = -1, "Lower is better"

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annual"

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, help_text="For example: %, days, households, £")
    polarity = models.SmallIntegerField(choices=Polarity.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    service = models.CharField(max_length=40, choices=Service.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("portfolio:indicator-detail", args=[self.code])

"""The evidence an organisation asks for before it spreads practice (innovation/evidence.py),
and the record of a project scaled up."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationQuerySet
from innovation import evidence
from innovation.evidence import EvidenceLevel
from innovation.models.projects import Project


class EvidenceGates(models.Model):
    """The levels of evidence an organisation's admins ask for; blank: no gate."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="evidence_gates")
    scale_up_level = models.PositiveSmallIntegerField(
        _("scaling up one of our projects needs"), choices=EvidenceLevel.choices, null=True, blank=True
    )
    adoption_level = models.PositiveSmallIntegerField(
        _("adopting another organisation’s practice needs"), choices=EvidenceLevel.choices, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("evidence gates")

    def __str__(self):
        return f"Evidence gates of {self.organisation}"


class ScaleUp(models.Model):
    """A closed, evaluated project taken beyond its pilot: to more places, people or services."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="scale_up")
    plan = models.TextField(_("how it will be scaled up"))
    # The level the project's evaluation had reached when it was scaled up, kept as it was.
    evidence_level = models.PositiveSmallIntegerField(choices=EvidenceLevel.choices, null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    def __str__(self):
        return f"{self.project} scaled up"

    @property
    def evidence_label(self) -> str:
        return evidence.label(self.evidence_level)

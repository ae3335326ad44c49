"""Key decisions and the forward plan (England: the Local Authorities (Executive Arrangements)
(Meetings and Access to Information) (England) Regulations 2012, regs. 9 to 11).

The organisation's threshold says which projects are key decisions; the forward plan gives each
one public notice before it is decided. The rule the approval gate applies is in
innovation/key_decisions.py, its one home.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, OrganisationQuerySet
from innovation.models.projects import MONEY, Project


class KeyDecisionThreshold(models.Model):
    """The amount at or above which a project's decision is a key decision; blank: none is."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="key_decision_threshold")
    amount = models.DecimalField(_("key-decision threshold"), **MONEY, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OrganisationQuerySet.as_manager()

    def __str__(self):
        return f"{self.organisation}: key decisions from {self.amount}" if self.amount else f"{self.organisation}: none"


class ForwardPlanQuerySet(OrganisationQuerySet):
    def in_plan_order(self):
        return self.select_related("project").order_by("expected_date", "project__reference")


class ForwardPlanEntry(models.Model):
    """A key decision's notice on the forward plan (reg. 9), and any urgency route taken (regs. 10, 11).

    `first_published` is the day the entry was first published, set by Lantern and never typed,
    so that the 28 clear days cannot be counted from a date someone chose."""

    class Route(models.TextChoices):
        GENERAL = "general", _("General exception (regulation 10)")
        SPECIAL_URGENCY = "special_urgency", _("Special urgency (regulation 11)")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="forward_plan_entry")
    decision_maker = models.CharField(
        max_length=200,
        help_text=_("The role or body that will decide, such as “Cabinet” or “Cabinet Member for Housing”."),
    )
    expected_date = models.DateField(_("expected date of the decision"))
    documents = models.TextField(_("documents to be considered"))
    first_published = models.DateField(default=timezone.localdate)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exception = models.CharField(_("urgency route"), max_length=20, choices=Route.choices, blank=True)
    exception_reason = models.TextField(blank=True)
    exception_chair = models.CharField(
        _("chair of scrutiny"),
        max_length=200,
        blank=True,
        help_text=_("Name and role of the chair told or who agreed."),
    )
    exception_date = models.DateField(
        null=True, blank=True, help_text=_("General exception: the day the chair was told; special urgency: agreed.")
    )
    exception_published = models.DateField(null=True, blank=True, help_text=_("The day the exception was published."))
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ForwardPlanQuerySet.as_manager()

    class Meta:
        ordering = ["expected_date", "pk"]
        indexes = [models.Index(fields=["organisation", "expected_date"])]

    def __str__(self):
        return f"Forward plan: {self.project}"

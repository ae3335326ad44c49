"""A project in delivery: its milestones, its team and the involvement of service users and partners."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, OrganisationQuerySet
from innovation.models.projects import Project


class Milestone(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        is_open = self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)
        return is_open and self.due_date < timezone.localdate()


class TeamMember(models.Model):
    """Someone working on the project, from any department (R8)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(max_length=150)
    department = models.CharField(max_length=150)
    role = models.CharField(_("role on the project"), max_length=150, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["department", "name"]

    def __str__(self):
        return f"{self.name} ({self.department})"


class Involvement(models.Model):
    """How service users and partners shaped the design (R10): who, how, and what changed because of it."""

    class Group(models.TextChoices):
        SERVICE_USERS = "service_users", _("Service users")
        PARTNERS = "partners", _("Partners")
        PROVIDERS = "providers", _("Providers")
        COMMUNITY = "community", _("Community groups")
        STAFF = "staff", _("Front-line staff")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="involvements")
    group = models.CharField(max_length=20, choices=Group.choices)
    who = models.CharField(max_length=200, help_text=_("For example: 12 tenants of Riverside estate"))
    how = models.TextField(help_text=_("For example: two co-design workshops"))
    what_changed = models.TextField(help_text=_("What the project did differently because of it"))
    happened_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return f"{self.who} ({self.happened_on})"

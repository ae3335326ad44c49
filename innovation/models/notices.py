"""Notices to people, emailed at once or held for their digest."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation, OrganisationQuerySet

# ---------------------------------------------------------------- notices


class NoticeKind(models.TextChoices):
    """The kinds of notice a person can choose how to receive (accounts.NotificationPreference.kind)."""

    SCREENING = "screening", "Your idea has been screened"
    AWAITING_APPROVAL = "awaiting_approval", "A project you sponsor awaits your decision"
    DECISION = "decision", "A decision on a project you own"
    OVERDUE_MILESTONE = "overdue_milestone", "Overdue milestones on your projects"


class Notice(models.Model):
    """One thing to tell a person: emailed at once, or held for their digest."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30, choices=NoticeKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    frequency = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["frequency", "sent_at"])]

    def __str__(self):
        return self.subject

"""Every export an organisation's people take: the audit record, and the background job.

One row per export, whether it downloaded at once or ran as a Celery job, so that the row
is both the audit trail (who, what, which filter, how many rows) and, for a background
export or a committee pack, its progress and the file kept for a week: a background job like
any other (jobs.models.Job), queued, run once and expired by jobs.runner.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationQuerySet
from jobs.models import Job

KEEP_FOR = datetime.timedelta(days=7)


class ExportJob(Job):
    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", _("Excel (XLSX)")
        PDF = "pdf", "PDF"

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Downloaded at once")
        BACKGROUND = "background", _("Prepared in the background")
        SCHEDULED = "scheduled", _("Emailed on a schedule")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Preparing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    export = models.CharField(max_length=40)
    format = models.CharField(max_length=4, choices=Format.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    filters = models.JSONField(default=dict, blank=True, help_text=_("The filter the export was taken with"))
    # The runner's statuses (jobs.JobStatus), in the reports page's words.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    # Kept for KEEP_FOR after it is made, or until keep_until if that is later, then deleted by
    # jobs.runner.job_files_expire.
    file = models.FileField(upload_to="exports/", blank=True)
    # A committee pack is read before, at and after its meeting: kept until a week after the
    # meeting date however early it was made (committee_pack.keep_until).
    keep_until = models.DateTimeField(null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "requested_by", "created_at"])]

    def __str__(self):
        return f"{self.export} ({self.format}) for {self.organisation}"

    def get_absolute_url(self):
        return reverse("reports:job", kwargs={"public_id": self.public_id})

    @property
    def expires_at(self) -> datetime.datetime | None:
        if not self.finished_at:
            return None
        kept = self.finished_at + KEEP_FOR
        return max(kept, self.keep_until) if self.keep_until else kept

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file) and timezone.now() < self.expires_at


class ScheduledReport(models.Model):
    """An export emailed every month to named recipients, on a day of the month an admin chose.

    The export is taken as the admin who set it up would take it (their organisation, their
    filter), and only while they are still an active admin there: see reports/schedules.py.
    `last_sent_period` ("2026-11") is what makes the daily run send it once a month, however
    often the run repeats.
    """

    MAX_RECIPIENTS = 20

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    export = models.CharField(max_length=40)
    format = models.CharField(max_length=4, choices=ExportJob.Format.choices)
    filters = models.JSONField(default=dict, blank=True, help_text=_("The filter the export is taken with"))
    recipients = models.JSONField(default=list, help_text=_("Email addresses, at most 20"))
    day_of_month = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("1 to 28, so that every month has the day"),
    )
    last_sent_period = models.CharField(max_length=7, blank=True, help_text=_("The month last sent, as 2026-11"))
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["day_of_month", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day_of_month__gte=1, day_of_month__lte=28), name="scheduled_report_day_1_to_28"
            )
        ]

    def __str__(self):
        return f"{self.export} ({self.format}) on day {self.day_of_month} for {self.organisation}"

"""What every background job's row has: where it is (status, progress), why it failed, and when
it finished. Each kind of job (an import, a gap report run, an export or a committee pack) is a
model of its own app that inherits this one; jobs.runner queues and runs them all the same way."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    """The statuses the runner writes. A kind may word them its own way, or add one of its own
    for a finished job (an import's "invalid"), by declaring `status` again with its choices."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Per cent done"))
    # Why it failed, in plain words for the page; while queued, that the queue could not take it.
    # Stored in English, since the runner compares it: pages show it with {% translate job.failure %}.
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status not in (JobStatus.QUEUED, JobStatus.RUNNING)

"""Imports as background jobs: an upload queued for a worker (or checked here when small), its
progress recorded, run once, and an import whose worker died recorded as stopped, with its file
kept a week for "Try again". jobs.runner does the running; gap report runs are gap_reports.py's."""

from datetime import datetime
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_noop

from accounts import access
from accounts.models import Organisation, User
from jobs import runner
from portfolio import imports
from portfolio.models import ImportJob, JobStatus
from portfolio.services.measurements import measurements_import

# Uploads larger than this are checked and written by a Celery worker, not in the request.
INLINE_IMPORT_BYTES = 256 * 1024
# The first key of the PostgreSQL advisory lock that the process running an import holds for as
# long as it runs; the second is the job's id. (pg_import's own lock is the one-key form: the
# two never meet.)
IMPORT_RUN_LOCK = 7_305_212
# An interrupted import's file is kept this long for "Try again", then deleted (beat, nightly).
INTERRUPTED_FILE_KEPT_DAYS = 7
# What a job's page says when it stopped. Stored on the job in English (jobs.runner compares them)
# and translated as the page shows them ({% translate job.failure %}); the 7 is INTERRUPTED_FILE_KEPT_DAYS.
INTERRUPTED = gettext_noop(
    "The import stopped before it finished, because the server running it stopped. "
    "Nothing from the file was imported. Try again: the file is kept for 7 days."
)
INTERRUPTED_FILE_DELETED = gettext_noop(
    "The import stopped before it finished, because the server running it stopped. "
    "Nothing from the file was imported. The file was kept for 7 days and has "
    "now been deleted: upload it again to import it."
)
IMPORT_FAILED = gettext_noop("Something went wrong while importing. Nothing was imported.")


@transaction.atomic
def import_job_create(*, actor: User, organisation: Organisation, upload: UploadedFile) -> ImportJob:
    """Stores an admin's upload and starts checking it: here for a small file, in a worker for a big one."""
    access.require(actor, "portfolio.import_data", organisation)
    job = ImportJob(organisation=organisation, uploaded_by=actor, original_name=Path(upload.name).name[:200])
    # A random stored name: the uploader's name never reaches the file system.
    suffix = Path(upload.name).suffix.lower()
    job.file.save(f"{job.public_id}{suffix}", upload, save=False)
    job.save()
    _import_job_start_on_commit(job, size=upload.size)
    return job


def _import_job_start_on_commit(job: ImportJob, *, size: int) -> None:
    if size > INLINE_IMPORT_BYTES:
        transaction.on_commit(lambda: runner.job_queue(job=job))
    else:
        transaction.on_commit(lambda: import_job_run(job_id=job.pk))


def import_job_run(*, job_id: int) -> ImportJob:
    """Checks and writes one uploaded file, recording progress and every bad line on the job."""
    job = ImportJob.objects.select_related("organisation", "uploaded_by").get(pk=job_id)
    return runner.job_run(job=job, work=_import_job_work)


def _import_job_work(job: ImportJob) -> None:
    try:
        checked = measurements_import(
            path=Path(job.file.path),
            organisation=job.organisation,
            actor=job.uploaded_by,
            reason=f"Imported from {job.original_name}",
            progress=lambda percent: runner.job_progress(job=job, percent=percent),
            job=job,
        )
    except imports.FileRefused as refused:
        job.status, job.failure = JobStatus.INVALID, str(refused)
    else:
        job.row_count, job.error_count = checked.row_count, checked.error_count
        job.errors = [list(e) for e in checked.errors]
        job.created_count, job.updated_count = checked.created, checked.updated
        job.kind = ImportJob.Kind.ASPIRATIONS if checked.model and checked.model.__name__ == "Aspiration" else "actuals"
        job.status = JobStatus.INVALID if checked.error_count else JobStatus.DONE
    finally:
        # Imported, refused or failed, the file has done its work; only an interrupted import keeps
        # it, for "Try again" (its worker never got here).
        job.file.delete(save=False)


def interrupted_import_files_delete(*, now: datetime | None = None) -> int:
    """Deletes the files of interrupted imports that nobody tried again within
    INTERRUPTED_FILE_KEPT_DAYS, saying so on each import's page; returns how many."""
    return runner.job_files_expire(model=ImportJob, now=now)


class ImportNotRetryable(Exception):
    """Only an interrupted import, whose file is kept, can be tried again."""


@transaction.atomic
def import_job_retry(*, actor: User, organisation: Organisation, job: ImportJob) -> ImportJob:
    """Starts an interrupted import again, from the file it kept."""
    access.require(actor, "portfolio.import_data", organisation)
    # runner.job_retry is False when someone pressed "Try again" at the same moment, too.
    if job.organisation_id != organisation.pk or not runner.job_retry(job=job):
        raise ImportNotRetryable
    _import_job_start_on_commit(job, size=job.file.size)
    return job

"""Imports and gap report runs as jobs: queued for a worker (or run here when small), their
progress recorded, each run once, and a run whose worker died recorded as stopped. Queuing, and
queuing again what Redis could not take, serve every kind of background job (JOB_KINDS)."""

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from celery import Task
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from accounts import access
from accounts.models import Organisation, User
from portfolio import gaps, imports
from portfolio.models import GapReportJob, ImportJob, JobStatus
from portfolio.services.measurements import measurements_import

logger = logging.getLogger(__name__)

# Uploads larger than this are checked and written by a Celery worker, not in the request.
INLINE_IMPORT_BYTES = 256 * 1024
# The first keys of the PostgreSQL advisory locks that the process running an import or a gap
# report job holds for as long as it runs; the second is the job's id. (pg_import's own lock is
# the one-key form: the two never meet.)
IMPORT_RUN_LOCK = 7_305_212
GAP_REPORT_RUN_LOCK = 7_305_213
# An interrupted import's file is kept this long for "Try again", then deleted (beat, nightly).
INTERRUPTED_FILE_KEPT_DAYS = 7
INTERRUPTED = (
    "The import stopped before it finished, because the server running it stopped. "
    f"Nothing from the file was imported. Try again: the file is kept for {INTERRUPTED_FILE_KEPT_DAYS} days."
)
INTERRUPTED_FILE_DELETED = (
    "The import stopped before it finished, because the server running it stopped. "
    f"Nothing from the file was imported. The file was kept for {INTERRUPTED_FILE_KEPT_DAYS} days and has "
    "now been deleted: upload it again to import it."
)
GAP_REPORT_INTERRUPTED = (
    "The report stopped before it finished, because the server running it stopped. "
    "The previous report is still shown. Run it again to update it."
)


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
        transaction.on_commit(lambda: job_queue(job=job))
    else:
        transaction.on_commit(lambda: import_job_run(job_id=job.pk))


@contextlib.contextmanager
def _job_run_lock(kind: int, job_id: int) -> Iterator[bool]:
    """Holds the job's run lock (`kind` is IMPORT_RUN_LOCK or GAP_REPORT_RUN_LOCK), if no other
    process does; yields whether it got it.

    The lock belongs to the database session, so PostgreSQL lets it go the moment the process
    holding it is gone, however it died: a running job whose lock is free has been
    interrupted. Without PostgreSQL there are no separate workers (tasks run in the process
    that asked for them), so there is nothing to hold.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [kind, job_id])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:  # a lost session lost it
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [kind, job_id])


def _end_statements_of_a_dead_worker() -> None:
    # A killed worker's statement would otherwise run on (holding its locks and the run lock)
    # until PostgreSQL next tried to answer it; this has PostgreSQL notice within seconds.
    with contextlib.suppress(DatabaseError), connection.cursor() as cursor:  # before PostgreSQL 14: no such setting
        cursor.execute("SELECT set_config('client_connection_check_interval', '2s', false)")


def _run_once(kind: int, job, run_locked):
    """Runs `run_locked(job)` holding the job's run lock, unless another process holds it (a
    message delivered twice) or the job has ended; returns the job."""
    if job.is_finished:
        return job
    with _job_run_lock(kind, job.pk) as mine:
        job.refresh_from_db(fields=["status"])
        if not mine or job.is_finished:
            return job
        if connection.vendor == "postgresql":
            _end_statements_of_a_dead_worker()
        return run_locked(job)


def _record_if_interrupted(kind: int, job, failure: str):
    """A running job whose run lock nobody holds lost its worker: recorded as failed with
    `failure`. (Only PostgreSQL has separate workers to lose.)"""
    if job.status != JobStatus.RUNNING or connection.vendor != "postgresql":
        return job
    with _job_run_lock(kind, job.pk) as nobody_runs_it:
        if nobody_runs_it:
            type(job).objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, failure=failure, finished_at=timezone.now()
            )
    job.refresh_from_db()
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Checks and writes one uploaded file, recording progress and every bad line on the job."""
    job = ImportJob.objects.select_related("organisation", "uploaded_by").get(pk=job_id)
    return _run_once(IMPORT_RUN_LOCK, job, _import_job_run_locked)


def _import_job_run_locked(job: ImportJob) -> ImportJob:
    path = Path(job.file.path)
    job.status, job.progress = JobStatus.RUNNING, 1
    job.save(update_fields=["status", "progress"])

    def progress(percent: int) -> None:
        # Saved outside the import's transaction, so the progress page sees it move.
        ImportJob.objects.filter(pk=job.pk).update(progress=max(1, min(99, percent)))

    try:
        checked = measurements_import(
            path=path,
            organisation=job.organisation,
            actor=job.uploaded_by,
            reason=f"Imported from {job.original_name}",
            progress=progress,
        )
    except imports.FileRefused as refused:
        job.status, job.failure = JobStatus.INVALID, str(refused)
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        job.status, job.failure = JobStatus.FAILED, "Something went wrong while importing. Nothing was imported."
    else:
        job.row_count, job.error_count = checked.row_count, checked.error_count
        job.errors = [list(e) for e in checked.errors]
        job.created_count, job.updated_count = checked.created, checked.updated
        job.kind = ImportJob.Kind.ASPIRATIONS if checked.model and checked.model.__name__ == "Aspiration" else "actuals"
        job.status = JobStatus.INVALID if checked.error_count else JobStatus.DONE
    job.progress, job.finished_at = 100, timezone.now()
    job.file.delete(save=False)
    job.save()
    return job


def import_job_check_interrupted(*, job: ImportJob) -> ImportJob:
    """Records a running import whose worker has gone (killed, out of memory, its machine
    restarted) as failed with nothing imported, so that its page says so and offers to try
    again instead of showing "running" for ever. Its transaction died with it, so nothing of
    the file is in the database; the file itself is kept for the second try."""
    return _record_if_interrupted(IMPORT_RUN_LOCK, job, INTERRUPTED)


def import_job_can_retry(job: ImportJob) -> bool:
    return job.status == JobStatus.FAILED and job.failure == INTERRUPTED and bool(job.file)


def interrupted_import_files_delete(*, now: datetime | None = None) -> int:
    """Deletes the files of interrupted imports that nobody tried again within
    INTERRUPTED_FILE_KEPT_DAYS, saying so on each import's page; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=INTERRUPTED_FILE_KEPT_DAYS)
    deleted = 0
    for job in ImportJob.objects.filter(status=JobStatus.FAILED, failure=INTERRUPTED, finished_at__lt=cutoff):
        # Claimed first, so that a "Try again" pressed at this moment either wins or finds it gone.
        if ImportJob.objects.filter(pk=job.pk, failure=INTERRUPTED).update(failure=INTERRUPTED_FILE_DELETED, file=""):
            if job.file:
                job.file.delete(save=False)
            deleted += 1
    return deleted


class ImportNotRetryable(Exception):
    """Only an interrupted import, whose file is kept, can be tried again."""


@transaction.atomic
def import_job_retry(*, actor: User, organisation: Organisation, job: ImportJob) -> ImportJob:
    """Starts an interrupted import again, from the file it kept."""
    access.require(actor, "portfolio.import_data", organisation)
    if job.organisation_id != organisation.pk or not import_job_can_retry(job):
        raise ImportNotRetryable
    restarted = ImportJob.objects.filter(pk=job.pk, status=JobStatus.FAILED, failure=INTERRUPTED).update(
        status=JobStatus.QUEUED, progress=0, failure="", finished_at=None
    )
    if restarted != 1:  # someone pressed "Try again" at the same moment
        raise ImportNotRetryable
    job.refresh_from_db()
    _import_job_start_on_commit(job, size=job.file.size)
    return job


def gap_reports_compute(*, organisation_ids: list[int] | None = None) -> int:
    """Recomputes the gap reports of the organisations named, or of the whole sector."""
    return len(gaps.gap_reports_build(organisation_ids=organisation_ids))


@transaction.atomic
def gap_report_job_create(*, actor: User, organisation: Organisation) -> GapReportJob:
    """Asks for the organisation's gap report to be recomputed now."""
    access.require(actor, "portfolio.compute_report", organisation)
    job = GapReportJob.objects.create(organisation=organisation, requested_by=actor)
    transaction.on_commit(lambda: job_queue(job=job))
    return job


NOT_QUEUED = "This could not be started yet because the job queue is unavailable. It will be retried automatically."


@dataclass(frozen=True)
class JobKind:
    """A kind of background job: its row, which has `status` ("queued" while it waits), `failure`
    and `created_at`, and the Celery task that runs one by `job_id`."""

    model: type[models.Model]
    task: Task


# Every kind of background job, by its row's model, so that queuing and requeuing work the same
# for all. Apps register their own kinds from AppConfig.ready(): portfolio its imports and gap
# report runs, config the exports and committee packs (whose task lives above portfolio, which
# must not import it).
JOB_KINDS: dict[type[models.Model], JobKind] = {}


def job_kind_register(*, model: type[models.Model], task: Task) -> None:
    """Makes a kind of background job known to job_queue and jobs_requeue."""
    JOB_KINDS[model] = JobKind(model=model, task=task)


def job_queue(*, job: models.Model) -> bool:
    """Queues a waiting job of any registered kind for a worker; when the queue (Redis) cannot be
    reached, the job stays waiting, says so, and jobs_requeue (beat) tries again."""
    rows = type(job).objects.filter(pk=job.pk)
    if JOB_KINDS[type(job)].task.delay(job_id=job.pk) is None:
        rows.filter(status=JobStatus.QUEUED).update(failure=NOT_QUEUED)
        return False
    # Only the note is cleared: a worker may already have run the job (or, without Redis, this
    # process has) and recorded a failure of its own.
    rows.filter(failure=NOT_QUEUED).update(failure="")
    return True


def jobs_requeue(*, older_than_seconds: int = 120) -> int:
    """Queues again the jobs of every kind that could not be queued; returns how many were."""
    since = timezone.now() - timedelta(seconds=older_than_seconds)
    waiting = [
        job
        for kind in JOB_KINDS.values()
        for job in kind.model.objects.filter(status=JobStatus.QUEUED, failure=NOT_QUEUED, created_at__lte=since)
    ]
    return sum(job_queue(job=job) for job in waiting)


def gap_report_job_run(*, job_id: int) -> GapReportJob:
    """Runs one requested recompute, recording its progress."""
    return _run_once(GAP_REPORT_RUN_LOCK, GapReportJob.objects.get(pk=job_id), _gap_report_job_run_locked)


def _gap_report_job_run_locked(job: GapReportJob) -> GapReportJob:
    GapReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=50)
    try:
        gap_reports_compute(organisation_ids=[job.organisation_id])
    except Exception:
        logger.exception("Gap report job %s failed", job.pk)
        job.status, job.failure = JobStatus.FAILED, "Something went wrong. The previous report is still shown."
    else:
        job.status = JobStatus.DONE
    job.progress, job.finished_at = 100, timezone.now()
    job.save(update_fields=["status", "failure", "progress", "finished_at"])
    return job


def gap_report_job_check_interrupted(*, job: GapReportJob) -> GapReportJob:
    """Records a running recompute whose worker has gone as failed, so that its page says so
    instead of showing "running" for ever. A report is swapped in whole, in one transaction that
    died with the worker, so the previous report is still the current one."""
    return _record_if_interrupted(GAP_REPORT_RUN_LOCK, job, GAP_REPORT_INTERRUPTED)

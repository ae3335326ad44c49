"""The one runner of background jobs, whatever their kind (imports, gap report runs, exports,
committee packs): queuing, and queuing again what Redis could not take; running each job once;
recording a run whose worker died as stopped, with a way to try again; and deleting the files
jobs keep once their time is up.

Each app registers its kinds from AppConfig.ready() (job_kind_register): the row's model, which
inherits jobs.models.Job, the Celery task that runs one by `job_id`, and the words its pages
show. This module knows no domain: the apps above hand it their work as a function.
"""

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import Task
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext_noop

from jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)

# Stored in English and compared as stored; pages translate it when they show it ({% translate job.failure %}).
NOT_QUEUED = gettext_noop(
    "This could not be started yet because the job queue is unavailable. It will be retried automatically."
)


@dataclass(frozen=True)
class JobKind:
    """A kind of background job and what the runner needs to know of it."""

    model: type[Job]
    task: Task
    # The first key of the PostgreSQL advisory lock held while one runs (the second is its id).
    lock: int
    # The failure recorded when its worker died mid-run, which offers "Try again".
    interrupted: str
    # The failure recorded when its work raised.
    failed: str
    # Its `file` is deleted this long after the job finished (None: it keeps no file).
    keep_files_for: timedelta | None = None
    # It works from a file that came with it (an upload), so it can be tried again only while
    # that file is kept; once the file is deleted, an interrupted one says this instead.
    input_file_deleted: str | None = None


# Every kind of background job, by its row's model.
JOB_KINDS: dict[type[Job], JobKind] = {}


def job_kind_register(
    *,
    model: type[Job],
    task: Task,
    lock: int,
    interrupted: str,
    failed: str,
    keep_files_for: timedelta | None = None,
    input_file_deleted: str | None = None,
) -> None:
    """Makes a kind of background job known to the runner."""
    taken = {kind.lock: kind.model for kind in JOB_KINDS.values() if kind.model is not model}
    if lock in taken:
        raise ValueError(f"{model.__name__} and {taken[lock].__name__} would share the run lock {lock}")
    JOB_KINDS[model] = JobKind(
        model=model,
        task=task,
        lock=lock,
        interrupted=interrupted,
        failed=failed,
        keep_files_for=keep_files_for,
        input_file_deleted=input_file_deleted,
    )


def _kind(job: Job) -> JobKind:
    return JOB_KINDS[type(job)]


# ---------------------------------------------------------------- queuing


def job_queue(*, job: Job) -> bool:
    """Queues a waiting job for a worker; when the queue (Redis) cannot be reached, the job stays
    waiting, says so, and jobs_requeue (beat) tries again."""
    rows = type(job).objects.filter(pk=job.pk)
    if _kind(job).task.delay(job_id=job.pk) is None:
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


# ---------------------------------------------------------------- running once


@contextlib.contextmanager
def _run_lock(kind: JobKind, job_id: int) -> Iterator[bool]:
    """Holds the job's run lock, if no other process does; yields whether it got it.

    The lock belongs to the database session, so PostgreSQL lets it go the moment the process
    holding it is gone, however it died: a running job whose lock is free has been
    interrupted. Without PostgreSQL there are no separate workers (tasks run in the process
    that asked for them), so there is nothing to hold.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [kind.lock, job_id])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:  # a lost session lost it
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [kind.lock, job_id])


def _end_statements_of_a_dead_worker() -> None:
    # A killed worker's statement would otherwise run on (holding its locks and the run lock)
    # until PostgreSQL next tried to answer it; this has PostgreSQL notice within seconds.
    with contextlib.suppress(DatabaseError), connection.cursor() as cursor:  # before PostgreSQL 14: no such setting
        cursor.execute("SELECT set_config('client_connection_check_interval', '2s', false)")


def job_run(*, job: Job, work: Callable[[Job], None]) -> Job:
    """Runs `work(job)` holding the job's run lock, unless another process holds it (a message
    delivered twice) or the job has ended; returns the job.

    The job is marked running first. When `work` returns, the job is saved as finished (done,
    unless `work` set another status), with whatever `work` set on it; when it raises, as failed
    with its kind's words."""
    kind = _kind(job)
    if job.is_finished:
        return job
    with _run_lock(kind, job.pk) as mine:
        job.refresh_from_db(fields=["status", "failure"])
        if not mine or job.is_finished:
            return job
        if connection.vendor == "postgresql":
            _end_statements_of_a_dead_worker()
        # Taken by a worker, so no longer waiting for the queue: the note goes, here as well as in
        # job_queue, which may clear it only after this worker loaded the row.
        if job.failure == NOT_QUEUED:
            job.failure = ""
        job.status, job.progress = JobStatus.RUNNING, 1
        type(job).objects.filter(pk=job.pk).update(status=job.status, progress=job.progress, failure=job.failure)
        try:
            work(job)
        except Exception:
            logger.exception("%s %s failed", type(job).__name__, job.pk)
            job.status, job.failure = JobStatus.FAILED, kind.failed
        else:
            if job.status == JobStatus.RUNNING:
                job.status = JobStatus.DONE
        job.progress, job.finished_at = 100, timezone.now()
        job.save()
        return job


def job_progress(*, job: Job, percent: int) -> None:
    """Records how far a running job has got, outside the work's transaction so its page sees it move."""
    type(job).objects.filter(pk=job.pk).update(progress=max(1, min(99, percent)))


# ---------------------------------------------------------------- interrupted, and trying again


def job_check_interrupted(*, job: Job) -> Job:
    """Records a running job whose worker has gone (killed, out of memory, its machine
    restarted) as failed with its kind's "interrupted" words, so that its page says so instead of
    showing "running" for ever. (Only PostgreSQL has separate workers to lose.)"""
    if job.status != JobStatus.RUNNING or connection.vendor != "postgresql":
        return job
    kind = _kind(job)
    with _run_lock(kind, job.pk) as nobody_runs_it:
        if nobody_runs_it:
            type(job).objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, failure=kind.interrupted, finished_at=timezone.now()
            )
    job.refresh_from_db()
    return job


def job_can_retry(job: Job) -> bool:
    """Whether the job was interrupted, and has what it needs to run again."""
    kind = _kind(job)
    if job.status != JobStatus.FAILED or job.failure != kind.interrupted:
        return False
    return kind.input_file_deleted is None or bool(job.file)


def job_retry(*, job: Job) -> bool:
    """Puts an interrupted job back in the queue's waiting state (the caller starts it once
    committed); False when it cannot be tried again, or someone pressed "Try again" just before."""
    if not job_can_retry(job):
        return False
    restarted = type(job).objects.filter(pk=job.pk, status=JobStatus.FAILED, failure=_kind(job).interrupted)
    if restarted.update(status=JobStatus.QUEUED, progress=0, failure="", finished_at=None) != 1:
        return False
    job.refresh_from_db()
    return True


# ---------------------------------------------------------------- kept files


def job_files_expire(*, model: type[Job], now: datetime | None = None) -> int:
    """Deletes the files that jobs of this kind kept for longer than their kind keeps them;
    returns how many. The rows stay (they are the audit trail); an interrupted job that worked
    from its file says it has gone."""
    kind = JOB_KINDS[model]
    cutoff = (now or timezone.now()) - kind.keep_files_for
    deleted = 0
    expired = model.objects.filter(finished_at__lt=cutoff).exclude(file="")
    # A job may be kept longer than its kind keeps files (a committee pack until after its meeting).
    if any(field.name == "keep_until" for field in model._meta.get_fields()):
        expired = expired.exclude(keep_until__gt=now or timezone.now())
    for job in expired:
        changes = {"file": ""}
        if kind.input_file_deleted is not None and job.failure == kind.interrupted:
            changes["failure"] = kind.input_file_deleted
        # Claimed first, so that a "Try again" pressed at this moment (which clears finished_at)
        # either wins or finds the file gone.
        if model.objects.filter(pk=job.pk, finished_at__lt=cutoff, file=job.file.name).update(**changes):
            job.file.delete(save=False)
            deleted += 1
    return deleted

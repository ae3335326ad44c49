"""Background exports and committee packs: run once through jobs.runner, tried again when interrupted,
their files kept for a week.
"""

import datetime
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_noop

from accounts import access
from accounts.models import Organisation, User
from jobs import runner
from reports import committee_pack
from reports.exports.catalogue import EXPORTS, title_for
from reports.exports.taking import PERMISSION, Prepared, as_query_dict, write_file
from reports.models import ExportJob

# The first key of the PostgreSQL advisory lock held while an export or a committee pack is
# prepared (portfolio's jobs use the two before it).
EXPORT_RUN_LOCK = 7_305_214
# In English: the runner stores them as the job's failure, and its page shows them in the reader's language.
EXPORT_INTERRUPTED = gettext_noop(
    "It stopped before it was ready, because the server preparing it stopped. "
    "Try again to prepare it with the same choices."
)
EXPORT_FAILED = gettext_noop("Something went wrong while preparing the export.")


def job_run(*, job_id: int) -> ExportJob:
    """Writes a background export (or a committee pack) to a file kept for a week, recording progress as it goes."""
    job = ExportJob.objects.select_related("organisation", "requested_by").get(pk=job_id)
    return runner.job_run(job=job, work=_job_work)


def _job_work(job: ExportJob) -> None:
    total = max(job.row_count or 1, 1)

    def progress(done: int) -> None:
        runner.job_progress(job=job, percent=100 * done // total)

    def percent(done: int) -> None:
        runner.job_progress(job=job, percent=done)

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "export"
        if job.export == committee_pack.NAME:
            rows = committee_pack.pack_write(job, str(path), percent)
        else:
            export = EXPORTS[job.export]
            selected = export.select(
                organisation=job.organisation, user=job.requested_by, data=as_query_dict(job.filters)
            )
            prepared = Prepared(export=export, job=job, selected=selected, count=total)
            rows = write_file(prepared, str(path), progress)
        with path.open("rb") as handle:
            # A random stored name: nothing a person typed reaches the file system.
            job.file.save(f"{job.public_id}.{job.format}", File(handle), save=False)
    job.row_count = rows


def job_retry(*, user: User, organisation: Organisation, job: ExportJob) -> bool:
    """Prepares an interrupted export or committee pack again, with the choices it was asked
    with (queued once committed); False when it cannot be tried again, or already was."""
    access.require(user, _permission_for(job), organisation)
    if job.organisation_id != organisation.pk:
        raise access.Refused("This export belongs to another organisation.")
    # A scheduled report's export is prepared to be emailed: trying again here would not send it.
    if job.mode != ExportJob.Mode.BACKGROUND or not runner.job_retry(job=job):
        return False
    transaction.on_commit(lambda: runner.job_queue(job=job))
    return True


def job_may_retry(*, user: User, organisation: Organisation, job: ExportJob) -> bool:
    """Whether the export was interrupted and this person may try it again."""
    return (
        job.mode == ExportJob.Mode.BACKGROUND
        and runner.job_can_retry(job)
        and access.may(user, _permission_for(job), organisation)
    )


def _permission_for(job: ExportJob) -> str:
    return committee_pack.PERMISSION if job.export == committee_pack.NAME else PERMISSION


def jobs_expired_delete(*, now: datetime.datetime | None = None) -> int:
    """Deletes the files of background exports older than a week; the audit rows stay."""
    return runner.job_files_expire(model=ExportJob, now=now)


def job_list(*, organisation: Organisation, user: User, limit: int = 10) -> list[ExportJob]:
    jobs = list(
        ExportJob.objects.for_organisation(organisation)
        .filter(requested_by=user)
        .exclude(mode=ExportJob.Mode.IMMEDIATE)[:limit]
    )
    for job in jobs:
        runner.job_check_interrupted(job=job)
        job.title = title_for(job.export)
    return jobs

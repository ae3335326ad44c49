"""Gap report runs as background jobs: one an organisation asks for, the one after an import,
and the nightly run of the whole sector. Each is a GapReportJob run once by jobs.runner, its
progress shown, and a run whose worker died recorded as stopped."""

from django.db import transaction
from django.utils.translation import gettext_noop

from accounts import access
from accounts.models import Organisation, User
from jobs import runner
from portfolio import gaps
from portfolio.models import GapReportJob

# The first key of the PostgreSQL advisory lock that the process running a gap report job holds
# for as long as it runs; the second is the job's id.
GAP_REPORT_RUN_LOCK = 7_305_213
# Stored on the job in English and translated as the page shows them ({% translate job.failure %}).
GAP_REPORT_INTERRUPTED = gettext_noop(
    "The report stopped before it finished, because the server running it stopped. "
    "The previous report is still shown. Run it again to update it."
)
GAP_REPORT_FAILED = gettext_noop("Something went wrong. The previous report is still shown.")


def gap_reports_compute(*, organisation_ids: list[int] | None = None) -> int:
    """Recomputes the gap reports of the organisations named, or of the whole sector, here and now."""
    return len(gaps.gap_reports_build(organisation_ids=organisation_ids))


@transaction.atomic
def gap_report_job_create(*, actor: User, organisation: Organisation) -> GapReportJob:
    """Asks for the organisation's gap report to be recomputed now."""
    access.require(actor, "portfolio.compute_report", organisation)
    job = GapReportJob.objects.create(organisation=organisation, requested_by=actor)
    transaction.on_commit(lambda: runner.job_queue(job=job))
    return job


def _job_for(*, organisation_ids: list[int] | None, actor: User | None = None) -> GapReportJob:
    if organisation_ids is not None and len(organisation_ids) == 1:
        return GapReportJob.objects.create(organisation_id=organisation_ids[0], requested_by=actor)
    return GapReportJob.objects.create(organisation=None, organisation_ids=organisation_ids, requested_by=actor)


def gap_report_job_after_import(*, organisation_ids: list[int], actor: User | None) -> GapReportJob | None:
    """Records, inside an import's transaction, the recompute of the reports of the organisations
    whose figures it changed, queued once the import has committed."""
    if not organisation_ids:
        return None
    job = _job_for(organisation_ids=sorted(organisation_ids), actor=actor)
    transaction.on_commit(lambda: runner.job_queue(job=job))
    return job


def gap_report_job_run_now(*, organisation_ids: list[int] | None = None) -> GapReportJob:
    """Recomputes the reports of the organisations named, or of the whole sector (the nightly
    run), as a job run here: recorded, run once, and its death noticed like any other."""
    return gap_report_job_run(job_id=_job_for(organisation_ids=organisation_ids).pk)


def gap_report_job_run(*, job_id: int) -> GapReportJob:
    """Runs one recompute, recording its progress."""
    return runner.job_run(job=GapReportJob.objects.get(pk=job_id), work=_gap_report_job_work)


def _gap_report_job_work(job: GapReportJob) -> None:
    runner.job_progress(job=job, percent=50)
    job.report_count = gap_reports_compute(organisation_ids=job.recomputes)

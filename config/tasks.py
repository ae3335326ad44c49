"""Celery entry points for the reports page (config/reports.py does the work)."""

from celery import shared_task

from config import reports


@shared_task
def export_job_run(*, job_id: int) -> None:
    reports.job_run(job_id=job_id)


@shared_task
def export_files_expire() -> int:
    """Nightly: background exports' files are kept for a week, then deleted (the audit rows stay)."""
    return reports.jobs_expired_delete()

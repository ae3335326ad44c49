"""Celery entry points for the reports page (config/reports.py and config/schedules.py do the work)."""

from celery import shared_task

from config import reports


@shared_task
def export_job_run(*, job_id: int) -> None:
    reports.job_run(job_id=job_id)


@shared_task
def export_files_expire() -> int:
    """Nightly: background exports' files are kept for a week, then deleted (the audit rows stay)."""
    return reports.jobs_expired_delete()


@shared_task
def scheduled_reports_send_due() -> int:
    """Daily (beat): queues the sending of every scheduled report due this month and not yet sent."""
    from config import schedules

    return schedules.schedules_send_due()


# SMTP errors are OSErrors: the mail server being away is retried; the month stays claimed meanwhile.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def scheduled_report_send(*, schedule_id: int, job_id: int) -> bool:
    from config import schedules

    return schedules.schedule_send(schedule_id=schedule_id, job_id=job_id)

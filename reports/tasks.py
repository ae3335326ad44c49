"""Celery entry points for the reports page (reports/exports/ and reports/schedules.py do the work).

The tasks moved here from config/tasks.py; each keeps its registered name (`config.tasks.…`)
so that messages already queued under the old name, and beat's schedule, still find it.
"""

from celery import shared_task

from reports import exports


@shared_task(name="config.tasks.export_job_run")
def export_job_run(*, job_id: int) -> None:
    exports.job_run(job_id=job_id)


@shared_task(name="config.tasks.export_files_expire")
def export_files_expire() -> int:
    """Nightly: background exports' files are kept for a week, then deleted (the audit rows stay)."""
    return exports.jobs_expired_delete()


@shared_task(name="config.tasks.scheduled_reports_send_due")
def scheduled_reports_send_due() -> int:
    """Daily (beat): queues the sending of every scheduled report due this month and not yet sent."""
    from reports import schedules

    return schedules.schedules_send_due()


# SMTP errors are OSErrors: the mail server being away is retried; the month stays claimed meanwhile.
@shared_task(name="config.tasks.scheduled_report_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def scheduled_report_send(*, schedule_id: int, job_id: int) -> bool:
    from reports import schedules

    return schedules.schedule_send(schedule_id=schedule_id, job_id=job_id)

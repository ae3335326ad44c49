"""Celery entry points for imports and gap reports: ids in, one service each. (Queuing again what
Redis could not take is jobs.tasks'.)"""

from celery import shared_task


@shared_task(name="portfolio.tasks.import_job_run")
def import_job_run(job_id: int) -> None:
    from portfolio import services

    services.import_job_run(job_id=job_id)


# Lantern no longer queues this (an import's recompute is a GapReportJob); it stays for messages
# queued before, and runs them as a job too. Returns how many reports it built.
@shared_task(name="portfolio.tasks.gap_reports_compute")
def gap_reports_compute(organisation_ids: list[int] | None = None) -> int:
    from portfolio import services

    return services.gap_report_job_run_now(organisation_ids=organisation_ids).report_count or 0


@shared_task(name="portfolio.tasks.gap_reports_compute_all")
def gap_reports_compute_all() -> int:
    """The nightly run (CELERY_BEAT_SCHEDULE): every organisation, so sector positions stay fresh."""
    from portfolio import services

    return services.gap_report_job_run_now(organisation_ids=None).report_count or 0


@shared_task(name="portfolio.tasks.gap_report_job_run")
def gap_report_job_run(job_id: int) -> None:
    from portfolio import services

    services.gap_report_job_run(job_id=job_id)


@shared_task(name="portfolio.tasks.interrupted_import_files_delete")
def interrupted_import_files_delete() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): interrupted imports' files nobody tried again are deleted."""
    from portfolio import services

    return services.interrupted_import_files_delete()

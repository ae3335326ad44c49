"""Celery entry points of the runner itself (each kind's own task, which runs one job, is its app's)."""

from celery import shared_task

from jobs import runner


# Registered under its first home's name, so that beat's schedule and messages already queued find it.
@shared_task(name="portfolio.tasks.jobs_requeue")
def jobs_requeue(older_than_seconds: int = 120) -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): queues again the jobs Redis could not take, of every kind."""
    return runner.jobs_requeue(older_than_seconds=older_than_seconds)

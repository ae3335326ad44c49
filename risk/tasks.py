"""Celery entry points for risk."""

from celery import shared_task

from risk import services


@shared_task
def remind_overdue_reviews() -> int:
    """Weekly: emails each risk owner the reviews they have let fall overdue."""
    return services.overdue_reviews_remind()

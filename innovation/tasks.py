"""Celery entry points for innovation: each calls one service."""

from celery import shared_task

from innovation import services


@shared_task
def send_digests(frequency: str) -> int:
    """Sends the daily or weekly digests of notices that people chose to receive that way."""
    return services.digest_send(frequency=frequency)


@shared_task
def notify_overdue_milestones() -> int:
    """Tells project owners about milestones past their due date (daily)."""
    return services.milestones_overdue_notify()

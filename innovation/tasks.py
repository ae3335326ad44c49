"""Celery entry points for innovation: each calls one service."""

from celery import shared_task

from accounts import notices
from innovation import services
from innovation.services import outsiders


@shared_task
def send_digests(frequency: str) -> int:
    """Kept under its name for messages queued before the one digest (accounts.tasks.digest_send)."""
    return notices.digest_send(frequency=frequency)


@shared_task
def notify_overdue_milestones() -> int:
    """Tells project owners about milestones past their due date (daily)."""
    return services.milestones_overdue_notify()


@shared_task
def idea_submissions_expire() -> int:
    """Deletes ideas from public pages never confirmed within a week (daily)."""
    return outsiders.submissions_expire()

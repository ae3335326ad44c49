"""Celery entry points for sharing: ids in, one service call each."""

from celery import shared_task

from accounts.models import User
from sharing import services


@shared_task
def digest_send(user_id: int) -> int:
    """One person's weekly digest of new lessons in the services they follow."""
    user = User.objects.filter(pk=user_id).first()
    return 0 if user is None else services.digest_send(user=user)


@shared_task
def digest_send_all() -> int:
    """Queues every follower's weekly digest (run by Celery beat on Monday mornings)."""
    user_ids = services.digest_user_ids()
    for user_id in user_ids:
        digest_send.delay(user_id)
    return len(user_ids)

"""Celery entry points for sharing: ids in, one service call each.

New lessons reach followers in the one weekly digest (accounts.tasks.digest_send); these two
keep their names for messages queued before it, and send the followers' weekly digests.
"""

from celery import shared_task

from accounts.models import User
from sharing import notices, services


@shared_task
def digest_send(user_id: int) -> int:
    """One person's weekly digest, new lessons in the services they follow included."""
    user = User.objects.filter(pk=user_id).first()
    return 0 if user is None else services.digest_send(user=user)


@shared_task
def digest_send_all() -> int:
    """Queues every follower's weekly digest."""
    user_ids = notices.followers()
    for user_id in user_ids:
        digest_send.delay(user_id)
    return len(user_ids)

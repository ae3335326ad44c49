"""Celery entry points for accounts."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, run_here_when_not_queued=True)
def send_email(*, to: list[str], subject: str, body: str) -> None:
    """Sends one plain-text email, retrying while the mail server cannot be reached."""
    send_mail(subject=subject, message=body, from_email=None, recipient_list=to)


@shared_task
def digest_send(frequency: str) -> int:
    """The daily or weekly digest: each person one email of every notice waiting for them."""
    from accounts import notices  # accounts.notices queues send_email from this module

    return notices.digest_send(frequency=frequency)

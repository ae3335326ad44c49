"""Following services, and sending one person their weekly digest now."""

import datetime
from collections.abc import Iterable

from django.db import transaction

from accounts import notices
from accounts.models import User
from sharing.models import ServiceFollow


@transaction.atomic
def service_follows_set(*, user: User, services: Iterable[str]) -> None:
    """The services whose new lessons a person hears about in their weekly digest."""
    wanted = set(services)
    ServiceFollow.objects.filter(user=user).exclude(service__in=wanted).delete()
    existing = set(ServiceFollow.objects.filter(user=user).values_list("service", flat=True))
    ServiceFollow.objects.bulk_create([ServiceFollow(user=user, service=s) for s in wanted - existing])


def digest_send(*, user: User, now: datetime.datetime | None = None) -> int:
    """Sends one person their weekly digest now, new lessons in the services they follow included.

    The weekly digest (accounts.notices) sends everyone's; this is for one person. Returns emails sent.
    """
    return notices.digest_send(frequency=notices.Frequency.WEEKLY, users=[user], now=now)

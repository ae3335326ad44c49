"""What a signed-in person may reach, kept in the cache between requests.

Every signed-in page needs the person's memberships (their organisations and roles), their
invitations not yet answered, their confirmed authenticator apps (for two-factor sign-in) and
their unread notices. Read from the database, that is three queries a request; here it is one
cache read, keyed by the person's `User.access_version`, which Django's own read of the user row
(done on every request, so that deactivation and a password change act at once) brings fresh.

Anything that changes what a person may reach raises their `access_version` in SQL, in the
same transaction as the change (the receivers below): a membership or invitation saved or
deleted, an authenticator app saved or deleted, an organisation saved or deleted. The very
next request then reads a version no entry is kept under, and reads the database again. An
entry written by a request that read the user row before the change was committed is kept
under the old version, which nothing reads any more; stale entries simply expire.

The unread count changes far more often than access does (every notice sent or read), so it
has an entry of its own per person and organisation, deleted whenever one of their notices is
saved or deleted or all are marked read (`unread_forget`).

When the cache is down (Redis stopped) every read falls back to the database: slower, never wrong.
"""

import logging

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

# Long enough to outlive a working day; a version no longer current is never read again.
TIMEOUT = 12 * 60 * 60
UNREAD_TIMEOUT = 60 * 60


def _key(user) -> str:
    # date_joined too, so that an id a database ever hands out again cannot meet an old entry.
    return f"lantern:access:{user.pk}:{user.access_version}:{int(user.date_joined.timestamp())}"


def unread_key(user_id: int, organisation_id: int) -> str:
    return f"lantern:unread:{user_id}:{organisation_id}"


def _get(key):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation; the database still answers
        logger.warning("Cache unavailable; reading access from the database", exc_info=True)
        return None


def _get_many(keys) -> dict:
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable; reading access from the database", exc_info=True)
        return {}


def _set(key, value, timeout) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable; access not kept", exc_info=True)


def _delete(key) -> None:
    try:
        cache.delete(key)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable; entry %s not deleted", key, exc_info=True)


def _load(user) -> dict:
    """Reads from the database what `access_for` keeps: memberships, invitations, devices."""
    from django_otp import devices_for_user

    from accounts.models import Membership

    rows = list(
        Membership.objects.filter(user=user, user__is_active=True)
        .filter(Q(is_active=True) | Q(accepted_at__isnull=True))
        .select_related("organisation", "invited_by")
        .defer("invited_by__password")  # nothing of another person's sign-in goes in the cache
        .order_by("organisation__name")
    )
    devices = sorted(device.persistent_id for device in devices_for_user(user, confirmed=True))
    return {
        "memberships": [m for m in rows if m.is_active and not m.is_pending],
        "invitations": [m for m in rows if m.is_pending],
        "devices": devices,
    }


def access_for(user, *, organisation_id: int | None = None) -> dict:
    """The person's memberships, invitations and confirmed devices' persistent ids, from the
    cache when it holds them for the person's current access version, else from the database.

    Kept on the user object too, so that one request reads the cache once. Given the
    organisation the person works in, the same cache read (one round trip to Redis) brings
    their unread count there too, if the cache has it (`unread_count`).
    """
    found = getattr(user, "_lantern_access", None)
    if found is not None:
        return found
    key = _key(user)
    if organisation_id is None:
        found = _get(key)
    else:
        count_key = unread_key(user.pk, organisation_id)
        both = _get_many([key, count_key])
        found = both.get(key)
        if count_key in both:
            user._lantern_unread = {organisation_id: both[count_key]}
    if found is None:
        found = _load(user)
        _set(key, found, TIMEOUT)
    for membership in (*found["memberships"], *found["invitations"]):
        # Their own user is this one: no query for it, and no copy of it in the cache.
        membership._state.fields_cache["user"] = user
    user._lantern_access = found
    return found


def access_forget(user_id: int) -> None:
    """Makes the next request of the person read their access from the database afresh."""
    from accounts.models import User

    User.objects.filter(pk=user_id).update(access_version=F("access_version") + 1)


def unread_count(*, user_id: int, organisation_id: int, user=None) -> int:
    """The person's unread notices in the organisation, for the header of every page (read with
    their access by `access_for` when it was given the organisation, else here)."""
    from accounts.models import Notice

    known = getattr(user, "_lantern_unread", {})
    if organisation_id in known:
        return known[organisation_id]
    key = unread_key(user_id, organisation_id)
    count = _get(key)
    if count is None:
        count = Notice.objects.filter(user_id=user_id, organisation_id=organisation_id, read_at__isnull=True).count()
        _set(key, count, UNREAD_TIMEOUT)
    return count


def unread_forget(*, user_id: int, organisation_id: int) -> None:
    """Deletes the unread count now and again when the transaction commits, so that a request
    that counted before the commit cannot leave the old count behind for long."""
    key = unread_key(user_id, organisation_id)
    _delete(key)
    transaction.on_commit(lambda: _delete(key))


# ---------------------------------------------------------------- what raises the version


def _membership_changed(sender, instance, **kwargs):
    access_forget(instance.user_id)


def _device_changed(sender, instance, **kwargs):
    access_forget(instance.user_id)


def _organisation_changed(sender, instance, **kwargs):
    from accounts.models import User

    # Its name and kind are in each member's cached memberships (on deletion the memberships'
    # own receivers run first, as the cascade deletes them).
    User.objects.filter(memberships__organisation=instance).update(access_version=F("access_version") + 1)


def _notice_changed(sender, instance, **kwargs):
    unread_forget(user_id=instance.user_id, organisation_id=instance.organisation_id)


def connect() -> None:
    """Connects the receivers (AccountsConfig.ready)."""
    from django_otp.models import Device

    from accounts.models import Membership, Notice, Organisation

    for signal in (post_save, post_delete):
        signal.connect(_membership_changed, sender=Membership, dispatch_uid=f"access-membership-{signal}")
        signal.connect(_organisation_changed, sender=Organisation, dispatch_uid=f"access-organisation-{signal}")
        signal.connect(_notice_changed, sender=Notice, dispatch_uid=f"access-notice-{signal}")
        for model in apps.get_models():
            if issubclass(model, Device):
                signal.connect(_device_changed, sender=model, dispatch_uid=f"access-{model._meta.label}-{signal}")

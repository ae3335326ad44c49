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

With a cache every web process shares (Redis: setting `PEOPLE_IN_CACHE`), the user row itself
is kept too, with the person's access, in one entry (`person_from_cache`, `person_keep`), so that
a light page signed in needs no query at all. Whether that entry is still right cannot be told
from the database without reading it, so it is checked against a stamp of its own in the cache,
read in the same round trip: every change to the person (any `User` save or deletion, which
covers deactivation, a password change and admin rights) and every change that raises their
access version replaces the stamp, at once and again when the transaction commits. An entry is
kept under the stamp read *before* the database was, so one built from rows read before a change
committed is already stale when it is written. Entries are written only outside a transaction
(never holding what may yet be rolled back) and last a minute, which bounds how long a
change made while Redis could not be reached (its stamp not replaced) can go unseen. The
session's own check (Django's session hash, from the password) is made against the kept row.

When the cache is down (Redis stopped) every read falls back to the database: slower, never wrong.
"""

import logging
import secrets

import rules
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

# Long enough to outlive a working day; a version no longer current is never read again.
TIMEOUT = 12 * 60 * 60
UNREAD_TIMEOUT = 60 * 60
# The person's own entry (with their user row): short, see the module's docstring.
PERSON_TIMEOUT = 60
STAMP_TIMEOUT = TIMEOUT


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
    found = {
        "memberships": [m for m in rows if m.is_active and not m.is_pending],
        "invitations": [m for m in rows if m.is_pending],
        "devices": devices,
    }
    found["asked"] = frozenset(KEPT_PERMISSIONS)
    found["allowed"] = _allowed(user, found)
    return found


# The permissions worked out once per access version rather than on every page: the site's
# navigation's, registered by config's AppConfig.ready (accounts imports no layer above it).
KEPT_PERMISSIONS: set[str] = set()


def permissions_keep(permissions) -> None:
    KEPT_PERMISSIONS.update(permissions)


def _allowed(user, found) -> dict:
    """Which of the navigation's permissions the person's role gives them in each organisation
    they work in: the rules asked once per access version rather than on every page. Asked of
    the rules alone (not `user.has_perm`), so that a superuser's all-access is not kept here:
    the navigation adds it from the user row (`allowed`)."""
    known = getattr(user, "_lantern_access", None)
    user._lantern_access = found  # the role rules read the memberships from here
    for membership in found["memberships"]:
        membership._state.fields_cache["user"] = user
    try:
        return {
            m.organisation_id: frozenset(p for p in found["asked"] if rules.has_perm(p, user, m.organisation))
            for m in found["memberships"]
        }
    finally:
        for membership in found["memberships"]:
            membership._state.fields_cache.pop("user", None)
        if known is None:
            del user._lantern_access
        else:
            user._lantern_access = known


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


def allowed(user, organisation, permission: str | None) -> bool:
    """Whether the person may `permission` in `organisation` (one they work in), for the
    navigation: as `user.has_perm`, from what `access_for` keeps."""
    if permission is None or (user.is_active and user.is_superuser):
        return True
    access = access_for(user)
    kept = access.get("allowed")
    if kept is None or permission not in access.get("asked", ()):  # not worked out with the entry: ask the rules
        return user.has_perm(permission, organisation)
    return permission in kept.get(organisation.pk, ())


def access_forget(user_id: int) -> None:
    """Makes the next request of the person read their access from the database afresh."""
    from accounts.models import User

    User.objects.filter(pk=user_id).update(access_version=F("access_version") + 1)
    person_forget(user_id)


# ---------------------------------------------------------------- the person's own entry


def people_in_cache() -> bool:
    """Whether user rows are kept in the cache: only a cache every process shares (Redis) can be
    told of a change made in another process."""
    return getattr(settings, "PEOPLE_IN_CACHE", False)


def person_key(user_id: int) -> str:
    return f"lantern:person:{user_id}"


def stamp_key(user_id: int) -> str:
    return f"lantern:person-stamp:{user_id}"


def _stamp_replace(user_id: int) -> None:
    try:
        cache.set(stamp_key(user_id), secrets.token_hex(8), STAMP_TIMEOUT)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable; entry of person %s not made stale", user_id, exc_info=True)


def person_forget(user_id: int) -> None:
    """Makes the person's kept entry stale: now, and again when the transaction commits, so that
    a request that read the database before the commit cannot keep what it read."""
    if not people_in_cache():
        return
    _stamp_replace(user_id)
    transaction.on_commit(lambda: _stamp_replace(user_id))


_USER_FIELDS = None


def _user_fields() -> list[str]:
    global _USER_FIELDS  # noqa: PLW0603 - the model's fields, read once
    if _USER_FIELDS is None:
        from accounts.models import User

        _USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
    return _USER_FIELDS


# Reads a session from Redis and, in the same round trip, what is kept of the person the index
# (`session_person_key`) says it is signed in as: their entry, its stamp and their unread count
# in the organisation the session works in. The index is only a hint, checked against the
# session itself (`person_from_cache`), so a stale one merely costs the usual second round trip.
_SESSION_AND_PERSON = """
local out = {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2])}
if out[2] then
  local uid, org = string.match(out[2], '^(%d+):(%d*)$')
  if uid then
    out[3] = redis.call('GET', ARGV[1] .. 'lantern:person:' .. uid)
    out[4] = redis.call('GET', ARGV[1] .. 'lantern:person-stamp:' .. uid)
    if org ~= '' then
      out[5] = redis.call('GET', ARGV[1] .. 'lantern:unread:' .. uid .. ':' .. org)
    end
  end
end
return out
"""
_scripts: dict = {}


def session_person_key(session_key: str) -> str:
    return f"lantern:session-person:{session_key}"


def _redis(store_cache):
    """The Redis client and key prefix of the cache, when sessions and people share one Redis
    cache with Django's own keys (else None: the round trips stay apart)."""
    from django.core.cache import caches
    from django.core.cache.backends.base import default_key_func
    from django.core.cache.backends.redis import RedisCache

    default = caches["default"]
    if store_cache is not default or not isinstance(default, RedisCache) or default.key_func is not default_key_func:
        return None
    return default._cache, default.make_key("")


def session_and_person(store_cache, session_cache_key: str, session_key: str):
    """The session's data from the cache (None when it has none) and what is kept of the person
    it is signed in as, according to the index, in one round trip to Redis: (data, prefetched).
    Raises when Redis cannot be reached, as a cache read does."""
    found = _redis(store_cache)
    if found is None:
        return store_cache.get(session_cache_key), None
    client, prefix = found
    redis_client = client.get_client()
    script = _scripts.get(id(redis_client))
    if script is None:
        script = _scripts[id(redis_client)] = redis_client.register_script(_SESSION_AND_PERSON)
    keys = [store_cache.make_key(session_cache_key), prefix + session_person_key(session_key)]
    values = script(keys=keys, args=[prefix])
    loads = client._serializer.loads
    data = None if values[0] is None else loads(values[0])
    prefetched = None
    if len(values) > 2 and values[1] is not None:
        user_id, organisation_id = values[1].decode().split(":")
        prefetched = {
            "user_id": int(user_id),
            "organisation_id": int(organisation_id) if organisation_id else None,
            "entry": None if values[2] is None else loads(values[2]),
            "stamp": None if values[3] is None else loads(values[3]),
        }
        if len(values) > 4 and values[4] is not None:
            prefetched["unread"] = loads(values[4])
    return data, prefetched


def _session_person_index(session_key: str, user_id: int, organisation_id: int | None) -> None:
    from django.core.cache import caches

    found = _redis(caches["default"])
    if found is None:
        return
    client, prefix = found
    value = f"{user_id}:{organisation_id if organisation_id is not None else ''}"
    try:
        key = prefix + session_person_key(session_key)
        client.get_client(write=True).set(key, value, ex=settings.SESSION_COOKIE_AGE)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable; session's person not noted", exc_info=True)


def person_from_cache(user_id: int, *, organisation_id: int | None = None, session=None):
    """The person's user object, with their access (and unread count in `organisation_id`) on it,
    from the cache in one round trip (none when the session's own read brought it), when it holds
    an entry made under their current stamp.
    Returns (user or None, the stamp to keep a fresh entry under or None)."""
    from accounts.models import User

    keys = [person_key(user_id), stamp_key(user_id)]
    if organisation_id is not None:
        keys.append(unread_key(user_id, organisation_id))
    prefetched = getattr(session, "lantern_person", None)
    if prefetched and prefetched["user_id"] == user_id and prefetched["organisation_id"] == organisation_id:
        found = {keys[0]: prefetched["entry"], keys[1]: prefetched["stamp"]}
        if "unread" in prefetched:
            found[keys[2]] = prefetched["unread"]
        found = {key: value for key, value in found.items() if value is not None}
    else:
        found = _get_many(keys)
        if hasattr(session, "lantern_person") and session.session_key:  # read by the script: note it for next time
            _session_person_index(session.session_key, user_id, organisation_id)
    entry, stamp = found.get(keys[0]), found.get(keys[1])
    if stamp is None:
        new = secrets.token_hex(8)
        try:
            stamp = new if cache.add(keys[1], new, STAMP_TIMEOUT) else None
        except Exception:  # noqa: BLE001
            stamp = None
        return None, stamp
    # A row kept before the user table gained a column (a deployment) is not read back.
    if entry is None or entry["stamp"] != stamp or len(entry["row"]) != len(_user_fields()):
        return None, stamp
    user = User.from_db("default", _user_fields(), entry["row"])
    if organisation_id is not None and keys[2] in found:
        user._lantern_unread = {organisation_id: found[keys[2]]}
    access = entry["access"]
    for membership in (*access["memberships"], *access["invitations"]):
        membership._state.fields_cache["user"] = user
    user._lantern_access = access
    return user, stamp


def _in_transaction() -> bool:
    # A test's own transaction (pytest-django's, never committed) does not count.
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def person_keep(user, stamp) -> None:
    """Keeps the person's user row, read from the database, and their access under `stamp`
    (read from the cache before the database was: `person_from_cache`)."""
    if stamp is None or _in_transaction():
        return
    access = access_for(user)
    attached = [*access["memberships"], *access["invitations"]]
    for membership in attached:  # their user goes in the entry once, as its row
        membership._state.fields_cache.pop("user", None)
    try:
        row = tuple(getattr(user, name) for name in _user_fields())
        _set(person_key(user.pk), {"stamp": stamp, "row": row, "access": access}, PERSON_TIMEOUT)
    finally:
        for membership in attached:
            membership._state.fields_cache["user"] = user


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


def _user_changed(sender, instance, **kwargs):
    # Deactivation, a password, admin rights, a name: the kept row is stale.
    person_forget(instance.pk)


def _organisation_changed(sender, instance, **kwargs):
    from accounts.models import User

    # Its name and kind are in each member's cached memberships (on deletion the memberships'
    # own receivers run first, as the cascade deletes them).
    members = User.objects.filter(memberships__organisation=instance)
    if people_in_cache():
        for user_id in members.values_list("pk", flat=True).distinct():
            person_forget(user_id)
    members.update(access_version=F("access_version") + 1)


def _notice_changed(sender, instance, **kwargs):
    unread_forget(user_id=instance.user_id, organisation_id=instance.organisation_id)


def connect() -> None:
    """Connects the receivers (AccountsConfig.ready)."""
    from django_otp.models import Device

    from accounts.models import Membership, Notice, Organisation, User

    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=User, dispatch_uid=f"access-user-{signal}")
        signal.connect(_membership_changed, sender=Membership, dispatch_uid=f"access-membership-{signal}")
        signal.connect(_organisation_changed, sender=Organisation, dispatch_uid=f"access-organisation-{signal}")
        signal.connect(_notice_changed, sender=Notice, dispatch_uid=f"access-notice-{signal}")
        for model in apps.get_models():
            if issubclass(model, Device):
                signal.connect(_device_changed, sender=model, dispatch_uid=f"access-{model._meta.label}-{signal}")

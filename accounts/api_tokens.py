"""Integration tokens for the API: made, revoked and checked here (the pages are in accounts.views).

A key is `<prefix>.<secret>`: 8 random hex characters that name the token on the page and
find its row, then `secrets.token_urlsafe(32)`. Only the SHA-256 hash of the whole key is
kept, so a copy of the database gives nobody a working key; a key carries 256 random bits,
so a fast unsalted hash is enough (no password-style stretching is needed). The key is shown
once, on the page that made it.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts import access
from accounts.models import ApiToken, Organisation, User

# How long an admin may choose for a token to last, in days.
LIFETIME_CHOICES = [
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (180, gettext_lazy("6 months")),
    (365, gettext_lazy("1 year")),
]
# How often the last use is written: an integration calling many times a minute costs one write.
LAST_USED_EVERY = dt.timedelta(minutes=1)
PREFIX_LENGTH = 8


class TokenError(access.LanternError):
    """A token change Lantern refuses, with the reason in plain English."""


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str:
    """The part of a key that names its token: before the dot, or (for a key from before
    Lantern's own tokens, 40 hex characters) its first eight characters."""
    return key.split(".", 1)[0][:PREFIX_LENGTH] if "." in key else key[:PREFIX_LENGTH]


@transaction.atomic
def api_token_create(
    *, actor: User, organisation: Organisation, name: str, scope: str, lifetime_days: int
) -> tuple[ApiToken, str]:
    """Makes an integration token for the organisation. Returns it and its key, which is never shown again."""
    access.require(actor, "accounts.manage_tokens", organisation)
    if scope not in ApiToken.Scope.values:
        raise TokenError(_("Choose whether the token may only read or may also change things"))
    if lifetime_days not in dict(LIFETIME_CHOICES):
        raise TokenError(_("Choose how long the token lasts"))
    now = timezone.now()
    for _attempt in range(5):
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        key = f"{prefix}.{secrets.token_urlsafe(32)}"
        token = ApiToken(
            organisation=organisation,
            name=name,
            scope=scope,
            prefix=prefix,
            key_hash=key_hash(key),
            created_by=actor,
            created_at=now,
            expires_at=now + dt.timedelta(days=lifetime_days),
        )
        token._history_user = actor
        # Kept in English; the page translates it as it shows it (token_revoke.html).
        token._change_reason = gettext_noop("Token made")
        try:
            # A savepoint, so that a clash of random prefixes (one in four billion) can be retried.
            with transaction.atomic():
                token.save()
        except IntegrityError:
            continue
        return token, key
    raise TokenError(_("Lantern could not make a token just now. Try again"))


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Stops a token working at once. Revoked tokens stay listed, with who revoked them and when."""
    access.require(actor, "accounts.manage_tokens", token.organisation)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise TokenError(_("This token has already been revoked"))
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token._history_user = actor
    token._change_reason = gettext_noop("Token revoked")
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_for_key(key: str) -> ApiToken | None:
    """The token a key belongs to, whatever its state, or None. Compares hashes in constant time."""
    token = ApiToken.objects.select_related("organisation", "created_by").filter(prefix=key_prefix(key)).first()
    if token is None or not hmac.compare_digest(token.key_hash, key_hash(key)):
        return None
    return token


def api_token_mark_used(*, token: ApiToken) -> None:
    """Records that the token was used now, at most once a minute.

    A single conditional UPDATE, so that concurrent calls write once and no row lock is held.
    It skips django-simple-history on purpose: `last_used_at` is excluded from the token's
    history, which records who made and revoked it, not each call.
    """
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_EVERY).update(last_used_at=now)
    token.last_used_at = now

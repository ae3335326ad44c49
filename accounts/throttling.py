"""How django-axes recognises the person behind a sign-in attempt, and the rate limits of the
pages anyone may post to without signing in (a campaign's public page).

Email addresses sign in without regard to case, so attempts must be counted the same way:
otherwise "Ann@x", "ANN@x" and "ann@x" would each get their own ten guesses.
"""

import hashlib
import unicodedata

from django.conf import settings
from django.core.cache import cache


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The email address an attempt was for, in the one form that sign-in treats as the same person."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        value = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None:
        return None
    return unicodedata.normalize("NFKC", str(value)).strip().lower()


def client_address(request) -> str:
    """The address a request came from, as sign-in's lockouts see it (django-axes, trusting
    X-Forwarded-For only through the proxies TRUSTED_PROXY_COUNT names)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def rate_limit_spend(*, scope: str, key: str, limit: int, seconds: int) -> bool:
    """Counts one attempt against `key` in `scope`; False once more than `limit` fall in the window.

    Counted in the cache (Redis in production, shared by every worker), under a hash of the key so
    that no address or email is kept in it; the window starts at the first attempt.
    """
    digest = hashlib.sha256(f"{scope}:{unicodedata.normalize('NFKC', key).strip().lower()}".encode()).hexdigest()
    cache_key = f"lantern:rate:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds)
        count = 1
    return count <= limit

"""Per-request context: the organisation a person is working in, two-factor state, and session limits."""

import functools
import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, logout
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.models import Device

from accounts import access_cache, queries, services, sso

ORGANISATION_SESSION_KEY = "lantern_organisation_id"
SIGNED_IN_AT_SESSION_KEY = "lantern_signed_in_at"
RECORDED_KEY_SESSION_KEY = "lantern_recorded_session_key"
SESSION_ENDED_SESSION_KEY = "lantern_session_ended"
LAST_SEEN_SESSION_KEY = "lantern_last_seen"
# The session (and its cookie's expiry) is written when a request finds it last written longer
# ago than this, not on every request: the idle limit is still checked exactly, against it.
LAST_SEEN_REFRESH_SECONDS = 60


class AllowedMethodsMiddleware:
    """Answers 405 to HTTP methods Lantern never uses, TRACE above all, before any view runs.

    Function views accept any method unless told otherwise, and TRACE echoes a request
    back to whoever sent it; one allow-list here covers every page, present and future.
    """

    ALLOWED = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED:
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _user_of(request):
    """The request's user, as Django's `auth.get_user`, from the cache when it keeps the person
    (accounts.access_cache, `PEOPLE_IN_CACHE`): the session's hash of the password is checked
    against the kept row, as Django checks it against the database's. Anything but a kept,
    active person whose session verifies goes to Django's own, which reads the database (and
    ends a session that does not verify)."""
    if not access_cache.people_in_cache():
        return auth.get_user(request)
    session = request.session
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    except (ValueError, TypeError):  # a session whose user id is not one
        return auth.get_user(request)
    if backend_path != MODEL_BACKEND or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    organisation_id = session.get(ORGANISATION_SESSION_KEY)
    user, stamp = access_cache.person_from_cache(user_id, organisation_id=organisation_id, session=session)
    if user is not None:
        session_hash = session.get(HASH_SESSION_KEY)
        if user.is_active and session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
            return user
    user = auth.get_user(request)
    if user.is_authenticated and user.pk == user_id:
        access_cache.access_for(user, organisation_id=organisation_id)
        access_cache.person_keep(user, stamp)
    return user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, giving the request the user `_user_of` finds (from the cache when it can)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user_of(request))


def _cached_user_of(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = _user_of(request)
    return request._cached_user


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's OTPMiddleware, answering from the cache rather than the database.

    Gives the request's user `otp_device` and `is_verified()` as django-otp's does: verified
    when the device whose persistent id the session holds (put there by `django_otp.login`
    when the person gave a code) is one of the person's confirmed devices. Which devices those
    are comes from accounts.access_cache, which forgets them as soon as a device is added,
    confirmed or deleted; the device itself is read only if something asks for `otp_device`.

    The user is found here at once rather than on first use (every request asks, from
    SessionLimitsMiddleware on), and the request given the object itself: each read of it, a
    page's header reads dozens, then costs no lazy wrapper (Django's and django-otp's, two deep).
    """

    def __call__(self, request):
        if self._is_async:
            return self.__acall__(request)
        user = getattr(request, "user", None)
        if isinstance(user, SimpleLazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        if user is not None:
            request.user = self._verify_user_sync(request, user)
        auser = getattr(request, "auser", None)
        if auser is not None:  # as django-otp's
            request.auser = functools.partial(self._verify_user_async_via_auser, request, auser)
        return self.get_response(request)

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            # Which organisations this session opens, by how it was signed in (accounts.queries).
            sso.mark_user(user, request.session)
            if request.session.get(sso.MULTI_FACTOR_SESSION_KEY):
                # The organisation's identity provider checked a second factor: that counts as
                # Lantern's. `otp_device` stays None, so replacing an authenticator app still
                # takes a code from the old one (accounts.views.two_factor_setup_view).
                user.is_verified = lambda: True
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            if persistent_id:
                persistent_id = self._normalize_persistent_id(persistent_id)
                # With the organisation, so that the same cache read brings the header's unread count.
                access = access_cache.access_for(user, organisation_id=request.session.get(ORGANISATION_SESSION_KEY))
                if persistent_id in access["devices"]:
                    user.otp_device = SimpleLazyObject(functools.partial(Device.from_persistent_id, persistent_id))
                else:
                    # Not (or no longer) a confirmed device of theirs: as django-otp, forget it.
                    del request.session[DEVICE_ID_SESSION_KEY]
        return user


class SessionLimitsMiddleware:
    """Ends a session after eight hours without a request, and twelve hours after sign-in however
    active it has been, so that a stolen session cannot be kept alive for ever.

    The idle limit (`SESSION_COOKIE_AGE`) is checked here against the time the session was last
    seen, which is written (and with it the session, its expiry and its cookie's) only when it is
    more than a minute old: most requests write nothing. A session is thus ended up to a minute
    sooner than eight hours after its last request, never later.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            signed_in_at = session.get(SIGNED_IN_AT_SESSION_KEY)
            last_seen = session.get(LAST_SEEN_SESSION_KEY)
            if signed_in_at is None:
                session[SIGNED_IN_AT_SESSION_KEY] = session[LAST_SEEN_SESSION_KEY] = now
            elif last_seen is None:
                # A session from before last-seen was kept: until now it was written, and its
                # expiry moved on, by every request, so it has not been idle too long.
                session[LAST_SEEN_SESSION_KEY] = now
            elif now - signed_in_at > settings.SESSION_ABSOLUTE_LIMIT:
                logout(request)
                # So that the sign-in page can say why they have to sign in again.
                request.session[SESSION_ENDED_SESSION_KEY] = True
            elif now - last_seen > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif now - last_seen > LAST_SEEN_REFRESH_SECONDS:
                session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


class SessionOwnerMiddleware:
    """Remembers whose each signed-in session is, so that deactivating a person ends them all.

    Checked after the view, and whenever the key changes: signing in (on any page, the
    Django admin's too) and changing a password both give the session a new key.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        key = session.session_key if session is not None else None
        if key and user is not None and user.is_authenticated and session.get(RECORDED_KEY_SESSION_KEY) != key:
            services.session_record(user=user, session_key=key)
            session[RECORDED_KEY_SESSION_KEY] = key
        return response


class CurrentOrganisationMiddleware:
    """Sets `request.organisation` and `request.membership` for a signed-in person.

    The organisation is the one chosen at sign-in (or switched to since), provided the
    person still belongs to it; someone with a single organisation is simply in it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.organisation = None
        request.memberships = []
        request.invitations = []
        if request.user.is_authenticated:
            chosen_id = request.session.get(ORGANISATION_SESSION_KEY)
            # One cache read for the person's access and their unread count where they work.
            access_cache.access_for(request.user, organisation_id=chosen_id)
            memberships = queries.membership_list_for_user(user=request.user)
            request.memberships = memberships
            # Invitations not yet accepted give no organisation: only a link to answer them.
            request.invitations = queries.invitation_list_for_user(user=request.user)
            membership = next((m for m in memberships if m.organisation_id == chosen_id), None)
            if membership is None and len(memberships) == 1:
                membership = memberships[0]
                request.session[ORGANISATION_SESSION_KEY] = membership.organisation_id
            if membership is not None:
                request.membership = membership
                request.organisation = membership.organisation
        return self.get_response(request)


class TwoFactorMiddleware:
    """Sends a person who has given their password but not yet a code from their authenticator
    app to give one (or to set an app up), from every page but those that lead there or out.

    Who owes a code is `queries.two_factor_outstanding`: in the organisation they are working
    in, which is why this runs after CurrentOrganisationMiddleware and django-otp's
    OTPMiddleware. The API is left to accounts.api_authentication, which alone can tell a
    browser's session (refused with a 403 until the code is given) from an integration's token.
    """

    # Reachable before the code: the way in and out, choosing the organisation (which decides
    # whether a code is needed at all), resetting a forgotten password (which signs nobody in),
    # and the accessibility and privacy statements, which everyone must be able to read; and the
    # language switch, on those pages too, which changes only the language they are read in.
    OPEN = frozenset(
        {
            "accounts:language",
            "accounts:sign-in",
            "accounts:sign-out",
            "accounts:signed-out",
            "accounts:sso-start",
            "accounts:sso-callback",
            "accounts:two-factor-setup",
            "accounts:two-factor-verify",
            "accounts:choose-organisation",
            "accounts:password-reset",
            "accounts:password-reset-done",
            "accounts:password-reset-confirm",
            "accounts:password-reset-complete",
            "accessibility",
            "privacy",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = request.resolver_match.view_name
        is_api = name.startswith("api:") and name != "api:docs"  # the docs are a page for people
        if name in self.OPEN or is_api or request.path.startswith(settings.STATIC_URL):
            return None
        if not queries.two_factor_outstanding(user=request.user, organisation=request.organisation):
            return None
        # Someone in several organisations chooses one first: whether a code is owed depends on it.
        choose_first = request.organisation is None and len(request.memberships) > 1
        url = reverse("accounts:choose-organisation" if choose_first else "accounts:two-factor-verify")
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            # An htmx request would swap the code page into part of the page; load it whole.
            return HttpResponseClientRedirect(url)
        return redirect(url)


class LanguageMiddleware:
    """Django's LocaleMiddleware, with the signed-in person's own language (accounts.languages)
    first: then the language cookie the switch sets, then the browser's Accept-Language, then
    English. A person's language is written to the cookie too, so that the pages they see after
    signing out (and before signing in again on this browser) stay in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = user.language if user is not None and user.is_authenticated else ""
        language = chosen or translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            language_cookie_set(response, chosen)
        return response


def language_cookie_set(response, language: str) -> None:
    """Remembers the language on this browser, for pages seen signed out."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )

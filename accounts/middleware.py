"""Per-request context: the organisation a person is working in, and session limits."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from accounts import queries, services

ORGANISATION_SESSION_KEY = "lantern_organisation_id"
SIGNED_IN_AT_SESSION_KEY = "lantern_signed_in_at"
RECORDED_KEY_SESSION_KEY = "lantern_recorded_session_key"
SESSION_ENDED_SESSION_KEY = "lantern_session_ended"


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


class SessionLimitsMiddleware:
    """Ends a session a fixed time after sign-in, however active it has been.

    Django's own cookie age, refreshed on every request, is the idle limit; this is the
    absolute one, so that a stolen session cannot be kept alive for ever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
            if signed_in_at is None:
                request.session[SIGNED_IN_AT_SESSION_KEY] = time.time()
            elif time.time() - signed_in_at > settings.SESSION_ABSOLUTE_LIMIT:
                logout(request)
                # So that the sign-in page can say why they have to sign in again.
                request.session[SESSION_ENDED_SESSION_KEY] = True
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
            memberships = queries.membership_list_for_user(user=request.user)
            request.memberships = memberships
            # Invitations not yet accepted give no organisation: only a link to answer them.
            request.invitations = queries.invitation_list_for_user(user=request.user)
            chosen_id = request.session.get(ORGANISATION_SESSION_KEY)
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
    # and the accessibility and privacy statements, which everyone must be able to read.
    OPEN = frozenset(
        {
            "accounts:sign-in",
            "accounts:sign-out",
            "accounts:signed-out",
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

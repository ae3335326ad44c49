"""How the API knows who is asking: an integration's token, or a browser's signed-in session."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from accounts import api_tokens, queries
from accounts.models import ApiToken

# One answer for a key that is wrong, unknown or malformed: it says nothing about which.
INVALID = _("This token is not valid. Ask an admin of your organisation for a new one.")


class IntegrationTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>`: an organisation's integration token (accounts.api_tokens).

    The request acts as the admin who made the token, in the token's organisation only
    (accounts.api.membership_for_request), and only while that person is still an active
    member there; a read-only token may not change anything (TokenScope). A wrong, revoked or
    expired key is a 401 with a JSON reason; nothing falls through to the session.
    """

    keyword = "Token"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            key = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        token = api_tokens.api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked. Ask an admin for a new one."))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("This token has expired. Ask an admin for a new one."))
        user = token.created_by
        if not user.is_active or queries.membership_role(user=user, organisation=token.organisation) is None:
            raise exceptions.AuthenticationFailed(
                _("The admin who made this token no longer works in the organisation. Ask an admin for a new one.")
            )
        api_tokens.api_token_mark_used(token=token)
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScope(permissions.BasePermission):
    """A read-only token may read, never change: every unsafe method is refused with a 403."""

    message = _("This token is read-only: it cannot change anything. Ask an admin for a read and write token.")

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.scope != ApiToken.Scope.WRITE:
            return request.method in permissions.SAFE_METHODS
        return True


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token header in the OpenAPI schema."""

    target_class = "accounts.api_authentication.IntegrationTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token"',
        }


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser's session, once the person has given the code from their authenticator app.

    Until then the API answers 403, whichever organisation the request names: a header may
    name any organisation the person belongs to, so a code is owed if any of their roles
    obliges one. Token authentication (integrations) is checked first and is not affected.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and queries.two_factor_outstanding(user=result[0], organisation=None):
            raise exceptions.PermissionDenied(
                _("Finish signing in first: enter the code from your authenticator app in Lantern.")
            )
        return result


class VerifiedSessionScheme(SessionScheme):
    """Describes it in the OpenAPI schema as the session cookie it is."""

    target_class = "accounts.api_authentication.VerifiedSessionAuthentication"

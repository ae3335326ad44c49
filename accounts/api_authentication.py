"""How the API knows who is asking: an integration's token, or a browser's signed-in session."""

from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from accounts import queries


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
                "Finish signing in first: enter the code from your authenticator app in Lantern."
            )
        return result


class VerifiedSessionScheme(SessionScheme):
    """Describes it in the OpenAPI schema as the session cookie it is."""

    target_class = "accounts.api_authentication.VerifiedSessionAuthentication"

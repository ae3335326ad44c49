"""Single sign-on: people sign in with their organisation's own identity provider (OpenID Connect).

mozilla-django-oidc does the protocol's checking: the code exchanged for tokens at the token
endpoint, the ID token's RS256 signature checked against the provider's published keys
(JWKS), its nonce against the one sent. It is built for one provider named in the settings;
Lantern has one per organisation, so `OrganisationOIDCBackend` gives it the organisation's
configuration instead, and checks more than it does by default (audience, issuer, expiry).

The flow (accounts.views): the person picks their council; Lantern reads that organisation's
discovery document and sends them to its authorization endpoint with a fresh state, nonce
and PKCE (S256) challenge, keeping in the session, under that state, which organisation it
was, the nonce and the PKCE verifier. The callback trusts nothing the provider sends back
about which organisation: it finds the flow by its state and uses that organisation's own
configuration to check what came back. A session signed in this way works in that one
organisation only (`mark_user`), whatever else the person belongs to.

The client secret is kept encrypted with Fernet (`secret_encrypt`): its key is the
LANTERN_FIELD_KEY setting when set, otherwise one derived from SECRET_KEY with HKDF. Or the
operator sets it in the environment as LANTERN_OIDC_SECRET_<organisation id>, which wins.
"""

import base64
import hashlib
import ipaddress
import logging
import os
import secrets
import socket
import time
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

logger = logging.getLogger(__name__)

SCOPES = "openid email profile"
SIGN_ALGORITHM = "RS256"
TIMEOUT_SECONDS = 10
DISCOVERY_CACHE_SECONDS = 60 * 60
# Clocks differ a little between Lantern and a provider.
LEEWAY_SECONDS = 60
# A sign-in must come back from the provider within this, or it is started again.
FLOW_MAX_AGE_SECONDS = 10 * 60
FLOWS_KEPT = 5

FLOWS_SESSION_KEY = "lantern_sso_flows"
# The organisation whose provider signed the session in: it works there and nowhere else.
ORGANISATION_SESSION_KEY = "lantern_sso_organisation"
# The provider said the person gave more than one factor (amr/acr): Lantern asks no code of its own.
MULTI_FACTOR_SESSION_KEY = "lantern_sso_multi_factor"
# After signing out, the provider's end-session link the signed-out page offers.
END_SESSION_SESSION_KEY = "lantern_sso_end_session"

# RFC 8176's "mfa", and the OpenID PAPE policy for multi-factor authentication.
MULTI_FACTOR_AMR = frozenset({"mfa"})
MULTI_FACTOR_ACR = frozenset({"http://schemas.openid.net/pape/policies/2007/06/multi-factor"})


class SSOError(Exception):
    """A sign-in refused, with the reason as the person is told it."""


# ---------------------------------------------------------------- the client secret


def _fernet() -> Fernet:
    key = getattr(settings, "LANTERN_FIELD_KEY", "")
    if key:
        return Fernet(key)
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"lantern-field-key", info=b"identity provider client secrets"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def secret_encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_env_name(organisation) -> str:
    """The environment variable an operator may set the organisation's client secret in."""
    return f"LANTERN_OIDC_SECRET_{organisation.pk}"


def secret_source(provider) -> str | None:
    """Where the client secret comes from: "environment", "stored", or None when there is none."""
    if os.environ.get(secret_env_name(provider.organisation)):
        return "environment"
    return "stored" if provider.client_secret_encrypted else None


def client_secret(provider) -> str:
    from_environment = os.environ.get(secret_env_name(provider.organisation))
    if from_environment:
        return from_environment
    if not provider.client_secret_encrypted:
        return ""
    try:
        return _fernet().decrypt(provider.client_secret_encrypted.encode()).decode()
    except InvalidToken as error:
        # The key changed (LANTERN_FIELD_KEY or SECRET_KEY): the admin enters the secret again.
        raise SSOError(
            _("Lantern cannot read the stored client secret. Ask your Lantern admin to enter it again.")
        ) from error


# ---------------------------------------------------------------- where the provider is


def _allowed_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return bool(getattr(settings, "SSO_ALLOW_LOOPBACK", False))
    return ip.is_global


def check_url(url: str) -> None:
    """Refuses an address Lantern must not fetch from or send people to: anything but HTTPS to a
    public address (plain HTTP to this machine too when SSO_ALLOW_LOOPBACK is on, for a provider
    run on the developer's machine and in the tests). An organisation's admin types the issuer, so
    without this they could make Lantern's server fetch from inside its own network."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as error:
        raise SSOError(_("%(url)s is not a web address") % {"url": url}) from error
    if not host or parts.scheme not in ("https", "http"):
        raise SSOError(_("%(url)s is not a web address") % {"url": url})
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError) as error:
        raise SSOError(_("Lantern cannot find %(host)s") % {"host": host}) from error
    if not addresses or not all(_allowed_address(address) for address in addresses):
        raise SSOError(_("%(host)s is not a public address") % {"host": host})
    loopback = all(ipaddress.ip_address(address).is_loopback for address in addresses)
    if parts.scheme != "https" and not loopback:
        raise SSOError(_("%(url)s must start with https://") % {"url": url})


def _discovery_key(issuer: str) -> str:
    return "lantern:oidc-discovery:" + hashlib.sha256(issuer.encode()).hexdigest()


def discover(issuer: str, *, fresh: bool = False) -> dict:
    """The provider's discovery document, read from {issuer}/.well-known/openid-configuration and
    checked: its issuer is exactly the one configured (OpenID Connect Discovery 1.0, section 4.3),
    every endpoint is an address Lantern may use, and it signs ID tokens with RS256."""
    key = _discovery_key(issuer)
    if not fresh:
        try:
            found = cache.get(key)
        except Exception:  # noqa: BLE001 - the cache is an optimisation
            found = None
        if found is not None:
            return found
    check_url(issuer)
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS, allow_redirects=False)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SSOError(_("Lantern could not read the discovery document at %(url)s") % {"url": url}) from error
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise SSOError(_("The discovery document at %(url)s names a different issuer") % {"url": url})
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(name), str):
            # Translators: %(name)s is the name of a field of the document, such as "jwks_uri".
            raise SSOError(_("The discovery document at %(url)s has no %(name)s") % {"url": url, "name": name})
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint", "end_session_endpoint"):
        if document.get(name) is not None:
            check_url(str(document[name]))
    algorithms = document.get("id_token_signing_alg_values_supported") or [SIGN_ALGORITHM]
    if SIGN_ALGORITHM not in algorithms:
        raise SSOError(_("The identity provider does not sign ID tokens with RS256, which Lantern needs"))
    try:
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable; discovery document not kept", exc_info=True)
    return document


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# ---------------------------------------------------------------- who the provider says it is


def email_verified(claims: dict) -> bool:
    """Whether the provider vouches for the email address: `email_verified`, or Entra ID's
    `xms_edov` (the address's domain is one the tenant has verified; Entra sends no email_verified)."""
    for name in ("email_verified", "xms_edov"):
        value = claims.get(name)
        if value is True or (isinstance(value, str) and value.lower() == "true"):
            return True
    return False


def multi_factor(claims: dict) -> bool:
    """Whether the provider says the person gave more than one factor (its amr or acr claim)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(MULTI_FACTOR_AMR.intersection(amr)) or claims.get("acr") in MULTI_FACTOR_ACR


def _not_a_member(organisation) -> SSOError:
    return SSOError(
        _("You do not have a Lantern account at %(organisation)s. Ask one of its Lantern admins to invite you.")
        % {"organisation": organisation.name}
    )


@transaction.atomic
def membership_for_claims(*, provider, claims: dict):
    """The person's membership of the provider's organisation, matched by their verified email
    address: an active one, an invitation (accepted now: the provider has vouched for the address
    the invitation went to), or, when the admin allows it, a new officer's for an address in one of
    the organisation's verified domains. Anything else is refused (SSOError)."""
    from accounts import services
    from accounts.models import Membership, Role, VerifiedDomain

    organisation = provider.organisation
    email = str(claims.get("email") or "").strip()
    if not email or "@" not in email:
        raise SSOError(_("Your council account did not tell Lantern your email address, so it cannot sign you in."))
    if not email_verified(claims):
        raise SSOError(_("Your council account has not verified your email address, so Lantern cannot sign you in."))
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not user.is_active:
        raise _not_a_member(organisation)
    membership = Membership.objects.filter(organisation=organisation, user=user).first() if user else None
    if membership is not None:
        if membership.is_pending:
            return services.membership_accept(user=user, membership=membership)
        if membership.is_active:
            return membership
        raise _not_a_member(organisation)  # deactivated here: no provider brings them back
    domain = email.rpartition("@")[2].lower()
    if not (
        provider.provision_officers
        and VerifiedDomain.objects.filter(organisation=organisation, domain__iexact=domain).exists()
    ):
        raise _not_a_member(organisation)
    if user is None:
        name = str(claims.get("name") or "").strip()[:150]
        user = User.objects.create_user(
            email=email, password=None, full_name=name, language=organisation.default_language
        )
    membership = Membership(user=user, organisation=organisation, role=Role.OFFICER)
    membership._change_reason = f"Made an officer on first signing in with {organisation.name}'s council account"
    membership.save()
    return membership


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, configured from one organisation's provider rather than the
    settings. Not in AUTHENTICATION_BACKENDS: the callback view makes one for the organisation
    its flow began with and calls it directly, so no other path can reach it."""

    def __init__(self, provider, discovery: dict):
        self.provider = provider
        self.discovery = discovery
        self.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = discovery.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = client_secret(provider)
        self.OIDC_RP_SIGN_ALGO = SIGN_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()
        self.claims: dict = {}
        self.membership = None

    # What mozilla-django-oidc would read from the settings; nothing else is read from them.
    SETTINGS = {
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:sso-callback",
        "OIDC_RP_SCOPES": SCOPES,
        "OIDC_USE_NONCE": True,
        "OIDC_VERIFY_SSL": True,
        "OIDC_TIMEOUT": TIMEOUT_SECONDS,
        "OIDC_PROXY": None,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_TOKEN_USE_BASIC_AUTH": False,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_CREATE_USER": False,
    }

    def get_settings(self, attr, *args):
        if attr in self.SETTINGS:
            return self.SETTINGS[attr]
        return args[0] if args else None

    def verify_token(self, token, **kwargs):
        """The ID token, checked (a SuspiciousOperation if it is not good), before anything is
        fetched for it: a token that is not RS256 ("none" above all) is refused at once."""
        try:
            if jwt.get_unverified_header(token).get("alg") != SIGN_ALGORITHM:
                raise SuspiciousOperation("The ID token is not signed with RS256")
            return super().verify_token(token, **kwargs)
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as error:
            raise SuspiciousOperation("The ID token was refused") from error

    def _verify_jws(self, payload, key):
        """The ID token's signature (RS256 only), and more than the library checks by default:
        that it was issued by this provider, to this client, and has not expired."""
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.PyJWTError as error:
            raise SuspiciousOperation("The ID token is not a JWT") from error
        if header.get("alg") != SIGN_ALGORITHM:
            raise SuspiciousOperation(f"The ID token is signed with {header.get('alg')!r}, not RS256")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[SIGN_ALGORITHM],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.discovery["issuer"],
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"The ID token was refused: {error}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token was issued to another client (azp)")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with what the userinfo endpoint adds (the token's own win: they are signed)."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        info = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo endpoint answered for someone else")
        return {**info, **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        self.claims = self.get_userinfo(access_token, id_token, payload)
        self.membership = membership_for_claims(provider=self.provider, claims=self.claims)
        return self.membership.user


# ---------------------------------------------------------------- the flow


def callback_url(request) -> str:
    return request.build_absolute_uri(reverse("accounts:sso-callback"))


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def authorization_url(request, provider, *, next_url: str) -> str:
    """Where to send the person to sign in at the provider, remembering the flow in their session."""
    document = discover(provider.issuer)
    if secret_source(provider) is None:
        raise SSOError(
            _("%(organisation)s's council account is not fully connected to Lantern yet.")
            % {"organisation": provider.organisation.name}
        )
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    now = time.time()
    flows = {
        key: flow
        for key, flow in request.session.get(FLOWS_SESSION_KEY, {}).items()
        if now - flow["started"] < FLOW_MAX_AGE_SECONDS
    }
    flows = dict(sorted(flows.items(), key=lambda item: item[1]["started"])[-(FLOWS_KEPT - 1) :])
    flows[state] = {
        "organisation": provider.organisation_id,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_url,
        "started": now,
    }
    request.session[FLOWS_SESSION_KEY] = flows
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": callback_url(request),
        "scope": SCOPES,
        "state": state,
        "nonce": nonce,
        "code_challenge": _challenge(verifier),
        "code_challenge_method": "S256",
    }
    endpoint = document["authorization_endpoint"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


def complete(request):
    """Checks what the provider sent back to the callback and finds whom it signs in.

    Returns (user, provider, multi_factor, next URL), or raises SSOError. The organisation is
    the one the flow with this state began with, in this session: never one named by the callback.
    """
    from accounts.models import IdentityProvider

    state = request.GET.get("state", "")
    flows = dict(request.session.get(FLOWS_SESSION_KEY, {}))
    flow = flows.pop(state, None) if state else None
    request.session[FLOWS_SESSION_KEY] = flows
    if flow is None or time.time() - flow["started"] > FLOW_MAX_AGE_SECONDS:
        raise SSOError(_("This sign-in was not started here or took too long. Start again."))
    provider = (
        IdentityProvider.objects.select_related("organisation").filter(organisation_id=flow["organisation"]).first()
    )
    if provider is None:
        raise SSOError(_("Your council's account is no longer connected to Lantern."))
    if request.GET.get("error"):
        raise SSOError(
            _("%(organisation)s's council account did not sign you in. Start again.")
            % {"organisation": provider.organisation.name}
        )
    document = discover(provider.issuer)
    # RFC 9207: a provider that names itself in the response must be the one the flow went to.
    if request.GET.get("iss") and request.GET["iss"] != document["issuer"]:
        raise SSOError(_("The sign-in came back from a different identity provider. Start again."))
    backend = OrganisationOIDCBackend(provider, document)
    try:
        user = backend.authenticate(request, nonce=flow["nonce"], code_verifier=flow["verifier"])
    except SSOError:
        raise
    except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException, KeyError, ValueError, TypeError):
        logger.warning("Single sign-on refused for organisation %s", provider.organisation_id, exc_info=True)
        raise SSOError(
            _("Lantern could not check your sign-in with %(organisation)s's council account. Start again.")
            % {"organisation": provider.organisation.name}
        ) from None
    if user is None:
        raise SSOError(
            _("%(organisation)s's council account did not sign you in. Start again.")
            % {"organisation": provider.organisation.name}
        )
    return user, provider, multi_factor(backend.claims), flow["next"]


def end_session_url(request) -> str | None:
    """The provider's end-session link for a session it signed in, or None."""
    from accounts.models import IdentityProvider

    organisation_id = request.session.get(ORGANISATION_SESSION_KEY)
    provider = IdentityProvider.objects.filter(organisation_id=organisation_id).first() if organisation_id else None
    if provider is None:
        return None
    try:
        endpoint = discover(provider.issuer).get("end_session_endpoint")
    except SSOError:
        return None
    if not endpoint:
        return None
    params = {
        "client_id": provider.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:signed-out")),
    }
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


def mark_user(user, session) -> None:
    """Tells accounts.queries how the request's user signed in: through one organisation's
    provider (they work there only), or with their password (not where SSO is required)."""
    user.lantern_sso_organisation_id = session.get(ORGANISATION_SESSION_KEY)
    user.lantern_signed_in_with_password = user.lantern_sso_organisation_id is None

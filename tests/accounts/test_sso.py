"""Single sign-on (issue 20, part 1): signing in with a council's own OpenID Connect provider.

The tests marked `idp` sign in through two real providers (tests/oidc_provider, django-oauth-toolkit)
started on 127.0.0.1 by the `oidc_providers` fixture: discovery, the authorization code flow with
PKCE, the RS256 signature and the nonce are all the real thing. The rest need no provider.
"""

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.fernet import Fernet
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import reverse

from accounts import sso
from accounts.models import IdentityProvider, Membership, Role, User, VerifiedDomain
from tests.accounts.conftest import enter_code, sign_in
from tests.factories import MembershipFactory
from tests.oidc_provider.fixtures import connect

START = reverse("accounts:sso-start")
SETTINGS = reverse("accounts:sso-settings")
HOME = reverse("home")

idp = pytest.mark.idp


def sso_sign_in(client: Client, councils, organisation, email: str, *, via=None):
    """Picks `organisation` on "Sign in with your council account", signs in as `email` at the
    provider (`via`, another organisation's, to try one that is not theirs) and comes back."""
    response = client.post(START, {"organisation": organisation.pk})
    assert response.status_code == 302, response.content.decode()
    back = councils.idp_of(via or organisation).sign_in(response["Location"], email)
    return client.get(back)


def _page(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- signing in through the provider


@idp
def test_an_officer_signs_in_with_their_council_account(sso_councils):
    client = Client()
    response = sso_sign_in(client, sso_councils, sso_councils.ashby, "officer@ashby.test")
    assert response.status_code == 302 and response.url == HOME
    home = client.get(HOME)
    assert home.status_code == 200
    assert "Ashby Vale District Council" in _page(home)
    assert home.wsgi_request.user.email == "officer@ashby.test"


@idp
def test_the_request_goes_with_state_nonce_and_a_pkce_s256_challenge_kept_for_that_council(sso_councils):
    client = Client()
    response = client.post(START, {"organisation": sso_councils.ashby.pk})
    query = parse_qs(urlsplit(response["Location"]).query)
    assert response["Location"].startswith(sso_councils.idps["ashby"].issuer + "/authorize/")
    assert query["code_challenge_method"] == ["S256"]
    assert query["scope"] == ["openid email profile"]
    flow = client.session[sso.FLOWS_SESSION_KEY][query["state"][0]]
    assert flow["organisation"] == sso_councils.ashby.pk and flow["nonce"] == query["nonce"][0]
    expected = base64.urlsafe_b64encode(hashlib.sha256(flow["verifier"].encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge"] == [expected]


@idp
def test_someone_of_another_council_is_refused_by_this_councils_provider(sso_councils):
    client = Client()
    response = sso_sign_in(client, sso_councils, sso_councils.ashby, "officer@kingsmere.test")
    assert response.status_code == 403
    assert "You do not have a Lantern account at Ashby Vale District Council" in _page(response)
    assert not client.get(HOME).wsgi_request.user.is_authenticated


@idp
def test_one_councils_provider_cannot_sign_anyone_into_another_council(sso_councils):
    """A code from Kingsmere's provider, brought back to a sign-in started for Ashby, is checked
    with Ashby's configuration (the flow's, never the callback's) and refused."""
    client = Client()
    started = client.post(START, {"organisation": sso_councils.ashby.pk})["Location"]
    state = parse_qs(urlsplit(started).query)["state"][0]
    kingsmere = sso_councils.idps["kingsmere"]
    # The same request made of Kingsmere's provider (its client), so that it hands out a code.
    params = parse_qs(urlsplit(started).query)
    params = {key: values[0] for key, values in params.items()} | {"client_id": kingsmere.client_id}
    back = kingsmere.sign_in(f"{kingsmere.issuer}/authorize/?{urlencode(params)}", "both@ashby.test")
    assert parse_qs(urlsplit(back).query)["state"] == [state]
    response = client.get(back)
    assert response.status_code == 403
    assert not client.get(HOME).wsgi_request.user.is_authenticated


@idp
def test_an_unverified_email_address_is_refused(sso_councils):
    response = sso_sign_in(Client(), sso_councils, sso_councils.ashby, "unverified@ashby.test")
    assert response.status_code == 403
    assert "has not verified your email address" in _page(response)


@idp
def test_a_deactivated_person_is_refused(sso_councils):
    Membership.objects.filter(user__email="officer@ashby.test").update(is_active=False)
    response = sso_sign_in(Client(), sso_councils, sso_councils.ashby, "officer@ashby.test")
    assert response.status_code == 403


@idp
def test_a_callback_this_session_did_not_start_is_refused(sso_councils):
    client = Client()
    started = client.post(START, {"organisation": sso_councils.ashby.pk})["Location"]
    back = sso_councils.idps["ashby"].sign_in(started, "officer@ashby.test")
    stranger = Client()  # the code and state in someone else's browser (a login CSRF)
    response = stranger.get(back)
    assert response.status_code == 403
    assert "was not started here" in _page(response)
    # And a state is good once: the person's own browser can use it, but not twice.
    assert client.get(back).status_code == 302
    client.logout()
    assert client.get(back).status_code == 403


@idp
def test_a_person_in_two_councils_works_only_in_the_council_whose_provider_signed_them_in(sso_councils):
    both = sso_councils.members["both@ashby.test"].user
    for organisation, other in [
        (sso_councils.ashby, sso_councils.kingsmere),
        (sso_councils.kingsmere, sso_councils.ashby),
    ]:
        client = Client()
        assert sso_sign_in(client, sso_councils, organisation, both.email).status_code == 302
        home = client.get(HOME)
        assert home.wsgi_request.organisation == organisation
        assert [m.organisation for m in home.wsgi_request.memberships] == [organisation]
        # Choosing the other council is refused like any council they do not belong to.
        choose = client.post(reverse("accounts:choose-organisation"), {"organisation": other.pk})
        assert choose.status_code == 200 and "Select the organisation you want to work in" in _page(choose)
        api = client.get("/api/service-areas/", headers={"X-Lantern-Organisation": str(other.pk)})
        assert api.status_code == 403
        listed = client.get("/api/organisations/").json()
        assert [row["id"] for row in listed.get("results", listed)] == [organisation.pk]


@idp
def test_the_providers_second_factor_counts_for_a_role_that_needs_one(sso_councils):
    client = Client()
    assert sso_sign_in(client, sso_councils, sso_councils.ashby, "manager@ashby.test").status_code == 302
    assert client.get(HOME).status_code == 200  # amr says mfa: no code asked


@idp
def test_without_the_providers_second_factor_lanterns_code_is_still_asked(sso_councils):
    client = Client()
    manager = sso_councils.members["manager-one-factor@ashby.test"].user
    assert sso_sign_in(client, sso_councils, sso_councils.ashby, manager.email).status_code == 302
    response = client.get(HOME, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:two-factor-verify"))
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two-factor-setup"))


@idp
def test_the_providers_second_factor_does_not_replace_the_authenticator_app(sso_councils):
    from tests.conftest import two_factor_device

    manager = sso_councils.members["manager@ashby.test"].user
    two_factor_device(manager)
    client = Client()
    sso_sign_in(client, sso_councils, sso_councils.ashby, manager.email)
    response = client.get(reverse("accounts:two-factor-setup"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:two-factor-verify"))


@idp
def test_first_sign_in_makes_an_officer_only_when_allowed_and_in_a_verified_domain(sso_councils):
    ashby = sso_councils.ashby
    refused = sso_sign_in(Client(), sso_councils, ashby, "newcomer@ashby.test")
    assert refused.status_code == 403 and not User.objects.filter(email="newcomer@ashby.test").exists()

    IdentityProvider.objects.filter(organisation=ashby).update(provision_officers=True)
    still_refused = sso_sign_in(Client(), sso_councils, ashby, "newcomer@ashby.test")
    assert still_refused.status_code == 403  # ashby.test is not one of its verified domains yet

    VerifiedDomain.objects.create(organisation=ashby, domain="ashby.test")
    client = Client()
    assert sso_sign_in(client, sso_councils, ashby, "newcomer@ashby.test").status_code == 302
    membership = Membership.objects.get(user__email="newcomer@ashby.test")
    assert (membership.organisation, membership.role) == (ashby, Role.OFFICER)
    assert membership.user.full_name == "Nia Newcomer"
    assert not membership.user.has_usable_password()
    assert client.get(HOME).status_code == 200
    # An address outside the verified domains is still refused.
    assert sso_sign_in(Client(), sso_councils, ashby, "newcomer@elsewhere.test").status_code == 403


@idp
def test_signing_out_ends_the_session_and_offers_the_providers_end_session(sso_councils):
    client = Client()
    sso_sign_in(client, sso_councils, sso_councils.ashby, "officer@ashby.test")
    response = client.post(reverse("accounts:sign-out"), follow=True)
    page = _page(response)
    assert "Sign out of your council account too" in page
    assert f'href="{sso_councils.idps["ashby"].issuer}/logout/?client_id=lantern-ashby' in page
    assert not client.get(HOME).wsgi_request.user.is_authenticated  # signed out of Lantern


def test_a_password_session_is_not_offered_a_providers_end_session(personas, signed_in):
    client = signed_in(personas.members[Role.OFFICER])
    page = _page(client.post(reverse("accounts:sign-out"), follow=True))
    assert "You have signed out" in page and "council account" not in page


# ---------------------------------------------------------------- the ID token's checks


def _id_token(idp, *, nonce: str) -> str:
    """A real ID token from the provider, for Lantern's client, through the code flow with PKCE."""
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = "http://testserver/sign-in/council/callback/"
    params = {
        "response_type": "code",
        "client_id": idp.client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid email profile",
        "state": "s",
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    back = idp.sign_in(f"{idp.issuer}/authorize/?{urlencode(params)}", "officer@ashby.test")
    code = parse_qs(urlsplit(back).query)["code"][0]
    token = requests.post(
        f"{idp.issuer}/token/",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": idp.client_id,
            "client_secret": idp.client_secret,
            "code_verifier": verifier,
        },
        timeout=10,
    )
    return token.json()["id_token"]


def _tampered(token: str, **claims) -> str:
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(claims)
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@idp
def test_the_id_token_signature_nonce_audience_and_issuer_are_checked(sso_councils):
    ashby = IdentityProvider.objects.get(organisation=sso_councils.ashby)
    backend = sso.OrganisationOIDCBackend(ashby, sso.discover(ashby.issuer))
    token = _id_token(sso_councils.idps["ashby"], nonce="n-1")
    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    assert backend.verify_token(token, nonce="n-1")["email"] == "officer@ashby.test"

    with pytest.raises(SuspiciousOperation):  # the payload changed after signing
        backend.verify_token(_tampered(token, email="officer@kingsmere.test"), nonce="n-1")
    with pytest.raises(SuspiciousOperation):  # another sign-in's nonce
        backend.verify_token(token, nonce="n-2")
    with pytest.raises(SuspiciousOperation):  # signed with nothing at all
        backend.verify_token(jwt.encode({"email": "x@ashby.test", "nonce": "n-1"}, key=None, algorithm="none"))
    # A token Kingsmere's provider signed for its own client: another key, another audience and issuer.
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(_id_token(sso_councils.idps["kingsmere"], nonce="n-1"), nonce="n-1")


@idp
def test_a_tampered_id_token_in_the_flow_refuses_the_sign_in(sso_councils, monkeypatch):
    real_get_token = sso.OrganisationOIDCBackend.get_token

    def tampering(self, payload):
        answer = real_get_token(self, payload)
        return answer | {"id_token": _tampered(answer["id_token"], email="manager@ashby.test")}

    monkeypatch.setattr(sso.OrganisationOIDCBackend, "get_token", tampering)
    client = Client()
    response = sso_sign_in(client, sso_councils, sso_councils.ashby, "officer@ashby.test")
    assert response.status_code == 403
    assert "could not check your sign-in" in _page(response)
    assert not client.get(HOME).wsgi_request.user.is_authenticated


# ---------------------------------------------------------------- the admin's page


@idp
def test_an_admin_connects_the_provider_from_its_discovery_document_and_the_secret_is_never_shown(
    sso_councils, personas
):
    admin = personas.members[Role.ADMIN]
    client = personas.client_for(admin)
    idp_ashby = sso_councils.idps["ashby"]
    data = {"issuer": idp_ashby.issuer, "client_id": "lantern-ashby", "client_secret": "s3cret-value-123"}
    response = client.post(SETTINGS, data)
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(organisation=personas.council)
    assert "s3cret-value-123" not in provider.client_secret_encrypted
    assert sso.client_secret(provider) == "s3cret-value-123"
    page = _page(client.get(SETTINGS))
    assert "s3cret-value-123" not in page and provider.client_secret_encrypted not in page
    assert "A secret is stored; enter a new one to replace it." in page
    # Saved again without a secret: the stored one is kept.
    assert client.post(SETTINGS, data | {"client_secret": ""}).status_code == 302
    provider.refresh_from_db()
    assert sso.client_secret(provider) == "s3cret-value-123"
    # An issuer whose discovery document is not there is refused, and nothing changes.
    wrong = client.post(SETTINGS, data | {"issuer": idp_ashby.issuer + "/nowhere"})
    assert "govuk-error-summary" in _page(wrong) and "could not read the discovery document" in _page(wrong)
    provider.refresh_from_db()
    assert provider.issuer == idp_ashby.issuer


def test_only_an_admin_opens_the_single_sign_on_page(personas):
    for role in Role.values:
        status = personas.client_for(personas.members[role]).get(SETTINGS).status_code
        assert status == (200 if role == Role.ADMIN else 403), role


def test_another_councils_admin_sees_and_changes_only_their_own(personas, monkeypatch):
    connect(personas.council, _FakeIdP("https://login.ashby.example/v2.0"))
    other_admin = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN)
    client = personas.client_for(other_admin)
    page = _page(client.get(SETTINGS))
    assert "login.ashby.example" not in page and "A secret is stored" not in page
    monkeypatch.setattr(sso, "discover", lambda issuer, fresh=False: {"issuer": issuer})
    data = {"issuer": "https://login.kingsmere.example/v2.0", "client_id": "k", "client_secret": "k-secret"}
    assert client.post(SETTINGS, data).status_code == 302
    assert IdentityProvider.objects.get(organisation=personas.council).issuer == "https://login.ashby.example/v2.0"
    assert IdentityProvider.objects.get(organisation=personas.other_council).client_id == "k"


def test_requiring_sso_needs_a_break_glass_admin_from_the_organisation(personas, monkeypatch):
    monkeypatch.setattr(sso, "discover", lambda issuer, fresh=False: {"issuer": issuer})
    client = personas.client_for(personas.members[Role.ADMIN])
    data = {"issuer": "https://login.ashby.example/v2.0", "client_id": "a", "client_secret": "s", "sso_required": "on"}
    response = client.post(SETTINGS, data)
    assert "Select a break-glass admin" in _page(response)
    outsider = client.post(SETTINGS, data | {"break_glass": personas.outsider.user_id})
    assert "Select one of the organisation’s admins" in _page(outsider)
    assert client.post(SETTINGS, data | {"break_glass": personas.members[Role.ADMIN].user_id}).status_code == 302
    personas.council.refresh_from_db()
    assert personas.council.sso_required and personas.council.sso_break_glass == personas.members[Role.ADMIN].user


# ---------------------------------------------------------------- requiring single sign-on


def _require_sso(organisation, break_glass=None):
    organisation.sso_required = True
    organisation.sso_break_glass = break_glass
    organisation.save()


def test_an_organisation_requiring_sso_refuses_its_people_the_password(personas, password):
    _require_sso(personas.council, break_glass=personas.members[Role.ADMIN].user)
    client = Client()
    response = sign_in(client, personas.members[Role.OFFICER].user.email, password)
    assert response.status_code == 200
    assert "Ashby Vale District Council asks you to sign in with your council account" in _page(response)
    assert not client.get(HOME).wsgi_request.user.is_authenticated


def test_the_break_glass_admin_still_signs_in_with_a_password(personas, password):
    admin = personas.members[Role.ADMIN]
    _require_sso(personas.council, break_glass=admin.user)
    client = Client()
    assert sign_in(client, admin.user.email, password).status_code == 302
    enter_code(client, admin.user)
    assert client.get(reverse("accounts:people")).status_code == 200


def test_a_password_session_loses_an_organisation_that_comes_to_require_sso(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    assert client.get(reverse("innovation:idea-list")).status_code == 200
    _require_sso(personas.council)
    response = client.get(reverse("innovation:idea-list"))
    assert response.status_code in (302, 403)
    assert client.get(HOME).wsgi_request.organisation is None


def test_a_password_works_only_in_the_organisations_not_requiring_sso(personas, password):
    person = personas.outsider.user  # an officer of Kingsmere, invited to Ashby too
    MembershipFactory(organisation=personas.council, user=person, role=Role.OFFICER)
    _require_sso(personas.council)
    client = Client()
    assert sign_in(client, person.email, password).status_code == 302
    home = client.get(HOME)
    assert [m.organisation for m in home.wsgi_request.memberships] == [personas.other_council]


# ---------------------------------------------------------------- secrets and addresses


class _FakeIdP:
    def __init__(self, issuer):
        self.issuer, self.client_id, self.client_secret = issuer, "client", "the-secret"


def test_the_secret_is_encrypted_with_the_field_key_or_one_derived_from_secret_key(personas, settings):
    provider = connect(personas.council, _FakeIdP("https://login.ashby.example/v2.0"))
    assert sso.client_secret(provider) == "the-secret"
    settings.LANTERN_FIELD_KEY = Fernet.generate_key().decode()
    with pytest.raises(sso.SSOError, match="enter it again"):
        sso.client_secret(provider)  # kept under the key derived from SECRET_KEY
    provider.client_secret_encrypted = sso.secret_encrypt("new-secret")
    assert Fernet(settings.LANTERN_FIELD_KEY).decrypt(provider.client_secret_encrypted.encode()) == b"new-secret"


def test_a_secret_in_the_environment_wins_and_the_page_says_so(personas, monkeypatch):
    provider = connect(personas.council, _FakeIdP("https://login.ashby.example/v2.0"))
    monkeypatch.setenv(f"LANTERN_OIDC_SECRET_{personas.council.pk}", "from-the-environment")
    assert sso.client_secret(provider) == "from-the-environment"
    page = _page(personas.client_for(personas.members[Role.ADMIN]).get(SETTINGS))
    assert f"Read from the environment variable LANTERN_OIDC_SECRET_{personas.council.pk}" in page
    assert "from-the-environment" not in page


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.8/tenant/v2.0",  # inside the server's own network
        "https://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://8.8.8.8/v2.0",  # public, but not HTTPS
        "ftp://8.8.8.8/",
        "https://127.0.0.1:8000/o",  # this machine, when loopback is not allowed
    ],
)
def test_addresses_lantern_must_not_fetch_are_refused(url, settings):
    settings.SSO_ALLOW_LOOPBACK = False
    with pytest.raises(sso.SSOError):
        sso.check_url(url)


def test_a_public_https_address_is_allowed(settings):
    settings.SSO_ALLOW_LOOPBACK = False
    sso.check_url("https://8.8.8.8/tenant/v2.0")


@pytest.mark.parametrize(
    ("claims", "verified", "multi_factor"),
    [
        ({"email_verified": True, "amr": ["pwd", "mfa"]}, True, True),
        ({"email_verified": "true", "amr": "mfa"}, True, True),
        ({"xms_edov": True, "amr": ["pwd"]}, True, False),  # Entra ID: the domain's owner verified it
        ({"email_verified": False, "acr": "http://schemas.openid.net/pape/policies/2007/06/multi-factor"}, False, True),
        ({}, False, False),
    ],
)
def test_verified_email_and_multi_factor_are_read_from_the_claims(claims, verified, multi_factor):
    assert sso.email_verified(claims) is verified
    assert sso.multi_factor(claims) is multi_factor


def test_the_test_provider_is_never_one_of_lanterns_apps(settings):
    assert not any("oidc_provider" in app or app == "oauth2_provider" for app in settings.INSTALLED_APPS)

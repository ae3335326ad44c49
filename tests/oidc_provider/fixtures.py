"""The `oidc_providers` fixture: two real OpenID Connect providers on 127.0.0.1, one for each council of
the tests ("ashby" and "kingsmere"), each a subprocess running tests/oidc_provider with an RSA key of
its own made now. Both know the same people (PEOPLE), so that one council's provider can be asked
to sign in someone of the other's. Started once per test session, stopped at its end.

`IdP.sign_in(authorize_url, email)` plays the person at the provider without a browser: it follows
the authorization request, signs in on the provider's page and returns where the provider sends
them back (Lantern's callback, with the code and state).
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "council-account-password"
CALLBACK_PATH = "/sign-in/council/callback/"
SIGNED_OUT_PATH = "/signed-out/"

# email → (name, groups): "mfa" signs in with a second factor, "unverified" has no verified address.
PEOPLE = {
    "officer@ashby.test": ("Olu Officer", []),
    "manager@ashby.test": ("Mo Manager", ["mfa"]),
    "manager-one-factor@ashby.test": ("Mina Manager", []),
    "unverified@ashby.test": ("Una Verified", ["unverified"]),
    "newcomer@ashby.test": ("Nia Newcomer", []),
    "newcomer@elsewhere.test": ("Ned Elsewhere", []),
    "both@ashby.test": ("Bo Both", []),
    "officer@kingsmere.test": ("Kit Kingsmere", []),
}


@dataclass
class IdP:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    process: subprocess.Popen

    def sign_in(self, authorize_url: str, email: str, password: str = PASSWORD) -> str:
        """Signs `email` in at the provider; returns the URL it sends the browser back to."""
        browser = requests.Session()
        response = browser.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        login_url = urljoin(authorize_url, response.headers["Location"])
        page = browser.get(login_url, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        next_url = re.search(r'name="next" value="([^"]*)"', page.text).group(1).replace("&amp;", "&")
        response = browser.post(
            login_url,
            data={"csrfmiddlewaretoken": token, "username": email, "password": password, "next": next_url},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, f"{email} could not sign in at {self.name}"
        response = browser.get(urljoin(login_url, response.headers["Location"]), allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(name: str, directory: Path) -> IdP:
    directory.mkdir(parents=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / "signing-key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    client_id, client_secret = f"lantern-{name}", f"{name}-client-secret"
    # Lantern as the tests' client (testserver) and as the live server, on whatever port (RFC 8252 loopback).
    hosts = ["http://testserver", "http://127.0.0.1", "http://localhost"]
    seed = {
        "clients": [
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "redirect_uris": [host + CALLBACK_PATH for host in hosts],
                "post_logout_redirect_uris": [host + SIGNED_OUT_PATH for host in hosts],
            }
        ],
        "users": [
            {"email": email, "name": person, "groups": groups, "password": PASSWORD}
            for email, (person, groups) in PEOPLE.items()
        ],
    }
    (directory / "seed.json").write_text(json.dumps(seed))
    port = _free_port()
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "IDP_DATA_DIR": str(directory),
        "IDP_NAME": name,
        "PYTHONPATH": str(ROOT),
    }
    log = (directory / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "idp_serve", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    return IdP(name=name, issuer=issuer, client_id=client_id, client_secret=client_secret, process=process)


def _wait(idp: IdP, directory: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if idp.process.poll() is not None:
            pytest.fail(f"The {idp.name} identity provider stopped:\n{(directory / 'server.log').read_text()}")
        try:
            if requests.get(f"{idp.issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"The {idp.name} identity provider did not start:\n{(directory / 'server.log').read_text()}")


@pytest.fixture(scope="session")
def oidc_providers(tmp_path_factory):
    """{"ashby": IdP, "kingsmere": IdP}: two real providers, started in parallel."""
    base = tmp_path_factory.mktemp("oidc-providers")
    idps = {name: _start(name, base / name) for name in ("ashby", "kingsmere")}
    try:
        for name, idp in idps.items():
            _wait(idp, base / name)
        yield idps
    finally:
        for idp in idps.values():
            idp.process.terminate()
        for idp in idps.values():
            try:
                idp.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                idp.process.kill()


@dataclass
class SSOCouncils:
    """Two councils, each connected to its own provider, and their people (tests/oidc_provider PEOPLE)."""

    ashby: object
    kingsmere: object
    idps: dict
    members: dict  # email → Membership in Ashby (or Kingsmere for officer@kingsmere.test)

    def idp_of(self, organisation) -> IdP:
        return self.idps["ashby" if organisation == self.ashby else "kingsmere"]


def connect(organisation, idp: IdP, **fields):
    from accounts import sso
    from accounts.models import IdentityProvider

    return IdentityProvider.objects.create(
        organisation=organisation,
        issuer=idp.issuer,
        client_id=idp.client_id,
        client_secret_encrypted=sso.secret_encrypt(idp.client_secret),
        **fields,
    )


@pytest.fixture
def sso_councils(db, oidc_providers) -> SSOCouncils:
    from accounts.models import Organisation, Role
    from tests.factories import MembershipFactory, OrganisationFactory

    ashby = OrganisationFactory(name="Ashby Vale District Council", kind=Organisation.Kind.DISTRICT)
    kingsmere = OrganisationFactory(name="Kingsmere Council")
    connect(ashby, oidc_providers["ashby"])
    connect(kingsmere, oidc_providers["kingsmere"])
    roles = {
        "officer@ashby.test": Role.OFFICER,
        "manager@ashby.test": Role.MANAGER,
        "manager-one-factor@ashby.test": Role.MANAGER,
        "unverified@ashby.test": Role.OFFICER,
        "both@ashby.test": Role.OFFICER,
    }
    members = {
        email: MembershipFactory(organisation=ashby, role=role, user__email=email, user__full_name=PEOPLE[email][0])
        for email, role in roles.items()
    }
    members["officer@kingsmere.test"] = MembershipFactory(
        organisation=kingsmere, user__email="officer@kingsmere.test", user__full_name="Kit Kingsmere"
    )
    MembershipFactory(organisation=kingsmere, user=members["both@ashby.test"].user, role=Role.OFFICER)
    return SSOCouncils(ashby=ashby, kingsmere=kingsmere, idps=oidc_providers, members=members)

"""Standing personas: two councils, every role in the first, and an officer in the
second who must see nothing of the first."""

import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.middleware import RECORDED_KEY_SESSION_KEY
from accounts.models import Membership, Organisation, PartnerOrganisation, Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

# The real OpenID Connect providers on loopback (tests/oidc_provider), for the single sign-on tests.
from tests.oidc_provider.fixtures import oidc_providers, sso_councils  # noqa: F401

# CI's skip allow-list (LANTERN_FAIL_ON_SKIP=1): its hooks, registered as this conftest's own.
from tests.skips import (  # noqa: F401
    pytest_collectreport,
    pytest_runtest_logreport,
    pytest_sessionfinish,
    pytest_terminal_summary,
)


def two_factor_device(user) -> TOTPDevice:
    """The person's confirmed authenticator app, set up now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now (an app knows nothing of drift)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"


def fresh_totp_code(device: TOTPDevice) -> str:
    """The code for now, usable even if this device took one in the last 30 seconds.

    Each code works once only (django-otp keeps the last one used), so a test that signs
    the same person in twice within one 30-second step forgets the earlier use first.
    """
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return totp_code(device)


def force_login(client: Client, user) -> None:
    """`client.force_login`, with two-factor sign-in done too (a real confirmed app, recorded in
    the session as django_otp.login does), so that tests run with it enforced."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = two_factor_device(user).persistent_id
    session.save()


@dataclass
class Personas:
    council: Organisation
    other_council: Organisation
    members: dict  # role → Membership in `council`
    outsider: Membership  # an officer of `other_council`

    def client_for(self, membership: Membership | None) -> Client:
        """A browser session signed in as the person (two-factor sign-in done) and working in
        their organisation."""
        client = Client()
        if membership is not None:
            force_login(client, membership.user)
            session = client.session
            session["lantern_organisation_id"] = membership.organisation_id
            # Recorded as signing in through the page records it, so that deactivating the
            # person ends it and the first request costs no more queries than the next.
            services.session_record(user=membership.user, session_key=session.session_key)
            session[RECORDED_KEY_SESSION_KEY] = session.session_key
            session.save()
        return client


@pytest.fixture
def personas(db) -> Personas:
    council = OrganisationFactory(name="Ashby Vale District Council", kind=Organisation.Kind.DISTRICT)
    other = OrganisationFactory(name="Kingsmere Council")
    members = {role: MembershipFactory(organisation=council, role=role) for role in Role.values}
    # The partner persona is from a partner organisation no campaign is opened to yet.
    members[Role.PARTNER].partner_organisation = PartnerOrganisation.objects.create(
        organisation=council, name="Vale Housing Association"
    )
    members[Role.PARTNER].save(update_fields=["partner_organisation"])
    outsider = MembershipFactory(organisation=other, role=Role.OFFICER)
    return Personas(council=council, other_council=other, members=members, outsider=outsider)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    # With REDIS_URL set (as in CI) Celery would queue tasks for a worker that tests do not
    # run, and a test waiting on a result would wait for ever. Tests run tasks in process;
    # tests/config/test_celery_worker.py is where a real worker takes them from Redis.
    from config.celery import app

    eager, propagates = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    # Shared tasks resolve to the current app of the calling thread; a test that made a Celery
    # client of its own (the real-worker tests) must not leave later tests queuing to Redis.
    app.set_current()
    app.set_default()
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = eager, propagates


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings):
    # Each test sees an empty cache without flushing a Redis database that other runs
    # (or the Celery broker) may share: its keys get a prefix of their own.
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for name, config in settings.CACHES.items()
    }
    # Sessions in the database alone, with or without REDIS_URL (which puts a copy in Redis), so that
    # the queries a page makes are the same everywhere; tests/accounts/test_access_cache.py tries Redis.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    # Likewise the user row read from the database, as without Redis; tests/accounts/test_access_cache.py
    # runs each of its tests with it kept in the cache too (PEOPLE_IN_CACHE, as with Redis).
    settings.PEOPLE_IN_CACHE = False


@pytest.fixture(autouse=True)
def _english_afterwards():
    # LocaleMiddleware leaves the language of a test's last request active in the thread: a later
    # test that writes anything outside a request (a notice, a PDF) must not find it in Welsh.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is built from the models (--no-migrations), so the extension that
    innovation's migration 0008 creates is created here as it would be: pg_trgm, for the
    trigram similarity of "tried elsewhere" and duplicate hints. Nothing to do on SQLite."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

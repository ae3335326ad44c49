"""Standing personas: two councils, every role in the first, and an officer in the
second who must see nothing of the first."""

import uuid
from dataclasses import dataclass

import pytest
from django.test import Client

from accounts import services
from accounts.middleware import RECORDED_KEY_SESSION_KEY
from accounts.models import Membership, Organisation, Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory


@dataclass
class Personas:
    council: Organisation
    other_council: Organisation
    members: dict  # role → Membership in `council`
    outsider: Membership  # an officer of `other_council`

    def client_for(self, membership: Membership | None) -> Client:
        """A browser session signed in as the person and working in their organisation."""
        client = Client()
        if membership is not None:
            client.force_login(membership.user)
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
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = eager, propagates


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings):
    # Each test sees an empty cache without flushing a Redis database that other runs
    # (or the Celery broker) may share: its keys get a prefix of their own.
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for name, config in settings.CACHES.items()
    }

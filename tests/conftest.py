"""Standing personas: two councils, every role in the first, and an officer in the
second who must see nothing of the first."""

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

import datetime as dt
import functools
import secrets

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts import api_tokens
from accounts.models import ApiToken, Membership, Organisation, Role, User

PASSWORD = "correct horse battery staple"


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    ons_code = factory.Sequence(lambda n: f"E06{n:06d}")
    kind = Organisation.Kind.UNITARY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@council.example")
    full_name = factory.Faker("name", locale="en_GB")
    # One real PBKDF2 hash shared by every test user: hashing at Django's 1,000,000
    # iterations takes most of a second, and the personas alone make seven users.
    password = factory.LazyFunction(lambda: _password_hash())


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICER


class IdeaFactory(factory.django.DjangoModelFactory):
    """An idea straight into the database (no service): for tests of pages and other apps."""

    class Meta:
        model = "innovation.Idea"

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Idea {n}")
    problem = "Residents wait too long for an answer."
    proposal = "Answer the common questions online."
    author = factory.SubFactory(UserFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project at any stage straight into the database (no service, no transition log)."""

    class Meta:
        model = "innovation.Project"

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Project {n}")
    summary = "Try something new."
    owner = factory.SubFactory(UserFactory)


def api_key_for(membership, *, scope: str = "write") -> str:
    """A key for an integration token that acts as this person in their organisation.

    Only admins make tokens on the page (accounts.api_tokens); the role matrix needs one acting
    as each role, so the row is written here as the service writes it.
    """
    prefix = secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    ApiToken.objects.create(
        organisation=membership.organisation,
        name=f"Test token {prefix}",
        scope=scope,
        prefix=prefix,
        key_hash=api_tokens.key_hash(key),
        created_by=membership.user,
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return key

"""The language a person reads Lantern in: English or Welsh (settings.LANGUAGES).

A person chooses on any page (the switch in the header, accounts.language_views) or on their
email settings page; until they do, an organisation's default is theirs (Welsh for Welsh
authorities, `Organisation.language_for`). Pages follow it through LanguageMiddleware
(accounts.middleware); emails through `in_language_of`, around everything that writes one, so
that an email reads in its recipient's language rather than in that of whoever caused it.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation

from accounts.models import Organisation, User


def supported(language: str) -> bool:
    return language in dict(settings.LANGUAGES)


def language_of(user: User | None, organisation: Organisation | None = None) -> str:
    """The language to write to the person in: their own choice, else the organisation's default
    (the one the email is about, else the first they work in), else English."""
    if user is not None and user.language:
        return user.language
    if organisation is None and user is not None and user.pk is not None:
        organisation = Organisation.objects.filter(memberships__user=user).order_by("pk").first()
    if organisation is not None:
        return organisation.default_language
    return settings.LANGUAGE_CODE


def in_language_of(user: User | None, organisation: Organisation | None = None) -> translation.override:
    """Writes what is rendered inside it (`with in_language_of(user): …`) in the person's language."""
    return translation.override(language_of(user, organisation))


@transaction.atomic
def user_language_set(*, user: User, language: str) -> None:
    """Remembers the language the person chose, for every browser they sign in with."""
    if not supported(language):
        raise ValueError(f"Unknown language: {language}")
    user.language = language
    # A save, so that the person's kept row (accounts.access_cache) is made stale at once.
    user.save(update_fields=["language"])


@transaction.atomic
def organisation_language_set(*, actor: User, organisation: Organisation, language: str) -> None:
    """The language the organisation's new people read Lantern in until they choose: its admins'."""
    if not actor.has_perm("accounts.manage_people", organisation):
        raise PermissionDenied
    if not supported(language):
        raise ValueError(f"Unknown language: {language}")
    organisation.default_language = language
    organisation.save(update_fields=["default_language"])

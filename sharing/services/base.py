"""What every sharing service shares: its refusals and the people of an organisation in some roles."""

from collections.abc import Iterable

from accounts import access
from accounts import queries as accounts_queries
from accounts.models import Organisation, User


class SharingError(access.LanternError):
    """A change Lantern refuses, with the reason in plain English for the person who asked."""


class VisitsFullError(SharingError):
    """The host has no individual visits left this quarter: offer a group visit or the contact."""


def _people_of(organisation: Organisation, roles: Iterable[str]) -> list[User]:
    return list(accounts_queries.people_in_roles(organisation=organisation, roles=roles))

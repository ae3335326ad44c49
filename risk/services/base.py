"""What every risk service shares: its refusal, and the check that an owner works in the organisation."""

from accounts import access
from accounts import queries as accounts_queries
from accounts.models import COUNCIL_ROLES, Organisation, User


class RiskError(access.LanternError):
    """A change Lantern refuses, with the reason in plain English."""


def _check_belongs(organisation: Organisation, user: User | None, refusal: str) -> None:
    """A risk's or control's owner must be someone working in the same organisation; `refusal`
    says so, with %(organisation)s for its name."""
    if user is None:
        return
    if not accounts_queries.people_in_roles(organisation=organisation, roles=COUNCIL_ROLES).filter(pk=user.pk).exists():
        raise RiskError(refusal % {"organisation": organisation.name})

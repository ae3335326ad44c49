"""What every innovation service shares: its errors and its checks (from accounts.access)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import queries as accounts_queries
from accounts.access import LanternError
from accounts.models import Organisation, Role, User


class InnovationError(LanternError):
    """A change Lantern refuses, with the reason in plain English for the person who asked."""


class ConcurrentEditError(InnovationError):
    """Someone else saved the same thing since this person opened it; nothing was overwritten."""

    def __init__(self, what: str = ""):
        super().__init__(
            # Translators: what is like "this project" or "this business case".
            _(
                "Someone else saved changes to %(what)s while you were editing it. "
                "Nothing you entered has been saved: check their changes below, then make yours again."
            )
            % {"what": what or pgettext("saved changes to …", "this")}
        )


def require_role_of(organisation: Organisation, user: User | None, roles: set[str], message: str) -> None:
    """The person named (an owner, a sponsor, an assessor) must hold one of `roles` here."""
    if (
        user is None
        or not accounts_queries.people_in_roles(organisation=organisation, roles=roles).filter(pk=user.pk).exists()
    ):
        raise InnovationError(message)


def check_version(current: int, seen: int, what: str) -> None:
    """Optimistic locking for edit forms: the version a form was opened at must still be current."""
    if int(seen) != current:
        raise ConcurrentEditError(what)


STAFF_ROLES = {Role.OFFICER, Role.MANAGER, Role.MEMBER, Role.ADMIN}

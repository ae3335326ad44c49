"""What every innovation service shares: its errors and its permission check."""

from django.core.exceptions import PermissionDenied

from accounts.models import Membership, Organisation, Role, User


class InnovationError(Exception):
    """A change Lantern refuses, with the reason in plain English for the person who asked."""


class ConcurrentEditError(InnovationError):
    """Someone else saved the same thing since this person opened it; nothing was overwritten."""

    def __init__(self, what: str = "this"):
        super().__init__(
            f"Someone else saved changes to {what} while you were editing it. "
            "Nothing you entered has been saved: check their changes below, then make yours again."
        )


def require(actor: User, perm: str, target) -> None:
    """Raises PermissionDenied unless `actor` has `perm` on `target` (see innovation/rules.py)."""
    if not actor.has_perm(perm, target):
        raise PermissionDenied


def require_same_organisation(organisation: Organisation, *objects) -> None:
    """Related rows chosen in a form must belong to the same organisation as the thing changed."""
    for obj in objects:
        if obj is not None and obj.organisation_id != organisation.pk:
            raise PermissionDenied


def role_in(organisation: Organisation, user: User | None) -> str | None:
    if user is None:
        return None
    membership = (
        Membership.objects.for_organisation(organisation).active().filter(user=user).values_list("role", flat=True)
    )
    return membership.first()


def require_role_of(organisation: Organisation, user: User | None, roles: set[str], message: str) -> None:
    """The person named (an owner, a sponsor, an assessor) must hold one of `roles` here."""
    if role_in(organisation, user) not in roles:
        raise InnovationError(message)


def check_version(current: int, seen: int, what: str) -> None:
    """Optimistic locking for edit forms: the version a form was opened at must still be current."""
    if int(seen) != current:
        raise ConcurrentEditError(what)


STAFF_ROLES = {Role.OFFICER, Role.MANAGER, Role.MEMBER, Role.ADMIN}

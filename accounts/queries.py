"""Read paths for people, organisations and memberships."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Organisation, User


def membership_list_for_user(*, user: User) -> list[Membership]:
    """The organisations a person may work in now, with their role in each.

    Cached on the user object, so that the middleware, the role rules and the templates
    of one request share a single query.
    """
    cached = getattr(user, "_lantern_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.active().filter(user=user).select_related("organisation").order_by("organisation__name")
        )
        user._lantern_memberships = cached
    return cached


def membership_role(*, user: User, organisation: Organisation | None) -> str | None:
    """The role a person holds in an organisation, or None when they hold none."""
    if organisation is None or not user.is_authenticated or not user.is_active:
        return None
    for membership in membership_list_for_user(user=user):
        if membership.organisation_id == organisation.pk:
            return membership.role
    return None


def person_list(*, organisation: Organisation):
    """Everyone who belongs, or belonged, to an organisation: active people first."""
    return (
        Membership.objects.for_organisation(organisation)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "user__email")
    )


def person_get(*, organisation: Organisation, pk: int) -> Membership:
    """One person's membership of the organisation; another organisation's is a 404."""
    return get_object_or_404(person_list(organisation=organisation), pk=pk)


def person_get_for_user(*, user: User, organisation: Organisation, pk: int, perm: str) -> Membership:
    """A person in the organisation the user works in (else 404) whom the user may `perm` (else 403).

    The person is looked up before the permission is checked, so that another
    organisation's id answers 404 to every role, the same as an id that does not exist.
    """
    person = person_get(organisation=organisation, pk=pk)
    if not user.has_perm(perm, person):
        raise PermissionDenied
    return person

"""Read paths for people, organisations and memberships."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access
from accounts.models import TWO_FACTOR_ROLES, Membership, Organisation, User


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


def two_factor_required(*, user: User, organisation: Organisation | None) -> bool:
    """Whether the person's role obliges them to use two-factor sign-in to work in `organisation`.

    With no organisation, whether any of their roles does: a person in several who has not
    chosen one yet, and the API, which may be told another organisation in a header.
    """
    return any(
        m.role in TWO_FACTOR_ROLES
        for m in membership_list_for_user(user=user)
        if organisation is None or m.organisation_id == organisation.pk
    )


def two_factor_device(*, user: User) -> TOTPDevice | None:
    """The authenticator app the person has set up and confirmed, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def two_factor_outstanding(*, user: User, organisation: Organisation | None) -> bool:
    """Whether the person has signed in with their password but still owes a code: their role
    obliges them (see `two_factor_required`), or they have set up an app of their own accord.

    Needs django-otp's OTPMiddleware, which gives the request's user `is_verified()`.
    """
    if not user.is_authenticated or user.is_verified():
        return False
    return two_factor_required(user=user, organisation=organisation) or two_factor_device(user=user) is not None


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
    access.require(user, perm, person)
    return person


def people_in_roles(*, organisation: Organisation | int, roles: Iterable[str]) -> QuerySet[User]:
    """The people working in an organisation now in one of `roles`: active accounts with an active
    membership there (never a deactivated one, nor an invitation not yet accepted), by name."""
    memberships = Membership.objects.for_organisation(organisation).active().filter(role__in=list(roles))
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("full_name", "email")

"""Read paths for people, organisations and memberships."""

from collections.abc import Iterable

from django.db.models import Case, F, QuerySet, When
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access, access_cache
from accounts.models import TWO_FACTOR_ROLES, ApiToken, Membership, Organisation, User


def membership_list_for_user(*, user: User) -> list[Membership]:
    """The organisations a person may work in now, with their role in each.

    Kept in the cache between requests and on the user object within one (accounts.access_cache),
    so that the middleware, the role rules and the templates share one read.

    For the request's own user, only those its way of signing in opens (accounts.sso.mark_user):
    a session signed in by an organisation's identity provider works in that organisation alone,
    and one signed in with a password nowhere that requires single sign-on (but for its
    break-glass admin). Another person's user object (a notice's recipient, say) is not limited.
    """
    memberships = access_cache.access_for(user)["memberships"]
    sso_organisation_id = getattr(user, "lantern_sso_organisation_id", None)
    if sso_organisation_id is not None:
        return [m for m in memberships if m.organisation_id == sso_organisation_id]
    if getattr(user, "lantern_signed_in_with_password", False):
        return [m for m in memberships if m.organisation.password_sign_in_allowed(user)]
    return memberships


def invitation_list_for_user(*, user: User) -> list[Membership]:
    """The invitations a person has not yet accepted or declined, with the organisation of each.

    Read with their memberships (see `membership_list_for_user`), so that the header's link to
    them costs nothing on every page.
    """
    return access_cache.access_for(user)["invitations"]


def invitation_get_for_user(*, user: User, pk: int) -> Membership:
    """One of the person's own invitations not yet answered; anyone else's, or an answered one, is a 404."""
    return get_object_or_404(
        Membership.objects.pending().filter(user=user, user__is_active=True).select_related("organisation"), pk=pk
    )


def user_is_wholly_within(*, user: User, organisation: Organisation) -> bool:
    """Whether the person's account is the organisation's alone to act on.

    True when they have accepted the organisation's invitation and every membership of theirs
    that is active is in it. An account is shared by every organisation the person works in:
    its sessions, its authenticator app and its password serve all of them, so one
    organisation's admin may end or reset them only where no other organisation relies on them.
    Every organisation action on a shared account asks here.
    """
    memberships = list(Membership.objects.filter(user=user).values_list("organisation_id", "is_active", "accepted_at"))
    return any(org == organisation.pk and accepted is not None for org, _, accepted in memberships) and all(
        org == organisation.pk for org, active, _ in memberships if active
    )


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
    # Whether they have a confirmed app: from the cache, as the OTP middleware reads it.
    return two_factor_required(user=user, organisation=organisation) or bool(access_cache.access_for(user)["devices"])


def person_list(*, organisation: Organisation):
    """Everyone who belongs, belonged or is invited to an organisation: active people first.

    Sorted by the name the organisation may see (what it typed, for an invitation), so that
    even the order of the list says nothing of an invited account's own name.
    """
    return (
        Membership.objects.for_organisation(organisation)
        .select_related("user")
        .annotate(shown_name=Case(When(accepted_at__isnull=True, then=F("invited_name")), default=F("user__full_name")))
        .order_by("-is_active", "shown_name", "user__email")
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


def api_token_list(*, organisation: Organisation) -> QuerySet[ApiToken]:
    """The organisation's integration tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.for_organisation(organisation).select_related("created_by", "revoked_by")


def api_token_get_for_user(*, user: User, organisation: Organisation, pk: int) -> ApiToken:
    """One of the organisation's tokens (another organisation's is a 404) that the user may manage (else 403)."""
    token = get_object_or_404(api_token_list(organisation=organisation), pk=pk)
    access.require(user, "accounts.manage_tokens", token.organisation)
    return token

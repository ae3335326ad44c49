"""Every change to people, organisations and memberships, and to how they sign in."""

import logging
import math
import time
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access, languages, notices, queries, regions, sso
from accounts.models import (
    IdentityProvider,
    Membership,
    Organisation,
    PartnerOrganisation,
    Role,
    User,
    UserSession,
)
from accounts.tokens import invitation_token_generator

logger = logging.getLogger(__name__)


class PeopleError(access.LanternError):
    """A change to someone's membership that Lantern refuses, with the reason in plain English."""


class TwoFactorError(access.LanternError):
    """A two-factor code that Lantern refuses, with the reason in plain English."""


class TwoFactorThrottled(TwoFactorError):
    """Too many wrong codes in a row: django-otp makes each further try wait twice as long."""

    def __init__(self, *, seconds: int):
        self.seconds = seconds
        wait = ngettext("%(count)s second", "%(count)s seconds", seconds) % {"count": seconds}
        if seconds > 90:
            minutes = math.ceil(seconds / 60)
            wait = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
        # Translators: %(wait)s is a time such as "4 seconds" or "3 minutes".
        super().__init__(_("You have entered too many wrong codes. Wait %(wait)s, then try again") % {"wait": wait})


WRONG_CODE = gettext_lazy("The code is not right. Enter the newest code your authenticator app shows for Lantern")


def _require_people_manager(actor: User, organisation: Organisation) -> None:
    access.require(actor, "accounts.manage_people", organisation)


def _lock_admins(organisation: Organisation) -> int:
    """Locks the organisation's active admins and counts them.

    Otherwise two admins removing each other at the same moment would each see the other
    still there, and leave the organisation with none. Taken first, in one order, by every
    change that needs the count, so that two such changes cannot deadlock.
    """
    admins = Membership.objects.for_organisation(organisation).active().filter(role=Role.ADMIN).order_by("pk")
    return len(admins.select_for_update(of=("self",)).values_list("pk", flat=True))


def _record_change(membership: Membership, actor: User | None, reason: str) -> None:
    # Said on the instance rather than left to the history middleware, so that changes made
    # from commands and Celery tasks also record who made them.
    membership._history_user = actor
    membership._change_reason = reason


def invitation_url(*, user: User) -> str:
    """The one-time link with which an invited person sets their password."""
    path = reverse(
        "accounts:accept-invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return notices.absolute_url(path)


@transaction.atomic
def organisation_create(*, name: str, kind: str, ons_code: str | None = None) -> Organisation:
    """Adds an organisation to Lantern, in the region its ONS code is in (if the lookup has it)."""
    region = regions.region_for_ons_code(ons_code)
    return Organisation.objects.create(
        name=name,
        kind=kind,
        ons_code=ons_code or None,
        region=region,
        default_language=Organisation.language_for(ons_code=ons_code, region=region),
    )


def _partner_organisation(organisation: Organisation, role: str, name: str) -> PartnerOrganisation | None:
    """The partner organisation a partner is from (the organisation's own, found by name without
    regard to case, or added now); None for every other role, who work for the organisation."""
    if role != Role.PARTNER:
        return None
    name = " ".join(name.split())
    if not name:
        raise PeopleError(_("Enter the partner organisation they are from."))
    found = PartnerOrganisation.objects.for_organisation(organisation).filter(name__iexact=name).first()
    return found or PartnerOrganisation.objects.create(organisation=organisation, name=name)


@transaction.atomic
def membership_invite(
    *,
    actor: User | None,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    partner_organisation_name: str = "",
) -> Membership:
    """Invites a person to an organisation by email. They join when they accept.

    Someone new gets a link to set a password, which accepts; someone who already has an
    account accepts on their Invitations page after signing in. Until then the membership
    gives no access, and the organisation sees only the name and address it typed, so the
    answer is the same whether or not the address has an account.

    `actor` is None only when an operator creates an organisation's first admin from the
    command line. A partner is invited from a named partner organisation, added on first use.
    """
    if actor is not None:
        _require_people_manager(actor, organisation)
    partner = _partner_organisation(organisation, role, partner_organisation_name)
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        # Until they choose, a new person reads Lantern (and this invitation) in the organisation's language.
        user = User.objects.create_user(
            email=email, full_name=full_name, password=None, language=organisation.default_language
        )
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    if membership is not None:
        if membership.is_pending:
            raise PeopleError(
                _("%(email)s has already been invited to %(organisation)s.")
                % {"email": user.email, "organisation": organisation.name}
            )
        raise PeopleError(
            _("%(email)s already belongs to %(organisation)s.")
            % {"email": user.email, "organisation": organisation.name}
        )
    membership = Membership(
        organisation=organisation,
        user=user,
        role=role,
        invited_by=actor,
        invited_name=full_name,
        is_active=False,
        accepted_at=None,
        partner_organisation=partner,
    )
    _record_change(membership, actor, f"Invited by {actor.email}" if actor else "Invited by a Lantern operator")
    membership.save()
    needs_password = not user.has_usable_password()
    with languages.in_language_of(user, organisation):
        context = {
            "organisation": organisation,
            "role": membership.get_role_display(),
            "inviter": actor,
            # The name the inviting admin typed, as they typed it: the email goes to the address's owner.
            "name": full_name,
            "link": invitation_url(user=user) if needs_password else notices.absolute_url("accounts:invitations"),
            "needs_password": needs_password,
            "days": settings.INVITATION_TIMEOUT_DAYS,
        }
        notices.email_send(
            to=[user.email],
            subject=_("You have been invited to %(organisation)s on Lantern") % {"organisation": organisation.name},
            body=render_to_string("accounts/email/invitation.txt", context),
        )
    return membership


@transaction.atomic
def membership_accept(*, user: User, membership: Membership) -> Membership:
    """The invited person accepts an invitation: from now on they work in the organisation."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id != user.pk or not membership.is_pending:
        raise PeopleError(_("This invitation has already been answered."))
    membership.accepted_at = timezone.now()
    membership.is_active = True
    _record_change(membership, user, f"Invitation accepted by {user.email}")
    membership.save(update_fields=["accepted_at", "is_active"])
    if not user.language:  # not chosen yet: the organisation's until they choose
        user.language = membership.organisation.default_language
        user.save(update_fields=["language"])
    _forget_memberships(user)
    return membership


@transaction.atomic
def membership_decline(*, user: User, membership: Membership) -> None:
    """The invited person declines an invitation. The organisation's history keeps that it was."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id != user.pk or not membership.is_pending:
        raise PeopleError(_("This invitation has already been answered."))
    _record_change(membership, user, f"Invitation declined by {user.email}")
    membership.delete()
    _forget_memberships(user)


@transaction.atomic
def membership_withdraw(*, actor: User, membership: Membership) -> None:
    """An admin withdraws an invitation the person has not answered: it leaves their Invitations
    page, and the organisation's history keeps that it was sent and withdrawn, and by whom.

    Nothing about the address's owner is read or changed (an account the invitation made stays, and
    gives no access), so the answer is the same whether or not the address had an account.
    """
    _require_people_manager(actor, membership.organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_pending:
        raise PeopleError(
            _("%(name)s has already accepted the invitation. Deactivate them instead.")
            % {"name": membership.display_name}
        )
    _record_change(membership, actor, f"Invitation withdrawn by {actor.email}")
    membership.delete()
    _forget_memberships(membership.user)


@transaction.atomic
def invitations_accept_with_new_password(*, user: User) -> list[Membership]:
    """Accepts the invitations of someone who has just set their first password through an
    invitation link. The account was made by an invitation and never used, so no organisation
    relied on it before; each invitation sent them a link like the one they followed."""
    pending = Membership.objects.pending().filter(user=user).order_by("pk")
    return [membership_accept(user=user, membership=membership) for membership in pending]


def _forget_memberships(user: User) -> None:
    # What was read of the person's access for this request (accounts.access_cache) is now stale,
    # and so is the access version this object holds: read the one the change has just raised.
    user.__dict__.pop("_lantern_access", None)
    user.access_version = User.objects.filter(pk=user.pk).values_list("access_version", flat=True).first() or 0


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Gives a person a different role in the organisation."""
    _require_people_manager(actor, membership.organisation)
    admin_count = _lock_admins(membership.organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    is_last_admin = membership.role == Role.ADMIN and membership.is_active and admin_count <= 1
    if is_last_admin and role != Role.ADMIN:
        raise PeopleError(
            _("You cannot change the role of the organisation’s only admin. Make someone else an admin first.")
        )
    if role == Role.PARTNER and membership.partner_organisation_id is None:
        raise PeopleError(
            _("A partner must be invited from their partner organisation: invite them again as a partner.")
        )
    membership.role = role
    if role != Role.PARTNER:
        membership.partner_organisation = None
    _record_change(membership, actor, f"Role changed by {actor.email}")
    membership.save(update_fields=["role", "partner_organisation"])
    return membership


@transaction.atomic
def membership_deactivate(*, actor: User, membership: Membership) -> Membership:
    """Removes a person's access to the organisation.

    Their sessions end only if they belong to no other organisation: otherwise those sessions
    serve the other organisations too, and lose this one on their next request (accounts.middleware
    then asks them to choose among the organisations they still belong to).
    """
    _require_people_manager(actor, membership.organisation)
    admin_count = _lock_admins(membership.organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id == actor.pk:
        raise PeopleError(_("You cannot deactivate yourself. Ask another admin to do it."))
    if membership.is_pending:
        raise PeopleError(
            _("%(name)s has not accepted the invitation, so there is nothing to deactivate.")
            % {"name": membership.display_name}
        )
    if not membership.is_active:
        raise PeopleError(_("%(name)s is already deactivated.") % {"name": membership.display_name})
    if membership.role == Role.ADMIN and admin_count <= 1:
        raise PeopleError(_("You cannot deactivate the organisation’s only admin."))
    membership.is_active = False
    _record_change(membership, actor, f"Deactivated by {actor.email}")
    membership.save(update_fields=["is_active"])
    if queries.user_is_wholly_within(user=membership.user, organisation=membership.organisation):
        user_sessions_end(user=membership.user)
    return membership


@transaction.atomic
def membership_reactivate(*, actor: User, membership: Membership) -> Membership:
    """Gives a deactivated person their access to the organisation back."""
    _require_people_manager(actor, membership.organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_pending:
        # Only the person can accept an invitation: an admin's "reactivate" must not do it for them.
        raise PeopleError(_("%(name)s has not accepted the invitation yet.") % {"name": membership.display_name})
    if membership.is_active:
        raise PeopleError(_("%(name)s is already active.") % {"name": membership.display_name})
    membership.is_active = True
    _record_change(membership, actor, f"Reactivated by {actor.email}")
    membership.save(update_fields=["is_active"])
    return membership


@transaction.atomic
def session_record(*, user: User, session_key: str) -> None:
    """Remembers that a session belongs to a person, so it can be ended later."""
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})
    # Forget their sessions that have since ended, so the table does not grow for ever.
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key=session_key).exclude(session_key__in=live).delete()


@transaction.atomic
def user_sessions_end(*, user: User) -> int:
    """Signs a person out everywhere at once. Returns the number of sessions ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    # The session engine may keep copies in the cache too (cached_db): those go as well.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if hasattr(store, "cache_key_prefix"):
        cache_keys = [store.cache_key_prefix + key for key in keys]
        transaction.on_commit(lambda: _sessions_uncache(store, cache_keys))
        _sessions_uncache(store, cache_keys)
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def _sessions_uncache(store, cache_keys: list[str]) -> None:
    try:
        store()._cache.delete_many(cache_keys)
    except Exception:  # noqa: BLE001 - with the cache down, the database copies are gone already
        logger.warning("Cache unavailable; ended sessions not removed from it", exc_info=True)


@transaction.atomic
def two_factor_device_confirm(*, user: User, key: str, code: str) -> TOTPDevice:
    """Makes a newly added authenticator app the person's only one, once it has shown a right code.

    The key stays in the person's session until then, so an app that was never confirmed
    leaves nothing behind. Any app they had before stops working.
    """
    device = TOTPDevice(user=user, name="Authenticator app", key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not (code.isdigit() and totp.verify(int(code), device.tolerance)):
        raise TwoFactorError(WRONG_CODE)
    for old in devices_for_user(user, confirmed=None, for_verify=True):
        old.delete()
    # The code just used cannot be used again to sign in.
    device.last_t = totp.t()
    device.drift = totp.drift
    device.set_last_used_timestamp(commit=False)
    device.save()
    return device


def two_factor_verify(*, user: User, code: str) -> TOTPDevice:
    """Checks a code from the person's authenticator app. Each code works once only.

    A wrong code makes the next try wait (1, 2, 4, 8… seconds: django-otp's throttle, kept on
    the device), so codes cannot be guessed quickly. The device is locked while it is checked,
    so that two guesses at once are counted as two.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
        if device is None:
            raise TwoFactorError(_("You have not set up two-factor sign-in"))
        allowed, details = device.verify_is_allowed()
        # Not raised inside the transaction: the failure count verify_token saves must be kept.
        verified = allowed and device.verify_token(code)
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        seconds = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        raise TwoFactorThrottled(seconds=max(1, math.ceil(seconds)))
    if not verified:
        raise TwoFactorError(WRONG_CODE)
    return device


OPERATOR_RESET_ROUTE = gettext_lazy("a Lantern operator (see “Lost phone” in Lantern’s README)")
TWO_FACTOR_RESET_BY_OPERATOR = gettext_lazy(
    "They also use Lantern for another organisation, so only a Lantern operator can reset it."
)


@transaction.atomic
def membership_two_factor_reset(*, actor: User, membership: Membership) -> int:
    """Removes a person's authenticator apps, for someone who has lost theirs, and signs them out.

    They set up a new app the next time they sign in with their password. Their sessions end
    too, so that whoever holds one cannot set up an app of their own without the password.
    An organisation's admin may do it only for someone who works in no other organisation:
    the app and the sessions serve every organisation the person belongs to.
    """
    _require_people_manager(actor, membership.organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id == actor.pk:
        raise PeopleError(
            _(
                "You cannot reset your own two-factor sign-in. Set up a new app from your "
                "two-factor sign-in page, or ask another admin."
            )
        )
    if membership.is_pending:
        raise PeopleError(_("%(name)s has not accepted the invitation yet.") % {"name": membership.display_name})
    if not queries.user_is_wholly_within(user=membership.user, organisation=membership.organisation):
        raise PeopleError(
            # Translators: %(route)s is who can reset it, such as "a Lantern operator (see …)".
            _(
                "%(name)s also uses Lantern for another organisation, so their two-factor "
                "sign-in can only be reset by %(route)s."
            )
            % {"name": membership.display_name, "route": OPERATOR_RESET_ROUTE}
        )
    if not queries.two_factor_device(user=membership.user):
        raise PeopleError(
            _("%(name)s has not set up two-factor sign-in, so there is nothing to reset.")
            % {"name": membership.display_name}
        )
    return _two_factor_reset(
        user=membership.user, actor=actor, reason=f"Two-factor sign-in reset by {actor.email}", also=[membership]
    )


@transaction.atomic
def user_two_factor_reset(*, user: User) -> int:
    """An operator's reset of a person's two-factor sign-in, whatever organisations they are in.

    Recorded in the person's history in every organisation they work in.
    """
    if not queries.two_factor_device(user=user):
        raise PeopleError(
            _("%(name)s has not set up two-factor sign-in, so there is nothing to reset.") % {"name": user.email}
        )
    return _two_factor_reset(user=user, actor=None, reason="Two-factor sign-in reset by a Lantern operator", also=[])


def _two_factor_reset(*, user: User, actor: User | None, reason: str, also: list[Membership]) -> int:
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    # Recorded in the history of each membership it affects (every one the person works in),
    # which the person's page in each organisation shows as its audit trail.
    affected = {m.pk: m for m in [*Membership.objects.active().filter(user=user), *also]}
    for membership in affected.values():
        _record_change(membership, actor, reason)
        membership.save()
    user_sessions_end(user=user)
    return len(devices)


# ---------------------------------------------------------------- single sign-on


@transaction.atomic
def identity_provider_save(
    *,
    actor: User,
    organisation: Organisation,
    issuer: str,
    client_id: str,
    client_secret: str,
    provision_officers: bool,
    sso_required: bool,
    break_glass: User | None,
) -> IdentityProvider:
    """Connects (or changes) the organisation's identity provider, and whether its people must use it.

    A blank `client_secret` keeps the one stored; a new one is kept encrypted (accounts.sso).
    """
    access.require(actor, "accounts.manage_sso", organisation)
    break_glass_membership(organisation, break_glass)
    provider = IdentityProvider.objects.for_organisation(organisation).first() or IdentityProvider(
        organisation=organisation
    )
    provider.issuer = issuer
    provider.client_id = client_id
    if client_secret:
        provider.client_secret_encrypted = sso.secret_encrypt(client_secret)
    provider.provision_officers = provision_officers
    provider.updated_by = actor
    provider.save()
    organisation.sso_required = sso_required
    organisation.sso_break_glass = break_glass
    # Saving the organisation makes each member's next request read what it now allows (access_cache).
    organisation.save(update_fields=["sso_required", "sso_break_glass"])
    return provider


def break_glass_membership(organisation: Organisation, user: User | None) -> Membership | None:
    """The break-glass admin's membership: an active admin of the organisation, or Refused."""
    if user is None:
        return None
    membership = Membership.objects.for_organisation(organisation).active().filter(user=user, role=Role.ADMIN).first()
    if membership is None:
        raise access.Refused(_("The break-glass admin must be one of the organisation's admins."))
    return membership

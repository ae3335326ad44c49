"""Demonstration organisations and people, for development and trying Lantern out.

Never for production: `manage.py seed_demo` refuses to run with DEBUG off.
"""

import base64

from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import TWO_FACTOR_ROLES, Membership, Organisation, PartnerOrganisation, Region, Role, User

# Documented in the README. Development only.
DEMO_PASSWORD = "lantern-demo-password"
# The authenticator-app key of every demo person whose role needs two-factor sign-in: add it to
# an app, or print the current code with `manage.py demo_totp_code EMAIL`. Published, so demo only.
DEMO_TOTP_SECRET = "LANTERNDEMOSECRETLANTERNDEMOSECR"
DEMO_TOTP_KEY = base64.b32decode(DEMO_TOTP_SECRET).hex()

DEMO_ORGANISATIONS = [
    ("ashby", "Ashby Vale District Council", Organisation.Kind.DISTRICT),
    ("kingsmere", "Kingsmere Council", Organisation.Kind.UNITARY),
    ("network", "Local Innovation Network", Organisation.Kind.SECTOR_BODY),
]
# Made-up councils in real regions, so the library's region filter has something to find. A
# sector body has no region.
DEMO_REGIONS = {"ashby": Region.EAST_MIDLANDS, "kingsmere": Region.SOUTH_WEST}

DEMO_NAMES = {
    Role.OFFICER: "Priya Shah",
    Role.MANAGER: "Tom Okafor",
    Role.MEMBER: "Cllr Helen Price",
    Role.ADMIN: "Sam Lewis",
    Role.CURATOR: "Grace Mensah",
    Role.AUDITOR: "David Roberts",
    Role.PARTNER: "Jo Bennett",
}
# The partner organisation each demo partner is from.
DEMO_PARTNER_ORGANISATION = "Vale Housing Association"

# A second elected member in each council, who sponsors the demo projects: a project's sponsor
# may not be its only decision-maker, so the member above (the portfolio holder) decides them.
SPONSOR_SLUG = "sponsor.member"
SPONSOR_NAME = "Cllr Owen Hughes"

# Someone who works in two organisations, to show switching between them.
MULTI_EMAIL = "shared.manager@demo.example"


def demo_email(slug: str, role: str) -> str:
    return f"{role}@{slug}.example"


def _user(email: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _two_factor_device(user: User) -> None:
    # A person who has since set up an app of their own keeps it.
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Demo authenticator", key=DEMO_TOTP_KEY, confirmed=True)


@transaction.atomic
def seed() -> dict[str, Organisation]:
    """Creates (or tops up) the demo organisations, one person for every role in each."""
    organisations = {}
    for slug, name, kind in DEMO_ORGANISATIONS:
        # A demo council in Wales would read Lantern in Welsh, as a real one does.
        language = Organisation.language_for(ons_code=None, region=DEMO_REGIONS.get(slug, ""))
        organisation, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "default_language": language}
        )
        if not organisation.region and slug in DEMO_REGIONS:
            organisation.region = DEMO_REGIONS[slug]
            organisation.save(update_fields=["region"])
        organisations[slug] = organisation
        partner, _ = PartnerOrganisation.objects.get_or_create(
            organisation=organisation, name=DEMO_PARTNER_ORGANISATION
        )
        for role, person in DEMO_NAMES.items():
            user = _user(demo_email(slug, role), person)
            Membership.objects.get_or_create(
                user=user,
                organisation=organisation,
                defaults={"role": role, "partner_organisation": partner if role == Role.PARTNER else None},
            )
        if slug in DEMO_REGIONS:
            sponsor = _user(demo_email(slug, SPONSOR_SLUG), SPONSOR_NAME)
            Membership.objects.get_or_create(user=sponsor, organisation=organisation, defaults={"role": Role.MEMBER})
    shared = _user(MULTI_EMAIL, "Alex Morgan")
    for slug in ("ashby", "kingsmere"):
        Membership.objects.get_or_create(user=shared, organisation=organisations[slug], defaults={"role": Role.MANAGER})
    needs_two_factor = Membership.objects.filter(organisation__in=organisations.values(), role__in=TWO_FACTOR_ROLES)
    for user in User.objects.filter(pk__in=needs_two_factor.values("user")):
        _two_factor_device(user)
    return organisations


def totp_code(email: str) -> str:
    """The code a demo person's authenticator app would show now.

    Only for the demo app (DEMO_TOTP_SECRET): anyone who has set up their own has only that app.
    """
    device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True, key=DEMO_TOTP_KEY).first()
    if device is None:
        raise LookupError(f"{email} has no demo authenticator app (run seed_demo; people who set up their own use it)")
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"


def sign_in_details() -> list[tuple[str, str, str]]:
    """(organisation, role, email) for every demo sign-in, to print after seeding."""
    rows = [(name, role.label, demo_email(slug, role)) for slug, name, _ in DEMO_ORGANISATIONS for role in Role]
    rows += [
        (name, "Elected member (sponsor)", demo_email(slug, SPONSOR_SLUG))
        for slug, name, _ in DEMO_ORGANISATIONS
        if slug in DEMO_REGIONS
    ]
    rows.append(("Ashby Vale and Kingsmere", "Manager in both", MULTI_EMAIL))
    return rows

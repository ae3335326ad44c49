"""People, organisations and the roles people hold in them, and the tenancy base.

Every organisation-owned model in Lantern derives its manager from
`OrganisationQuerySet`, so that reaching another organisation's rows always means
saying which organisation you are in: `Idea.objects.for_organisation(org)`.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        # Email addresses are matched without regard to case.
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in to Lantern with their email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        _("Django admin access"),
        default=False,
        help_text=_("Lets a Lantern operator use the Django admin site."),
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised (never by `save`) whenever what the person may reach changes: a membership or an
    # invitation of theirs, an authenticator app of theirs, an organisation they belong to.
    # accounts.access_cache keys what it keeps of them by it, so a change shows on the next request.
    access_version = models.PositiveIntegerField(default=0, editable=False)
    # The language the person reads Lantern and its emails in (accounts.middleware.LanguageMiddleware,
    # accounts.notices.language_of). Blank until they choose, or an organisation's default is given them.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        # Never written from memory: a user object read before a change (a request's own, or a
        # form's) must not put the old stamp back. Only accounts.access_cache raises it, in SQL.
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None:
                fields = [f.attname for f in self._meta.concrete_fields if not f.primary_key]
                fields = [f for f in fields if f not in self.get_deferred_fields()]
            kwargs["update_fields"] = [f for f in fields if f not in ("access_version", "access_version_id")]
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Region(models.TextChoices):
    """England's nine ONS regions (RGN21), and Wales."""

    NORTH_EAST = "north_east", _("North East")
    NORTH_WEST = "north_west", _("North West")
    YORKSHIRE = "yorkshire_humber", _("Yorkshire and The Humber")
    EAST_MIDLANDS = "east_midlands", _("East Midlands")
    WEST_MIDLANDS = "west_midlands", _("West Midlands")
    EAST = "east_of_england", _("East of England")
    LONDON = "london", _("London")
    SOUTH_EAST = "south_east", _("South East")
    SOUTH_WEST = "south_west", _("South West")
    WALES = "wales", _("Wales")


class Organisation(models.Model):
    """A local authority, a fire authority or a sector body."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("County council")
        DISTRICT = "district", _("District council")
        UNITARY = "unitary", _("Unitary authority")
        METROPOLITAN = "metropolitan", _("Metropolitan district")
        LONDON_BOROUGH = "london_borough", _("London borough")
        WELSH = "welsh", _("Welsh principal area")
        FIRE = "fire", _("Fire and rescue authority")
        SECTOR_BODY = "sector_body", _("Sector body")

    # ONS code prefixes in the 2021 lookup and the kind of authority each denotes.
    KIND_BY_ONS_PREFIX = {
        "E06": Kind.UNITARY,
        "E07": Kind.DISTRICT,
        "E08": Kind.METROPOLITAN,
        "E09": Kind.LONDON_BOROUGH,
        "E10": Kind.COUNTY,
        "W06": Kind.WELSH,
    }

    name = models.CharField(max_length=200)
    ons_code = models.CharField(
        _("ONS code"),
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The Office for National Statistics code, such as E06000001. Sector bodies have none."),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region = models.CharField(
        max_length=20,
        choices=Region.choices,
        blank=True,
        help_text=_("The ONS region the authority is in (accounts/data/regions.csv). Blank for sector bodies."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Single sign-on (accounts.sso): kept here rather than on IdentityProvider so that the
    # memberships each request reads from the cache carry them, and so that changing them
    # (which saves the organisation) makes every member's next request read them afresh.
    sso_required = models.BooleanField(
        _("single sign-on required"),
        default=False,
        help_text=_("Its people sign in with their council account only; password sign-in is refused for them."),
    )
    # What its new people read Lantern in until they choose (Welsh for Welsh authorities: `language_for`).
    default_language = models.CharField(
        _("default language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language new people in the organisation see until they choose their own."),
    )
    sso_break_glass = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("break-glass admin"),
        help_text=_("The one admin who may still sign in with a password when single sign-on is required."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def password_sign_in_allowed(self, user) -> bool:
        """Whether `user` may work here after signing in with their password."""
        return not self.sso_required or (user.pk is not None and self.sso_break_glass_id == user.pk)

    @classmethod
    def kind_for_ons_code(cls, ons_code: str) -> str | None:
        return cls.KIND_BY_ONS_PREFIX.get(ons_code[:3])

    @staticmethod
    def language_for(*, ons_code: str | None, region: str = "") -> str:
        """The default language of a new organisation: Welsh for one in Wales (a W code: principal
        areas W06, Welsh fire and rescue authorities; or the Wales region), else English."""
        return "cy" if (ons_code or "").upper().startswith("W") or region == Region.WALES else settings.LANGUAGE_CODE


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    MANAGER = "manager", _("Manager")
    MEMBER = "member", _("Elected member")
    ADMIN = "admin", _("Admin")
    CURATOR = "curator", _("Curator")
    AUDITOR = "auditor", _("Auditor")
    PARTNER = "partner", _("Partner")


# Every role but partner: the people who work for the organisation itself. A partner (someone
# from a housing association, a GP federation, a voluntary group) gives ideas to the campaigns
# opened to their partner organisation and sees what became of them, and nothing else.
COUNCIL_ROLES = tuple(role for role in Role.values if role != Role.PARTNER)


ROLE_DESCRIPTIONS = {
    Role.OFFICER: _("Logs ideas, joins projects and records how service users were involved."),
    Role.MANAGER: _("Screens ideas, owns projects, keeps risk registers and records evaluations and lessons."),
    Role.MEMBER: _("An elected councillor: sponsors projects and approves or rejects them."),
    Role.ADMIN: _("Manages people, service areas, indicators and performance data, and publishes to the sector."),
    Role.CURATOR: _("Features good practice across the sector library."),
    Role.AUDITOR: _("Reads everything in this organisation and changes nothing."),
    Role.PARTNER: _("Someone from a partner organisation: gives ideas to campaigns opened to it, and nothing else."),
}

# Roles whose holders sign in with a code from an authenticator app as well as their password
# (two-factor sign-in): they approve, own and administer, so a phished or reused password alone
# must not be enough. Anyone else may choose to set it up, and is then asked for it too.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.MANAGER, Role.MEMBER})


class OrganisationQuerySet(models.QuerySet):
    """The one way to reach an organisation's rows."""

    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)


class MembershipQuerySet(OrganisationQuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def pending(self):
        """Invitations the person has not accepted yet: they give no access at all."""
        return self.filter(accepted_at__isnull=True)

    def accepted(self):
        return self.filter(accepted_at__isnull=False)


class PartnerOrganisation(models.Model):
    """An organisation the council works with (a housing association, a GP federation, a voluntary
    group, a provider), named so that a campaign can be opened to its people (R5, R6)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="partner_organisations")
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("name"), name="partner_organisation_name_unique_per_organisation"
            )
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's role in one organisation. A person may belong to several.

    An invitation is a membership not yet accepted (`accepted_at` empty): it is never active,
    so that it gives no access and no rule counts it, and the inviting organisation sees only
    what it typed (`invited_name`), never the account's own name or how it signs in, until
    the person accepts. A shared account is the person's, not any one organisation's.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    invited_name = models.CharField(
        max_length=150, blank=True, help_text=_("The name the inviting admin typed, shown until the person accepts.")
    )
    accepted_at = models.DateTimeField(
        null=True, blank=True, default=timezone.now, help_text=_("Empty while the invitation is not yet accepted.")
    )
    partner_organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("For the partner role: the partner organisation the person is from."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_per_organisation"),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=False) | models.Q(is_active=False),
                name="membership_pending_is_never_active",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} – {self.get_role_display()} at {self.organisation}"

    def get_absolute_url(self):
        return reverse("accounts:person-detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None

    @cached_property
    def unread_notices(self) -> int:
        """The person's unread notices here, for the header of every page: counted once in a while
        (one indexed query), kept in the cache until one of their notices changes (accounts.access_cache)."""
        from accounts import access_cache

        user = self._state.fields_cache.get("user")  # the request's own user, when it is
        return access_cache.unread_count(user_id=self.user_id, organisation_id=self.organisation_id, user=user)

    @property
    def display_name(self) -> str:
        """The person's name as this organisation may see it: what it typed, until they accept."""
        if self.is_pending:
            return self.invited_name or self.user.email
        return self.user.full_name or self.user.email


class UserSession(models.Model):
    """Which sessions belong to whom, so that deactivating a person can end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Session of {self.user}"


class NotificationPreference(models.Model):
    """How a person wants to hear about one kind of notice. No row means the kind's default.

    `kind` is a value of a notice kind a higher app registers (accounts.notices.kind_register),
    kept as a plain string here because accounts may not import them.
    """

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Straight away")
        DAILY = "daily", _("In a daily digest")
        WEEKLY = "weekly", _("In a weekly digest")
        NEVER = "never", _("Not by email (only on your notifications page)")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=40)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once_per_kind")]

    def __str__(self):
        return f"{self.user}: {self.kind} {self.frequency}"


class Notice(models.Model):
    """One thing to tell a person: emailed at once, or held for their digest (accounts.notices)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    frequency = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The page where the person acts, as a path on this site, for the notifications page.
    url = models.CharField(max_length=500, blank=True)
    # Read on the notifications page; every notice is kept there, whatever the email preference.
    read_at = models.DateTimeField(null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["frequency", "sent_at"], name="notice_waiting_idx"),
            # The notifications page and the unread count in the header of every page.
            models.Index(fields=["user", "organisation", "read_at"], name="notice_inbox_idx"),
        ]

    def __str__(self):
        return self.subject


class ApiTokenQuerySet(OrganisationQuerySet):
    def live(self, now=None):
        """Tokens the API still accepts: not revoked and not yet expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """An organisation's integration token, made and revoked by its admins on the tokens page.

    Only a SHA-256 hash of the key is kept; the key itself is shown once, when it is made.
    `prefix` (the key's first characters) is kept to tell tokens apart and to find the row;
    the hash is then compared in constant time. The token acts as the admin who made it, in
    this organisation only, while they remain an active member of it (accounts.api_authentication).
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=5, choices=Scope.choices)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Written at most once a minute (accounts.api_authentication), outside the history.
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["last_used_at", "key_hash"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def get_absolute_url(self):
        return reverse("accounts:token-revoke", args=[self.pk])

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Active"


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect identity provider (its council account), set up by its admin.

    Only the issuer is kept of where it is: the rest is read from its discovery document
    (accounts.sso). The client secret is kept encrypted (accounts.sso.secret_encrypt), or read
    from the environment variable `accounts.sso.secret_env_name(organisation)` when that is set;
    it is never shown back.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="identity_provider")
    issuer = models.URLField(_("issuer URL"), max_length=500)
    client_id = models.CharField(_("client ID"), max_length=255)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    provision_officers = models.BooleanField(
        _("give the officer role on first sign-in"),
        default=False,
        help_text=_("For people whose email address is in one of the organisation's verified domains."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = OrganisationQuerySet.as_manager()

    def __str__(self):
        return f"{self.organisation}: {self.issuer}"


class VerifiedDomain(models.Model):
    """An email domain a Lantern operator has checked belongs to the organisation (Django admin only).

    With its admin's leave (IdentityProvider.provision_officers), someone whose verified email
    address at the organisation's identity provider is in one of these is made an officer on
    their first sign-in. A domain belongs to one organisation at most.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="verified_domains")
    domain = models.CharField(max_length=253, help_text=_("Such as ashbyvale.gov.uk (lower case, no @)."))
    verified_at = models.DateTimeField(default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["domain"]
        constraints = [models.UniqueConstraint(Lower("domain"), name="verified_domain_unique")]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)

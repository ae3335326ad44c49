"""Lessons learned, and what the sector does with them: adoptions, visits and following.

A lesson belongs to the organisation whose project it comes from. How far it travels is
its visibility; who reads it, and what they may see of it, is decided in one place,
`sharing.reading.lesson_for_reader`, never in a template.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.bilingual import Bilingual, Language, language_field
from accounts.models import Organisation, OrganisationQuerySet
from innovation.models import Evaluation, Idea, Project
from portfolio.models import Service


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal: people in our organisation")
    SECTOR = "sector", _("Sector: anyone signed in to Lantern")
    ANONYMISED = "anonymised", _("Anonymised: the sector, without our name, people or contact")
    PUBLIC = "public", _("Public: anyone, without signing in")


# Visible to people outside the lesson's own organisation.
SHARED_VISIBILITIES = (Visibility.SECTOR, Visibility.ANONYMISED, Visibility.PUBLIC)


def anonymised_to_outsiders() -> Q:
    """Lessons that other organisations only ever see anonymised: published anonymised now or at
    any time before. Once a host has been hidden, naming it later (by publishing the lesson to
    the sector, or making it internal and so ending in a visit list or an email as the plain
    row) would tie everything said anonymously to it. The queryset twin of
    `Lesson.is_anonymised_to_outsiders`."""
    return Q(visibility=Visibility.ANONYMISED) | Q(anonymised_at__isnull=False)


def shown_outside() -> Q:
    """Lessons whose visibility reaches other organisations and which, if anonymised to outsiders,
    an admin has checked on the preview since their words last changed (the services clear the
    check when an edit changes the preview's digest). One rule whatever the visibility: a lesson
    once anonymised and then published to the sector or the public is still read anonymised, so
    its words need the same check. The queryset twin of `Lesson.is_shown_outside`."""
    return Q(visibility__in=SHARED_VISIBILITIES) & (~anonymised_to_outsiders() | Q(anonymised_checked_at__isnull=False))


Outcome = Evaluation.Outcome


class CostBand(models.TextChoices):
    UNDER_10K = "under_10k", _("Under £10,000")
    FROM_10K = "10k_50k", _("£10,000 to £50,000")
    FROM_50K = "50k_250k", _("£50,000 to £250,000")
    OVER_250K = "over_250k", _("Over £250,000")

    @classmethod
    def for_amount(cls, amount) -> str:
        if amount < 10_000:
            return cls.UNDER_10K
        if amount < 50_000:
            return cls.FROM_10K
        if amount < 250_000:
            return cls.FROM_50K
        return cls.OVER_250K


class LessonQuerySet(OrganisationQuerySet):
    def published(self):
        """Published at some visibility and not withdrawn."""
        return self.filter(published_at__isnull=False, withdrawn_at__isnull=True)

    def shared(self):
        """Published beyond the organisation that wrote it, and, if anonymised, checked by an admin
        on the preview since its words last changed: until then, other organisations see nothing of it."""
        return self.published().filter(shown_outside())

    def public(self):
        return self.shared().filter(visibility=Visibility.PUBLIC)

    def visible_to(self, organisation: Organisation | None):
        """What someone working in `organisation` (None: not signed in) may read."""
        if organisation is None:
            return self.public()
        return self.published().filter(shown_outside() | Q(organisation=organisation))


class Lesson(models.Model):
    """What an organisation learned from one project: failures as much as successes (R13, R14)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="lessons")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="lessons")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400, help_text=_("One or two sentences that appear in the library."))
    service = models.CharField(max_length=40, choices=Service.choices)
    # Copied from the evaluation when written, so that the library filters without joins,
    # and shown on every page: failures are never hidden.
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    transferability = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # The evaluation's level of evidence (innovation/evidence.py), copied like the outcome; 0 where
    # none was recorded (abandoned before evaluation, or evaluated before levels were asked for),
    # so that "strongest evidence first" puts those last on every database without NULLS LAST.
    evidence_level = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(5)])
    cost_band = models.CharField(max_length=20, choices=CostBand.choices)
    tried = models.TextField(_("what was tried"))
    happened = models.TextField(_("what happened"))
    worked = models.TextField(_("what worked"), blank=True)
    did_not_work = models.TextField(_("what did not work, and why"), blank=True)
    to_repeat = models.TextField(_("what another authority would need to repeat it"), blank=True)
    costs_and_results = models.TextField(_("costs and results"), blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    # The language the text above is written in, and the same text in the other language when the
    # author gives it (accounts.bilingual): readers see their own language first.
    language = language_field()
    title_translation = models.CharField(max_length=200, blank=True)
    summary_translation = models.CharField(max_length=400, blank=True)
    tried_translation = models.TextField(blank=True)
    happened_translation = models.TextField(blank=True)
    worked_translation = models.TextField(blank=True)
    did_not_work_translation = models.TextField(blank=True)
    to_repeat_translation = models.TextField(blank=True)
    costs_and_results_translation = models.TextField(blank=True)
    # Names of the project's people when the lesson was written, removed from the text of
    # an anonymised lesson wherever they appear.
    people_named = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who confirmed, on the preview, that the anonymised lesson's words identify nobody, when, and
    # the fingerprint of exactly those words (reading.preview_digest). Cleared when an edit
    # changes what other organisations would read: the lesson is then withheld from them until
    # an admin checks the preview again.
    anonymised_checked_at = models.DateTimeField(null=True, blank=True)
    anonymised_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    anonymised_checked_digest = models.CharField(max_length=64, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # When the lesson was first published anonymised; never cleared, whatever its visibility
    # becomes (see `anonymised_to_outsiders`).
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    featured = models.BooleanField(default=False)
    featured_reason = models.TextField(blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    featured_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Built by the services from the text with names removed, so that searching for an
    # organisation's or a person's name never finds their anonymised lessons.
    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "search_document", "search_vector"])

    objects = LessonQuerySet.as_manager()

    bilingual = Bilingual(
        fields=("title", "summary", "tried", "happened", "worked", "did_not_work", "to_repeat", "costs_and_results"),
        required=("title", "summary", "tried", "happened"),
        only_in={
            Language.ENGLISH: _("This lesson is only available in English"),
            Language.WELSH: _("This lesson is only available in Welsh"),
        },
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["visibility", "withdrawn_at", "published_at"], name="lesson_library_idx"),
            models.Index(fields=["organisation", "published_at"], name="lesson_organisation_idx"),
            # The newest lessons (the home page's): read off this index, not sorted out of the library.
            models.Index(fields=["-published_at", "-id"], name="lesson_newest_idx"),
            # The library's order, carrying every column of who may read a lesson (visible_to), so
            # that a page of the library and its total are read from the index alone, not the
            # lessons' long texts (PostgreSQL; elsewhere the index is not made).
            models.Index(
                fields=["-featured", "-published_at", "-id"],
                include=["visibility", "withdrawn_at", "anonymised_at", "anonymised_checked_at", "organisation"],
                name="lesson_library_order_idx",
            ),
            # The library ranked by evidence ("strongest evidence first"), covering who may read a
            # lesson as the library's order index does (PostgreSQL; elsewhere the index is not made).
            models.Index(
                fields=["-evidence_level", "-published_at", "-id"],
                include=["visibility", "withdrawn_at", "anonymised_at", "anonymised_checked_at", "organisation"],
                name="lesson_library_evidence_idx",
            ),
            # "Tried elsewhere" scores only lessons of the idea's services (sharing.relevance).
            models.Index(fields=["service"], name="lesson_service_idx"),
        ]
        # The GIN index on search_vector is PostgreSQL only: see migration 0002.

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sharing:lesson-detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.withdrawn_at is None

    @property
    def is_anonymised_to_outsiders(self) -> bool:
        """Whether other organisations see it without its organisation, people or contact, in every
        place that refers to it: the one rule, also as a filter in `anonymised_to_outsiders`."""
        return self.visibility == Visibility.ANONYMISED or self.anonymised_at is not None

    def needs_anonymised_check_at(self, visibility: str) -> bool:
        """Whether publishing it at `visibility` reaches other organisations anonymised, and so only
        through the checked preview: anonymised, or to the sector or public once anonymised before."""
        return visibility in SHARED_VISIBILITIES and (
            visibility == Visibility.ANONYMISED or self.anonymised_at is not None
        )

    @property
    def is_shown_outside(self) -> bool:
        """Whether other organisations may read it, published or not: the twin of `shown_outside()`."""
        return self.visibility in SHARED_VISIBILITIES and (
            not self.is_anonymised_to_outsiders or self.anonymised_checked_at is not None
        )

    @property
    def awaits_anonymised_check(self) -> bool:
        """Published beyond its organisation, but withheld from other organisations until an admin
        checks the preview of what they would read."""
        return self.is_published and self.visibility in SHARED_VISIBILITIES and not self.is_shown_outside

    @property
    def status_label(self) -> str:
        if self.withdrawn_at is not None:
            return _("Withdrawn")
        if self.published_at is None:
            return _("Draft")
        return _("Published")


class Adoption(models.Model):
    """Another organisation's idea that started from a lesson, and what they changed (R7, R14)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="adoptions")
    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="adoption")
    what_changed = models.TextField()
    # The adopter's consent to be named on the lesson's page to people who are not signed in;
    # signed-in readers are all in the sector and always see who adopted it.
    named_publicly = models.BooleanField(_("name us to people who are not signed in"), default=False)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.organisation} adopted {self.lesson}"


class VisitCapacity(models.Model):
    """How many visits a quarter an organisation will host (R15)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="visit_capacity")
    visits_per_quarter = models.PositiveSmallIntegerField(default=2, validators=[MaxValueValidator(100)])
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("visit capacities")

    def __str__(self):
        return f"{self.organisation}: {self.visits_per_quarter} visits a quarter"


DEFAULT_VISITS_PER_QUARTER = 2


class VisitRequestQuerySet(OrganisationQuerySet):
    def counted_in_quarter(self, quarter_start):
        """Individual visits that take up one of the host's places this quarter."""
        return self.filter(
            quarter_start=quarter_start,
            kind=VisitRequest.Kind.INDIVIDUAL,
            status__in=[VisitRequest.Status.PENDING, VisitRequest.Status.ACCEPTED],
        )

    def not_brokered(self):
        """Requests made on named lessons: the only ones that change the places other visitors are shown."""
        return self.filter(brokered=False)


class VisitRequest(models.Model):
    """Someone asking to visit the organisation behind a lesson. `organisation` is the host."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("A visit of our own")
        GROUP = "group", _("A group visit with others who asked")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the host")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="visits_hosted")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="visit_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requester_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="visits_asked")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    message = models.TextField()
    quarter_start = models.DateField()
    # Made on a lesson anonymised to outsiders: Lantern passes it on without naming the host, and
    # it is never counted in the places shown to other visitors, since watching that number fall
    # after asking would tell the visitor which named council is behind the anonymised lesson.
    # Kept as it was when asked, so that a lesson anonymised later does not change the count either.
    brokered = models.BooleanField(default=False, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    response = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "quarter_start", "kind", "status"])]

    def __str__(self):
        return f"Visit request for {self.lesson}"


class NoticeKind(models.TextChoices):
    """The kinds of notice sharing sends, registered with accounts.notices (sharing/notices.py)."""

    VISIT_REQUESTS = "visit_requests", _("Requests to visit your organisation, and your answers")
    VISIT_REPLIES = "visit_replies", _("Your requests to visit other organisations, and their replies")
    NEW_LESSONS = "new_lessons", _("New lessons in the services you follow")
    # For admins (issue 13 §2, on main): an anonymised lesson changed and must be checked again.
    LESSON_CHECK = "lesson_check", _("Anonymised lessons to check again after a change")
    LESSON_ADOPTED = "lesson_adopted", _("Another organisation adopts one of your lessons")
    LESSON_FEATURED = "lesson_featured", _("One of your lessons is featured for the sector")


class ServiceFollow(models.Model):
    """A person following new lessons in one service, for their digest (sharing/notices.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_follows")
    service = models.CharField(max_length=40, choices=Service.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "service"], name="service_follow_once")]

    def __str__(self):
        return f"{self.user} follows {self.get_service_display()}"

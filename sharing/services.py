"""Every change to lessons, adoptions, visit requests and follows.

Managers write lessons and publish them inside their organisation; admins publish them
to the sector, anonymised or to the public; withdrawing one takes it out of every page,
search, feed and email at once, because every read path filters on `withdrawn_at`.
"""

import datetime
from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value
from django.utils import timezone

from accounts import access, notices
from accounts import queries as accounts_queries
from accounts.models import Organisation, Role, User
from innovation import services as innovation_services
from innovation.models import Source
from portfolio.models import ServiceArea
from sharing import reading
from sharing.models import (
    DEFAULT_VISITS_PER_QUARTER,
    SHARED_VISIBILITIES,
    Adoption,
    CostBand,
    Lesson,
    NoticeKind,
    Outcome,
    ServiceFollow,
    Visibility,
    VisitCapacity,
    VisitRequest,
)
from sharing.queries import (
    evaluation_of,
    lesson_project_problems,
    quarter_start,
    visit_places_left,
    visit_places_shown,
)
from sharing.reading import Redactions, lesson_for_reader, redact_for_search

SEARCH_CONFIG = "english"
LESSON_TEXT_FIELDS = (
    "title",
    "summary",
    "service",
    "tried",
    "happened",
    "worked",
    "did_not_work",
    "to_repeat",
    "costs_and_results",
    "contact_name",
    "contact_email",
)


class SharingError(access.LanternError):
    """A change Lantern refuses, with the reason in plain English for the person who asked."""


class VisitsFullError(SharingError):
    """The host has no individual visits left this quarter: offer a group visit or the contact."""


def _people_of(organisation: Organisation, roles: Iterable[str]) -> list[User]:
    return list(accounts_queries.people_in_roles(organisation=organisation, roles=roles))


# ---------------------------------------------------------------- lessons


def _facts_from_project(project) -> dict:
    """Outcome, transferability, cost band and people, taken from the project and its evaluation."""
    evaluation = evaluation_of(project)
    if evaluation is not None:
        outcome = evaluation.outcome
        transferability = evaluation.transferability
        cost = evaluation.actual_one_off_cost + evaluation.actual_running_cost
    else:
        # Abandoned before it was evaluated: it did not succeed, and that is worth knowing.
        outcome, transferability, cost = Outcome.DID_NOT_SUCCEED, None, project.spend_to_date
    people = [project.owner.full_name]
    if project.sponsor_id:
        people.append(project.sponsor.full_name)
    people += [member.name for member in project.team.all()]
    return {
        "outcome": outcome,
        "transferability": transferability,
        "cost_band": CostBand.for_amount(cost),
        "people_named": sorted({p for p in people if p}),
    }


READING = ("organisation", "author", "project", "project__evaluation", "project__indicator")


def _refresh_search(lesson: Lesson) -> None:
    """Rebuilds the lesson's search text from its names-removed words (see Lesson.search_vector)."""
    title, body = redact_for_search(lesson)
    lesson.search_document = f"{title}\n{body}"
    Lesson.objects.filter(pk=lesson.pk).update(search_document=lesson.search_document)
    if connection.vendor == "postgresql":
        Lesson.objects.filter(pk=lesson.pk).update(
            search_vector=SearchVector(Value(title), weight="A", config=SEARCH_CONFIG)
            + SearchVector(Value(body), weight="B", config=SEARCH_CONFIG)
        )


def lesson_search_reindex() -> int:
    """Rebuilds every lesson's search vector from its stored, names-removed search document
    (PostgreSQL only): after a bulk load, or a change of text search configuration."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        # The first line of the document is the title, weighted above the body.
        cursor.execute(
            "UPDATE sharing_lesson SET search_vector = "
            "setweight(to_tsvector(%s::regconfig, split_part(search_document, E'\\n', 1)), 'A') || "
            "setweight(to_tsvector(%s::regconfig, substr(search_document, strpos(search_document, E'\\n') + 1)), 'B')",
            [SEARCH_CONFIG, SEARCH_CONFIG],
        )
        return cursor.rowcount


@transaction.atomic
def lesson_create(*, actor: User, project, **fields) -> Lesson:
    """A manager writes the lessons of an evaluated, closed or abandoned project, as a draft."""
    organisation = project.organisation
    access.require(actor, "sharing.write_lesson", organisation)
    problems = lesson_project_problems(project)
    if problems:
        raise SharingError(problems[0])
    unknown = set(fields) - set(LESSON_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected lesson fields: {sorted(unknown)}")
    lesson = Lesson(organisation=organisation, project=project, author=actor, **fields, **_facts_from_project(project))
    lesson._history_user = actor
    lesson.full_clean(exclude=["search_vector"])
    lesson.save()
    _refresh_search(lesson)
    return lesson


@transaction.atomic
def lesson_update(*, actor: User, lesson: Lesson, **fields) -> Lesson:
    """Changes a lesson's words; its outcome and figures follow the project's evaluation.

    If the lesson is anonymised to outsiders (whatever its visibility now) and the edit changes
    what other organisations would read, it is withheld from them until an admin checks the new
    preview, and the admins are told.
    """
    access.require(actor, "sharing.write_lesson", lesson.organisation)
    unknown = set(fields) - set(LESSON_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected lesson fields: {sorted(unknown)}")
    lesson = Lesson.objects.select_for_update(of=("self",)).select_related(*READING).get(pk=lesson.pk)
    for name, value in {**fields, **_facts_from_project(lesson.project)}.items():
        setattr(lesson, name, value)
    needs_check = (
        lesson.is_anonymised_to_outsiders
        and lesson.anonymised_checked_at is not None
        and reading.preview_digest(reading.anonymised_preview(lesson)) != lesson.anonymised_checked_digest
    )
    if needs_check:
        lesson.anonymised_checked_at = None
        lesson.anonymised_checked_by = None
        lesson.anonymised_checked_digest = ""
    lesson._history_user = actor
    lesson.full_clean(exclude=["search_vector"])
    lesson.save()
    _refresh_search(lesson)
    if needs_check and lesson.is_published:
        link = notices.absolute_url("sharing:lesson-publish-anonymised", lesson.pk)
        for admin in _people_of(lesson.organisation, [Role.ADMIN]):
            if admin.pk == actor.pk:
                continue
            notices.notice_send(
                user=admin,
                organisation=lesson.organisation,
                kind=NoticeKind.LESSON_CHECK,
                subject=f"Check an anonymised lesson again: {lesson.title}",
                body=(
                    f"{actor.full_name} has changed “{lesson.title}”, which your organisation shares anonymously. "
                    "Other organisations will not see it until an admin checks the preview of what they would "
                    f"read and confirms it: {link}\n"
                ),
            )
    return lesson


@transaction.atomic
def lesson_publish(*, actor: User, lesson: Lesson, visibility: str, checked_preview: str = "") -> Lesson:
    """Publishes a lesson at a visibility: managers inside the organisation, admins beyond it.

    Anonymised, or to the sector or public once it has been anonymised (other organisations then
    still read it anonymised), only with `checked_preview`: the fingerprint of the preview the
    admin checked (reading.lesson_preview), which must still be what other organisations would read.
    """
    if visibility not in Visibility.values:
        raise SharingError("Select who can read the lesson.")
    perm = "sharing.publish_internally" if visibility == Visibility.INTERNAL else "sharing.publish_beyond"
    access.require(actor, perm, lesson.organisation)
    lesson = Lesson.objects.select_for_update(of=("self",)).select_related(*READING).get(pk=lesson.pk)
    if lesson.needs_anonymised_check_at(visibility):
        if not checked_preview:
            raise SharingError(
                "Check the preview of what other organisations will see, and confirm it, before publishing anonymously."
                if visibility == Visibility.ANONYMISED
                else "The lesson was published anonymously, so other organisations still read it without your "
                "name. Check the preview of what they will see, and confirm it, before publishing."
            )
        if checked_preview != reading.preview_digest(reading.anonymised_preview(lesson)):
            raise SharingError("The lesson has changed since you checked the preview. Check the preview again.")
        lesson.anonymised_checked_at = timezone.now()
        lesson.anonymised_checked_by = actor
        lesson.anonymised_checked_digest = checked_preview
    else:
        lesson.anonymised_checked_at = None
        lesson.anonymised_checked_by = None
        lesson.anonymised_checked_digest = ""
    lesson.visibility = visibility
    lesson.published_at = timezone.now()
    lesson.published_by = actor
    lesson.withdrawn_at = None
    lesson.withdrawn_reason = ""
    if visibility == Visibility.ANONYMISED and lesson.anonymised_at is None:
        lesson.anonymised_at = lesson.published_at  # never cleared: see Lesson.is_anonymised_to_outsiders
    if visibility not in SHARED_VISIBILITIES:
        lesson.featured = False
    lesson._history_user = actor
    lesson.save()
    _refresh_search(lesson)  # the organisation's people may have changed since it was written
    return lesson


@transaction.atomic
def lesson_withdraw(*, actor: User, lesson: Lesson, reason: str) -> Lesson:
    """Takes a lesson out of every page, search, feed and email at once."""
    access.require(actor, "sharing.withdraw_lesson", lesson.organisation)
    if not reason.strip():
        raise SharingError("Enter why the lesson is being withdrawn.")
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    lesson.withdrawn_at = timezone.now()
    lesson.withdrawn_reason = reason.strip()
    lesson.featured = False
    lesson._history_user = actor
    lesson.save()
    return lesson


@transaction.atomic
def lesson_feature(*, actor: User, organisation: Organisation, lesson: Lesson, reason: str) -> Lesson:
    """A curator of a sector body features a shared lesson and says why (R17)."""
    access.require(actor, "sharing.feature_lesson", organisation)
    if not Lesson.objects.shared().filter(pk=lesson.pk).exists():
        raise SharingError("Only lessons shared with the sector can be featured.")
    if not reason.strip():
        raise SharingError("Enter why you are featuring this lesson.")
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    lesson.featured = True
    lesson.featured_reason = reason.strip()
    lesson.featured_by = actor
    lesson.featured_at = timezone.now()
    lesson._history_user = actor
    lesson.save()
    return lesson


@transaction.atomic
def lesson_unfeature(*, actor: User, organisation: Organisation, lesson: Lesson) -> Lesson:
    access.require(actor, "sharing.feature_lesson", organisation)
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    lesson.featured = False
    lesson.featured_reason = ""
    lesson._history_user = actor
    lesson.save()
    return lesson


# ---------------------------------------------------------------- adopt and adapt


@transaction.atomic
def adoption_create(
    *,
    actor: User,
    organisation: Organisation,
    lesson: Lesson,
    title: str,
    problem: str,
    proposal: str,
    what_changed: str,
    service_areas: Iterable[ServiceArea],
    named_publicly: bool = False,
) -> Adoption:
    """Someone in another organisation starts an idea of their own from a lesson (R7, R14), and says
    whether the lesson's page may name them to people who are not signed in."""
    access.require(actor, "sharing.adopt_lesson", organisation)
    if lesson.organisation_id == organisation.pk:
        raise SharingError("This lesson is your own organisation’s.")
    if not Lesson.objects.shared().filter(pk=lesson.pk).exists():
        raise access.Refused
    idea = innovation_services.idea_create(
        actor=actor,
        organisation=organisation,
        title=title,
        problem=problem,
        proposal=proposal,
        source=Source.ELSEWHERE,
        service_areas=service_areas,
        indicator=lesson.project.indicator,
    )
    return Adoption.objects.create(
        organisation=organisation,
        lesson=lesson,
        idea=idea,
        what_changed=what_changed,
        named_publicly=named_publicly,
        adopted_by=actor,
    )


# ---------------------------------------------------------------- visits


@transaction.atomic
def visit_capacity_set(*, actor: User, organisation: Organisation, visits_per_quarter: int) -> VisitCapacity:
    """The host says how many visits a quarter it will take (R15)."""
    access.require(actor, "sharing.set_visit_capacity", organisation)
    if not 0 <= visits_per_quarter <= 100:
        raise SharingError("Enter a number of visits between 0 and 100.")
    capacity, _ = VisitCapacity.objects.update_or_create(
        organisation=organisation, defaults={"visits_per_quarter": visits_per_quarter}
    )
    return capacity


# What the visitor to an anonymised lesson is told on asking, whatever the host's places: a
# message that changed when the host filled up would tie the lesson to its named ones.
BROKERED_REQUEST_SENT = (
    "Your visit request has been sent. The host will reply if it can take a visit, or offer a group visit "
    "or the lesson’s contact instead. Its reply reaches you without its name unless it accepts."
)


@transaction.atomic
def visit_request_create(
    *, actor: User, organisation: Organisation, lesson: Lesson, message: str, kind: str
) -> VisitRequest:
    """Asks to visit the organisation behind a lesson.

    For a named lesson, beyond the host's capacity only a group visit is offered. For a lesson
    anonymised to outsiders Lantern brokers the request: it always reaches the host, which sees
    its places and answers, while the visitor learns nothing of the host, its capacity included.
    """
    access.require(actor, "sharing.request_visit", organisation)
    if lesson.organisation_id == organisation.pk:
        raise SharingError("This lesson is your own organisation’s.")
    if not Lesson.objects.shared().filter(pk=lesson.pk).exists():
        raise access.Refused
    if not message.strip():
        raise SharingError("Enter what you would like to see and when.")
    host = lesson.organisation
    brokered = lesson.is_anonymised_to_outsiders
    # Lock the host's capacity row so that two requests cannot both take the last place.
    VisitCapacity.objects.select_for_update().get_or_create(
        organisation=host, defaults={"visits_per_quarter": DEFAULT_VISITS_PER_QUARTER}
    )
    if kind == VisitRequest.Kind.INDIVIDUAL and not brokered and visit_places_shown(host) == 0:
        raise VisitsFullError(
            "The host has no visits left this quarter. You can join a group visit with others who asked instead."
        )
    beyond_capacity = kind == VisitRequest.Kind.INDIVIDUAL and visit_places_left(host) == 0
    visit = VisitRequest.objects.create(
        organisation=host,
        lesson=lesson,
        requester=actor,
        requester_organisation=organisation,
        kind=kind,
        message=message.strip(),
        quarter_start=quarter_start(timezone.localdate()),
        brokered=brokered,
    )
    notes = ""
    if beyond_capacity:
        notes += (
            "You have no visits of your own left this quarter: you can decline it and offer a group visit "
            "or the lesson’s contact in your reply.\n\n"
        )
    if brokered:
        notes += (
            "The lesson is anonymised, so they do not know who you are. If you decline, your reply reaches "
            "them without your name; if you accept, we tell them who you are.\n\n"
        )
    for person in _people_of(host, [Role.MANAGER, Role.ADMIN]):
        notices.notice_send(
            user=person,
            organisation=host,
            kind=NoticeKind.VISIT_REQUESTS,
            subject=f"A request to visit: {lesson.title}",
            body=(
                f"{actor.full_name} of {organisation.name} asks for {visit.get_kind_display().lower()} "
                f"to see “{lesson.title}”.\n\n{visit.message}\n\n{notes}"
                f"Accept or decline it: {notices.absolute_url('sharing:visit-decide', visit.pk)}\n"
            ),
        )
    seen_title = lesson_for_reader(lesson, organisation).title
    if brokered:
        body = f"About “{seen_title}”: {BROKERED_REQUEST_SENT}\n"
    else:
        body = f"Your request to visit the host of “{seen_title}” has been sent. We will email you when they reply.\n"
    notices.notice_send(
        user=actor,
        organisation=organisation,
        kind=NoticeKind.VISIT_REPLIES,
        subject="Your visit request has been sent",
        body=body,
    )
    return visit


@transaction.atomic
def visit_request_decide(
    *, actor: User, organisation: Organisation, visit_request: VisitRequest, accept: bool, response: str
) -> VisitRequest:
    """The host accepts or declines a visit; both sides are emailed.

    For a lesson anonymised to outsiders, declining keeps the host hidden (its name is taken out
    of its reply); accepting is the host choosing to tell this visitor who it is, and the page
    it answers on says so.
    """
    access.require(actor, "sharing.host_visits", organisation)
    visit = VisitRequest.objects.select_for_update().get(pk=visit_request.pk, organisation=organisation)
    if visit.status != VisitRequest.Status.PENDING:
        raise SharingError("This request has already been answered.")
    if accept and not response.strip():
        raise SharingError("Enter the dates you offer and who they should contact.")
    lesson = visit.lesson
    seen = lesson_for_reader(lesson, visit.requester_organisation)
    response = response.strip()
    if seen.is_anonymised and not accept:
        # The host's reply is passed on without its name, its people's or its contact details
        # (the person answering is one of the organisation's people, so removed with them).
        response = Redactions().for_lesson(lesson)(response)
    visit.status = VisitRequest.Status.ACCEPTED if accept else VisitRequest.Status.DECLINED
    visit.response = response
    visit.decided_by = actor
    visit.decided_at = timezone.now()
    visit.save()
    if accept:
        revealed = "The host has chosen to tell you who it is. " if seen.is_anonymised else ""
        body = (
            f"{revealed}{organisation.name} has accepted your request to visit about “{seen.title}”.\n\n"
            f"{visit.response}\n\nReply to {actor.full_name} at {actor.email}.\n"
        )
    else:
        body = f"{seen.host_label} cannot take your visit about “{seen.title}”.\n\n{visit.response}\n"
    notices.notice_send(
        user=visit.requester,
        organisation=visit.requester_organisation,
        kind=NoticeKind.VISIT_REPLIES,
        subject=f"Your visit request: {visit.get_status_display().lower()}",
        body=body,
    )
    told = ""
    if seen.is_anonymised:
        told = " We told them who you are." if accept else " They have not been told who you are."
    notices.notice_send(
        user=actor,
        organisation=organisation,
        kind=NoticeKind.VISIT_REQUESTS,
        subject=f"You {visit.get_status_display().lower()} a visit request",
        body=(
            f"You {visit.get_status_display().lower()} the request from {visit.requester.full_name} "
            f"of {visit.requester_organisation.name} to visit about “{lesson.title}”.{told}\n"
        ),
    )
    return visit


# ---------------------------------------------------------------- following


@transaction.atomic
def service_follows_set(*, user: User, services: Iterable[str]) -> None:
    """The services whose new lessons a person hears about in their weekly digest."""
    wanted = set(services)
    ServiceFollow.objects.filter(user=user).exclude(service__in=wanted).delete()
    existing = set(ServiceFollow.objects.filter(user=user).values_list("service", flat=True))
    ServiceFollow.objects.bulk_create([ServiceFollow(user=user, service=s) for s in wanted - existing])


def digest_send(*, user: User, now: datetime.datetime | None = None) -> int:
    """Sends one person their weekly digest now, new lessons in the services they follow included.

    The weekly digest (accounts.notices) sends everyone's; this is for one person. Returns emails sent.
    """
    return notices.digest_send(frequency=notices.Frequency.WEEKLY, users=[user], now=now)

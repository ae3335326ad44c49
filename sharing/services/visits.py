"""Visits: the host's capacity, asking to visit, and the host's answer."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import access, languages, notices
from accounts.models import Organisation, Role, User
from sharing.models import DEFAULT_VISITS_PER_QUARTER, Lesson, NoticeKind, VisitCapacity, VisitRequest
from sharing.queries import quarter_start, visit_places_left, visit_places_shown
from sharing.reading import Redactions, lesson_for_reader
from sharing.services.base import SharingError, VisitsFullError, _people_of


@transaction.atomic
def visit_capacity_set(*, actor: User, organisation: Organisation, visits_per_quarter: int) -> VisitCapacity:
    """The host says how many visits a quarter it will take (R15)."""
    access.require(actor, "sharing.set_visit_capacity", organisation)
    if not 0 <= visits_per_quarter <= 100:
        raise SharingError(_("Enter a number of visits between 0 and 100."))
    capacity, _created = VisitCapacity.objects.update_or_create(
        organisation=organisation, defaults={"visits_per_quarter": visits_per_quarter}
    )
    return capacity


# What the visitor to an anonymised lesson is told on asking, whatever the host's places: a
# message that changed when the host filled up would tie the lesson to its named ones.
BROKERED_REQUEST_SENT = gettext_noop(
    "Your visit request has been sent. The host will reply if it can take a visit, or offer a group visit "
    "or the lesson’s contact instead. Its reply reaches you without its name unless it accepts."
)


def visit_request_path(visit: VisitRequest) -> str:
    """Where the person who asked follows their request: its row on their visits page."""
    return f"{reverse('sharing:visit-list')}#visit-{visit.pk}"


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
        raise SharingError(_("This lesson is your own organisation’s."))
    if not Lesson.objects.shared().filter(pk=lesson.pk).exists():
        raise access.Refused
    if not message.strip():
        raise SharingError(_("Enter what you would like to see and when."))
    host = lesson.organisation
    brokered = lesson.is_anonymised_to_outsiders
    # Lock the host's capacity row so that two requests cannot both take the last place.
    VisitCapacity.objects.select_for_update().get_or_create(
        organisation=host, defaults={"visits_per_quarter": DEFAULT_VISITS_PER_QUARTER}
    )
    if kind == VisitRequest.Kind.INDIVIDUAL and not brokered and visit_places_shown(host) == 0:
        raise VisitsFullError(
            _("The host has no visits left this quarter. You can join a group visit with others who asked instead.")
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
    for person in _people_of(host, [Role.MANAGER, Role.ADMIN]):
        with languages.in_language_of(person, host):
            notes = ""
            if beyond_capacity:
                notes += (
                    _(
                        "You have no visits of your own left this quarter: you can decline it and offer a group visit "
                        "or the lesson’s contact in your reply."
                    )
                    + "\n\n"
                )
            if brokered:
                notes += (
                    _(
                        "The lesson is anonymised, so they do not know who you are. If you decline, your reply reaches "
                        "them without your name; if you accept, we tell them who you are."
                    )
                    + "\n\n"
                )
            notices.notice_send(
                user=person,
                organisation=host,
                kind=NoticeKind.VISIT_REQUESTS,
                subject=_("A request to visit: %(title)s") % {"title": lesson.title},
                body=(
                    _("%(name)s of %(organisation)s asks for %(kind)s to see “%(title)s”.")
                    % {
                        "name": actor.full_name,
                        "organisation": organisation.name,
                        "kind": visit.get_kind_display().lower(),
                        "title": lesson.title,
                    }
                    + f"\n\n{visit.message}\n\n{notes}"
                    + _("Accept or decline it: %(url)s")
                    % {"url": notices.absolute_url("sharing:visit-decide", visit.pk)}
                    + "\n"
                ),
                url=notices.absolute_url("sharing:visit-decide", visit.pk),
            )
    with languages.in_language_of(actor, organisation):
        seen_title = lesson_for_reader(lesson, organisation).title
        if brokered:
            body = (
                _("About “%(title)s”: %(message)s") % {"title": seen_title, "message": _(BROKERED_REQUEST_SENT)} + "\n"
            )
        else:
            body = (
                _("Your request to visit the host of “%(title)s” has been sent. We will email you when they reply.")
                % {"title": seen_title}
                + "\n"
            )
        notices.notice_send(
            user=actor,
            organisation=organisation,
            kind=NoticeKind.VISIT_REPLIES,
            subject=_("Your visit request has been sent"),
            body=body,
            url=notices.absolute_url(visit_request_path(visit)),
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
        raise SharingError(_("This request has already been answered."))
    if accept and not response.strip():
        raise SharingError(_("Enter the dates you offer and who they should contact."))
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
    with languages.in_language_of(visit.requester, visit.requester_organisation):
        if accept:
            revealed = _("The host has chosen to tell you who it is.") + " " if seen.is_anonymised else ""
            body = (
                revealed
                + _("%(organisation)s has accepted your request to visit about “%(title)s”.")
                % {"organisation": organisation.name, "title": seen.title}
                + f"\n\n{visit.response}\n\n"
                + _("Reply to %(name)s at %(email)s.") % {"name": actor.full_name, "email": actor.email}
                + "\n"
            )
        else:
            body = (
                _("%(host)s cannot take your visit about “%(title)s”.") % {"host": seen.host_label, "title": seen.title}
                + f"\n\n{visit.response}\n"
            )
        notices.notice_send(
            user=visit.requester,
            organisation=visit.requester_organisation,
            kind=NoticeKind.VISIT_REPLIES,
            subject=_("Your visit request: %(status)s") % {"status": visit.get_status_display().lower()},
            body=body,
            url=notices.absolute_url(visit_request_path(visit)),
        )
    with languages.in_language_of(actor, organisation):
        told = ""
        if seen.is_anonymised:
            told = " " + (_("We told them who you are.") if accept else _("They have not been told who you are."))
        notices.notice_send(
            user=actor,
            organisation=organisation,
            kind=NoticeKind.VISIT_REQUESTS,
            subject=(_("You accepted a visit request") if accept else _("You declined a visit request")),
            body=(
                (
                    _("You accepted the request from %(name)s of %(organisation)s to visit about “%(title)s”.")
                    if accept
                    else _("You declined the request from %(name)s of %(organisation)s to visit about “%(title)s”.")
                )
                % {
                    "name": visit.requester.full_name,
                    "organisation": visit.requester_organisation.name,
                    "title": lesson.title,
                }
                + f"{told}\n"
            ),
        )
    return visit

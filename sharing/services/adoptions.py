"""Adopt and adapt: another organisation starts an idea of its own from a shared lesson."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import access, languages, notices
from accounts.models import Organisation, Role, User
from innovation import services as innovation_services
from innovation.models import Source
from portfolio.models import ServiceArea
from sharing import queries
from sharing.models import Adoption, Lesson, NoticeKind
from sharing.services.base import SharingError, _people_of


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
        raise SharingError(_("This lesson is your own organisation’s."))
    if not Lesson.objects.shared().filter(pk=lesson.pk).exists():
        raise access.Refused
    refusal = queries.adoption_refusal(lesson=lesson, organisation=organisation)
    if refusal:
        raise SharingError(refusal)
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
    adoption = Adoption.objects.create(
        organisation=organisation,
        lesson=lesson,
        idea=idea,
        what_changed=what_changed,
        named_publicly=named_publicly,
        adopted_by=actor,
    )
    # The host is told who adopts its lesson (its lesson page names them to it anyway); the adopter
    # is told nothing here, so an anonymised host stays unnamed to them.
    link = notices.absolute_url("sharing:lesson-detail", lesson.pk)
    for person in _people_of(lesson.organisation, [Role.MANAGER, Role.ADMIN]):
        with languages.in_language_of(person, lesson.organisation):
            notices.notice_send(
                user=person,
                organisation=lesson.organisation,
                kind=NoticeKind.LESSON_ADOPTED,
                subject=_("%(organisation)s is adopting your lesson “%(title)s”")
                % {"organisation": organisation.name, "title": lesson.title},
                body=_("%(name)s of %(organisation)s has started an idea of their own from your lesson “%(title)s”.")
                % {"name": actor.full_name, "organisation": organisation.name, "title": lesson.title}
                + "\n\n"
                + _("What they are changing:")
                + "\n"
                + (what_changed.strip() or _("They did not say.")),
                url=link,
            )
    return adoption

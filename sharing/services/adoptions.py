"""Adopt and adapt: another organisation starts an idea of its own from a shared lesson."""

from collections.abc import Iterable

from django.db import transaction

from accounts import access
from accounts.models import Organisation, User
from innovation import services as innovation_services
from innovation.models import Source
from portfolio.models import ServiceArea
from sharing.models import Adoption, Lesson
from sharing.services.base import SharingError


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

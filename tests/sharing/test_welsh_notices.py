"""A visit request and its answer reach each person in their own language (accounts.languages),
whichever language the person who caused them was reading in."""

import pytest
from django.utils import translation

from accounts import languages
from accounts.models import Notice
from sharing import services
from sharing.models import Visibility, VisitRequest

pytestmark = pytest.mark.django_db


def subjects_of(user) -> list[str]:
    return list(Notice.objects.filter(user=user).order_by("pk").values_list("subject", flat=True))


def test_a_visit_request_and_its_answer_are_in_each_readers_language(personas, make_lesson, manager, admin):
    languages.user_language_set(user=manager, language="cy")
    lesson = make_lesson(Visibility.SECTOR, title="Benches in the park")
    visitor = personas.outsider
    Notice.objects.all().delete()

    with translation.override("cy"):  # a Welsh page, but the visitor reads Lantern in English
        visit = services.visit_request_create(
            actor=visitor.user,
            organisation=visitor.organisation,
            lesson=lesson,
            message="May we visit in March?",
            kind=VisitRequest.Kind.INDIVIDUAL,
        )
    assert subjects_of(manager) == ["Cais i ymweld: Benches in the park"]
    assert subjects_of(admin) == ["A request to visit: Benches in the park"]
    assert subjects_of(visitor.user) == ["Your visit request has been sent"]

    services.visit_request_decide(
        actor=manager, organisation=personas.council, visit_request=visit, accept=True, response="10 March."
    )
    assert subjects_of(manager)[-1] == "Rydych chi wedi derbyn cais i ymweld"
    assert subjects_of(visitor.user)[-1] == "Your visit request: accepted"


def test_a_featured_lessons_welsh_admin_hears_in_welsh(personas, make_lesson, manager, admin, sector_body):
    languages.user_language_set(user=admin, language="cy")
    lesson = make_lesson(Visibility.SECTOR, title="Benches in the park")
    Notice.objects.all().delete()

    services.lesson_feature(
        actor=sector_body.curator.user, organisation=sector_body.organisation, lesson=lesson, reason="It travels."
    )
    with translation.override("cy"):
        welsh_subject = translation.gettext("Your lesson “%(title)s” is featured") % {"title": "Benches in the park"}
    assert welsh_subject != "Your lesson “Benches in the park” is featured"
    assert subjects_of(admin) == [welsh_subject]
    assert subjects_of(manager) == ["Your lesson “Benches in the park” is featured"]

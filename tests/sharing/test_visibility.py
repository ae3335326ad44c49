"""Who can read which lesson: internal stays inside, withdrawn disappears everywhere at once."""

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import Client, RequestFactory

from accounts.models import Role
from portfolio.models import Service, ServiceArea
from sharing import queries, services
from sharing.models import ServiceFollow, Visibility

pytestmark = pytest.mark.django_db


def _library(client, **params) -> str:
    response = client.get("/library/", params)
    assert response.status_code == 200
    return response.content.decode()


def _tried_elsewhere(organisation, text: str) -> str:
    request = RequestFactory().get("/")
    request.organisation = organisation
    return Template("{% load sharing %}{% tried_elsewhere text %}").render(Context({"request": request, "text": text}))


def test_internal_lesson_is_read_by_its_own_organisation(personas, make_lesson):
    lesson = make_lesson(Visibility.INTERNAL)
    client = personas.client_for(personas.members[Role.OFFICER])
    assert client.get(f"/lessons/{lesson.pk}/").status_code == 200
    assert lesson.title in _library(client)


def test_internal_lesson_is_invisible_to_other_organisations(personas, make_lesson):
    lesson = make_lesson(Visibility.INTERNAL)
    outsider = personas.client_for(personas.outsider)
    assert outsider.get(f"/lessons/{lesson.pk}/").status_code == 404
    assert lesson.title not in _library(outsider)
    assert lesson.title not in _library(outsider, q="text reminders")
    assert lesson.title not in _library(outsider, outcome="did_not_succeed", service="housing")
    assert queries.lessons_similar_to("text reminders housing appointments", personas.other_council) == []
    assert lesson.title not in _tried_elsewhere(personas.other_council, "text reminders housing appointments")
    assert lesson.title not in Client().get("/library/feed/").content.decode()


def test_draft_is_seen_only_by_those_who_write_publish_or_audit_lessons(personas, make_lesson):
    lesson = make_lesson(visibility=None)
    for role, status in [(Role.MANAGER, 200), (Role.ADMIN, 200), (Role.AUDITOR, 200), (Role.OFFICER, 404)]:
        assert personas.client_for(personas.members[role]).get(f"/lessons/{lesson.pk}/").status_code == status, role
    assert personas.client_for(personas.outsider).get(f"/lessons/{lesson.pk}/").status_code == 404


def test_sector_lesson_is_read_by_other_organisations_but_not_anonymous_visitors(personas, make_lesson):
    lesson = make_lesson(Visibility.SECTOR)
    outsider = personas.client_for(personas.outsider)
    assert outsider.get(f"/lessons/{lesson.pk}/").status_code == 200
    assert lesson.title in _library(outsider, q="reminders")
    assert Client().get(f"/lessons/{lesson.pk}/").status_code == 404
    assert lesson.title not in _library(Client())
    assert lesson.title not in Client().get("/library/feed/").content.decode()


def test_public_lesson_is_read_by_anyone_and_in_the_feed(personas, make_lesson):
    lesson = make_lesson(Visibility.PUBLIC)
    anonymous = Client()
    assert anonymous.get(f"/lessons/{lesson.pk}/").status_code == 200
    assert lesson.title in _library(anonymous, q="reminders")
    feed = anonymous.get("/library/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert lesson.title in feed.content.decode()


def test_withdrawn_lesson_disappears_from_every_page_search_feed_and_email(personas, make_lesson, manager):
    lesson = make_lesson(Visibility.PUBLIC)
    follower = personas.outsider.user
    ServiceFollow.objects.create(user=follower, service=Service.HOUSING)
    services.lesson_withdraw(actor=manager, lesson=lesson, reason="The figures were wrong.")

    outsider = personas.client_for(personas.outsider)
    anonymous = Client()
    officer = personas.client_for(personas.members[Role.OFFICER])
    for client in (outsider, anonymous, officer):
        assert client.get(f"/lessons/{lesson.pk}/").status_code == 404
        assert lesson.title not in _library(client)
        assert lesson.title not in _library(client, q="reminders")
    assert lesson.title not in anonymous.get("/library/feed/").content.decode()
    assert lesson.title not in _tried_elsewhere(personas.other_council, "text reminders housing appointments")
    mail.outbox.clear()
    assert services.digest_send(user=follower) == 0
    assert mail.outbox == []
    assert lesson.title not in outsider.get("/visits/").content.decode()
    # Its own organisation keeps it, marked withdrawn, for those who publish lessons.
    page = personas.client_for(personas.members[Role.MANAGER]).get(f"/lessons/{lesson.pk}/").content.decode()
    assert "Withdrawn" in page


def test_republishing_a_withdrawn_lesson_brings_it_back(personas, make_lesson, manager, admin):
    lesson = make_lesson(Visibility.SECTOR)
    services.lesson_withdraw(actor=manager, lesson=lesson, reason="Checking the figures.")
    services.lesson_publish(actor=admin, lesson=lesson, visibility=Visibility.SECTOR)
    assert personas.client_for(personas.outsider).get(f"/lessons/{lesson.pk}/").status_code == 200


def test_tried_elsewhere_tag_takes_an_idea_and_shows_other_organisations_lessons(personas, make_lesson):
    from tests.factories import IdeaFactory

    lesson = make_lesson(Visibility.SECTOR)
    idea = IdeaFactory(
        organisation=personas.other_council,
        author=personas.outsider.user,
        title="Appointment reminders",
        problem="Tenants miss housing appointments.",
        proposal="Send a text the day before.",
    )
    # Ideas name their service areas (the form asks for them); the match on the service counts.
    idea.service_areas.add(
        ServiceArea.objects.create(organisation=personas.other_council, name="Housing", service=Service.HOUSING)
    )
    request = RequestFactory().get("/")
    request.organisation = personas.other_council
    html = Template("{% load sharing %}{% tried_elsewhere idea %}").render(Context({"request": request, "idea": idea}))
    assert "Tried elsewhere" in html and lesson.title in html
    request.organisation = personas.council  # its own lessons are not "elsewhere"
    html = Template("{% load sharing %}{% tried_elsewhere idea %}").render(Context({"request": request, "idea": idea}))
    assert lesson.title not in html


def test_the_feed_is_well_formed_atom_with_public_lessons_newest_first(personas, make_lesson):
    from xml.etree import ElementTree

    older = make_lesson(Visibility.PUBLIC, title="Older public lesson")
    newer = make_lesson(Visibility.PUBLIC, title="Newer public lesson")
    root = ElementTree.fromstring(Client().get("/library/feed/").content)  # noqa: S314 - our own feed
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.find(f"{atom}title").text for entry in root.findall(f"{atom}entry")]
    assert titles == [f"{newer.title} (did not succeed)", f"{older.title} (did not succeed)"]

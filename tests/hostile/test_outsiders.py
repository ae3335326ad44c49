"""Hostile input through the pages where one organisation reaches another's lesson: adopting it
and asking to visit it (anonymised included). The resolver walk in test_forms.py reads the first
council's own lessons, which it may neither adopt nor visit, so these forms are walked here."""

import pytest
from django.test import Client

from accounts.models import Role
from portfolio.models import Service, ServiceArea
from sharing.models import Adoption, Visibility, VisitRequest
from tests.hostile.test_forms import PAYLOAD, _assert_nothing_executes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("named_publicly", [True, False])
def test_hostile_adoption_text_is_escaped_on_the_lesson_page_for_every_reader(make_lesson, personas, named_publicly):
    lesson = make_lesson(Visibility.PUBLIC)
    area = ServiceArea.objects.create(organisation=personas.other_council, name="Housing", service=Service.HOUSING)
    adopter = personas.client_for(personas.outsider)
    data = {"title": PAYLOAD[:200], "problem": PAYLOAD, "proposal": PAYLOAD, "what_changed": PAYLOAD}
    refused = adopter.post(f"/lessons/{lesson.pk}/adopt/", {**data, "named_publicly": PAYLOAD})
    assert b"govuk-error-summary" in refused.content and not Adoption.objects.exists()  # no service area
    _assert_nothing_executes(refused.content, "the refused adopt form")
    data["service_areas"] = [area.pk]
    if named_publicly:
        data["named_publicly"] = "on"
    assert adopter.post(f"/lessons/{lesson.pk}/adopt/", data).status_code == 302
    assert Adoption.objects.get().named_publicly is named_publicly
    for client in (Client(), personas.client_for(personas.members[Role.MANAGER]), adopter):
        _assert_nothing_executes(client.get(lesson.get_absolute_url()).content, "the lesson page")


def test_hostile_visit_request_and_reply_on_an_anonymised_lesson_are_escaped_on_both_sides(make_lesson, personas):
    lesson = make_lesson(Visibility.ANONYMISED)
    visitor = personas.client_for(personas.outsider)
    url = f"/lessons/{lesson.pk}/visit/"
    refused = visitor.post(url, {"kind": PAYLOAD, "message": PAYLOAD})
    assert b"govuk-error-summary" in refused.content and not VisitRequest.objects.exists()
    _assert_nothing_executes(refused.content, "the refused visit request")
    assert visitor.post(url, {"kind": "individual", "message": PAYLOAD}).status_code == 302
    visit = VisitRequest.objects.get()
    host = personas.client_for(personas.members[Role.MANAGER])
    for page in ("/visits/", f"/visits/{visit.pk}/"):
        _assert_nothing_executes(host.get(page).content, f"the host's {page}")
    refused = host.post(f"/visits/{visit.pk}/", {"decision": PAYLOAD, "response": PAYLOAD})
    assert b"govuk-error-summary" in refused.content
    visit.refresh_from_db()
    assert visit.status == VisitRequest.Status.PENDING
    assert host.post(f"/visits/{visit.pk}/", {"decision": "decline", "response": PAYLOAD}).status_code == 302
    _assert_nothing_executes(visitor.get("/visits/").content, "the visitor's /visits/")

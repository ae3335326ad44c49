"""The host hears that its lesson is adopted or featured; an anonymised host is never named to
the adopter; and the visitor's "request sent" links to the request."""

import pytest

from accounts.models import Notice, Role
from portfolio.models import Service, ServiceArea
from sharing import services
from sharing.models import Visibility, VisitRequest

pytestmark = pytest.mark.django_db


def _adopt(personas, lesson):
    area = ServiceArea.objects.create(organisation=personas.other_council, name="Housing", service=Service.HOUSING)
    return services.adoption_create(
        actor=personas.outsider.user,
        organisation=personas.other_council,
        lesson=lesson,
        title="Earlier reminders",
        problem="Missed appointments",
        proposal="Two days ahead",
        what_changed="Two days ahead, not two hours",
        service_areas=[area],
    )


def test_the_hosts_managers_and_admins_hear_who_adopts_an_anonymised_lesson_and_the_adopter_hears_nothing_of_the_host(
    make_lesson, personas
):
    lesson = make_lesson(Visibility.ANONYMISED)
    Notice.objects.all().delete()
    _adopt(personas, lesson)
    told = Notice.objects.filter(kind="lesson_adopted")
    assert {n.user_id for n in told} == {
        personas.members[Role.MANAGER].user_id,
        personas.members[Role.ADMIN].user_id,
    }
    assert all("Kingsmere Council" in n.subject and "Two days ahead" in n.body for n in told)
    adopters = Notice.objects.filter(organisation=personas.other_council)
    assert not any("Ashby Vale" in n.subject + n.body for n in adopters)


def test_the_author_and_admins_hear_once_that_their_lesson_is_featured(make_lesson, personas, sector_body):
    lesson = make_lesson(Visibility.SECTOR)
    for reason in ("An honest failure", "Still an honest failure"):
        services.lesson_feature(
            actor=sector_body.curator.user, organisation=sector_body.organisation, lesson=lesson, reason=reason
        )
    told = Notice.objects.filter(kind="lesson_featured")
    assert sorted(n.user_id for n in told) == sorted(
        [personas.members[Role.MANAGER].user_id, personas.members[Role.ADMIN].user_id]
    )
    assert all("Local Innovation Network" in n.body and "An honest failure" in n.body for n in told)


@pytest.mark.parametrize("visibility", [Visibility.SECTOR, Visibility.ANONYMISED])
def test_the_request_sent_message_links_to_the_request_on_the_visits_page(make_lesson, personas, visibility):
    lesson = make_lesson(visibility)
    client = personas.client_for(personas.outsider)
    response = client.post(
        f"/lessons/{lesson.pk}/visit/",
        {"message": "May we see the texts?", "kind": VisitRequest.Kind.INDIVIDUAL},
        follow=True,
    )
    visit = VisitRequest.objects.get()
    page = response.content.decode()
    assert "Your visit request has been sent" in page
    assert f'href="/visits/#visit-{visit.pk}">See your visit request</a>' in page
    assert f'id="visit-{visit.pk}"' in client.get("/visits/").content.decode()

"""One number for people and URLs: "Idea 7" lives at /ideas/7/, in every organisation."""

from django.urls import reverse

from accounts.models import Role
from tests.factories import IdeaFactory


def test_idea_is_at_the_address_of_the_number_people_know_it_by(personas):
    officer = personas.members[Role.OFFICER].user
    # Another organisation's ideas take ids first, so the council's idea 7 has a different id.
    for n in range(1, 8):
        IdeaFactory(organisation=personas.other_council, author=personas.outsider.user, reference=n)
    idea = IdeaFactory(organisation=personas.council, author=officer, reference=7, title="Text reminders")
    assert idea.pk != 7

    response = personas.client_for(personas.members[Role.OFFICER]).get("/ideas/7/")

    assert idea.get_absolute_url() == "/ideas/7/"
    assert response.status_code == 200
    assert "Idea 7" in response.content.decode() and "Text reminders" in response.content.decode()


def test_the_same_number_in_another_organisation_is_its_own_idea(personas):
    ours = IdeaFactory(organisation=personas.council, author=personas.members[Role.OFFICER].user, reference=3)
    IdeaFactory(organisation=personas.other_council, author=personas.outsider.user, reference=3, title="Kingsmere's")
    IdeaFactory(organisation=personas.other_council, author=personas.outsider.user, reference=4)

    client = personas.client_for(personas.members[Role.OFFICER])
    page = client.get("/ideas/3/").content.decode()

    assert ours.title in page and "Kingsmere's" not in page
    # Their idea 4 is not ours: the same answer as a number nobody has.
    assert client.get("/ideas/4/").status_code == 404
    assert client.get("/ideas/999/").status_code == 404


def test_screening_pages_use_the_ideas_number_too(personas):
    idea = IdeaFactory(organisation=personas.council, author=personas.members[Role.OFFICER].user, reference=12)
    assert reverse("innovation:idea-screen", args=[12]) == "/ideas/12/screening/"
    page = personas.client_for(personas.members[Role.MANAGER]).get(idea.get_absolute_url()).content.decode()
    assert 'href="/ideas/12/screening/"' in page

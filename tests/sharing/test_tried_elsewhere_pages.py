"""R7: an idea's page and a campaign's page suggest what other councils have tried."""

from accounts.models import Role
from sharing.models import Visibility
from tests.factories import IdeaFactory


def test_an_idea_page_shows_a_similar_lesson_published_by_another_council(personas, make_lesson):
    make_lesson(Visibility.ANONYMISED, organisation=personas.other_council)
    idea = IdeaFactory(
        organisation=personas.council,
        author=personas.members[Role.OFFICER].user,
        title="Text reminders before housing appointments",
        problem="Tenants miss housing appointments.",
    )
    body = personas.client_for(personas.members[Role.OFFICER]).get(f"/ideas/{idea.reference}/").content.decode()
    assert "Tried elsewhere" in body
    assert "Text reminders did not cut missed housing appointments" in body
    assert personas.other_council.name not in body


def test_an_idea_page_does_not_suggest_the_councils_own_lessons_as_tried_elsewhere(personas, make_lesson):
    make_lesson(Visibility.SECTOR, organisation=personas.council)
    idea = IdeaFactory(
        organisation=personas.council,
        author=personas.members[Role.OFFICER].user,
        title="Text reminders before housing appointments",
    )
    body = personas.client_for(personas.members[Role.OFFICER]).get(f"/ideas/{idea.reference}/").content.decode()
    assert "Tried elsewhere" not in body

"""Long lists come in pages, and the previous and next links keep the filters the person chose:
the idea list, the risk register and the lessons library share one pagination include."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def _links(page: str) -> dict[str, str]:
    """{"prev"|"next": href} of the page's pagination links, as a browser would follow them."""
    nav = page[page.index('class="govuk-pagination"') :]
    return {rel: href.replace("&amp;", "&") for href, rel in re.findall(r'href="([^"]*)" rel="(prev|next)"', nav)}


def test_the_idea_list_pages_through_a_filtered_list_keeping_the_filter(personas):
    author = personas.members[Role.OFFICER].user
    for n in range(27):
        IdeaFactory(organisation=personas.council, author=author, source="partner", title=f"Partner idea {n}")
    IdeaFactory(organisation=personas.council, author=author, source="staff", title="Staff idea")
    client = personas.client_for(personas.members[Role.OFFICER])
    url = reverse("innovation:idea-list")
    first = client.get(url, {"source": "partner"}).content.decode()
    assert "Page 1 of 2" in first and _links(first) == {"next": "?source=partner&page=2"}
    second = client.get(url + _links(first)["next"]).content.decode()
    assert "Page 2 of 2" in second and "Staff idea" not in second
    assert second.count("Partner idea") == 2
    assert _links(second) == {"prev": "?source=partner&page=1"}


def test_the_risk_register_pages_keeping_its_filter(personas, make_risk):
    for n in range(51):
        make_risk(title=f"Delivery risk {n}", category="delivery")
    make_risk(title="Money risk", category="financial")
    client = personas.client_for(personas.members[Role.MANAGER])
    first = client.get(reverse("risk:register"), {"category": "delivery"}).content.decode()
    assert "Page 1 of 2" in first and _links(first) == {"next": "?category=delivery&page=2"}
    second = client.get(reverse("risk:register") + _links(first)["next"]).content.decode()
    assert "Showing 51 to 51 of 51 risks" in second and "Money risk" not in second


def test_the_library_pages_keeping_the_search(personas, make_lesson):
    for _ in range(21):
        make_lesson(outcome="succeeded")
    make_lesson(outcome="did_not_succeed")
    client = personas.client_for(personas.members[Role.OFFICER])
    first = client.get(reverse("sharing:library"), {"outcome": "succeeded"}).content.decode()
    assert "21 lessons" in first and "Page 1 of 2" in first
    assert _links(first) == {"next": "?outcome=succeeded&page=2"}
    second = client.get(reverse("sharing:library") + _links(first)["next"]).content.decode()
    assert "Page 2 of 2" in second and _links(second) == {"prev": "?outcome=succeeded&page=1"}

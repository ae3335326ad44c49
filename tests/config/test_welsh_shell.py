"""The shell every page shares, the error pages and the API's own error texts, in Welsh for a
browser that asks for it, and still in English for one that does not."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.config.test_navigation import nav_labels


def _welsh(client):
    client.cookies["django_language"] = "cy"
    return client


def test_the_shell_and_navigation_are_in_welsh(personas):
    page = _welsh(personas.client_for(personas.members[Role.ADMIN])).get(reverse("home")).content.decode()
    assert "Neidio i'r prif gynnwys" in page
    assert "Allgofnodi" in page
    assert "Datganiad hygyrchedd" in page
    assert nav_labels(page)[:3] == ["Hafan", "Pobl", "Ble i arloesi"]
    assert "Skip to main content" not in page


def test_the_shell_stays_in_english_for_a_browser_that_does_not_ask_for_welsh(personas):
    page = personas.client_for(personas.members[Role.ADMIN]).get(reverse("home")).content.decode()
    assert "Skip to main content" in page
    assert nav_labels(page)[:3] == ["Home", "People", "Where to innovate"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, heading",
    [
        ("/", "Cynnal gwaith arloesi eich cyngor yn agored"),
        ("/accessibility/", "Datganiad hygyrchedd Lantern"),
        ("/privacy/", "Hysbysiad preifatrwydd"),
        ("/no-such-page/", "Heb ddod o hyd i'r dudalen"),
    ],
)
def test_public_pages_and_the_404_are_in_welsh(client, url, heading):
    assert heading in _welsh(client).get(url).content.decode()


@pytest.mark.django_db
def test_an_api_error_outside_any_view_is_in_welsh(client):
    response = _welsh(client).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Heb ei ganfod."}

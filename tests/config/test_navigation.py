"""The navigation shows each person the sections their role allows, and marks where they are."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role


def current_items(page: str) -> list[str]:
    return re.findall(r'aria-current="page">\s*<strong[^>]*>([^<]+)</strong>', page)


def nav_labels(page: str) -> list[str]:
    nav = page.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    return [
        label.strip() for label in re.findall(r"govuk-service-navigation__link[^>]*>\s*(?:<strong[^>]*>)?([^<]+)", nav)
    ]


@pytest.mark.parametrize("role", Role.values)
def test_people_appears_in_the_navigation_only_for_admins_and_auditors(personas, role):
    # A partner's home is the campaigns opened to them (a redirect).
    page = personas.client_for(personas.members[role]).get(reverse("home"), follow=True).content.decode()
    assert ("People" in nav_labels(page)) == (role in {Role.ADMIN, Role.AUDITOR})


def test_home_is_the_current_page_on_the_home_page(personas):
    page = personas.client_for(personas.members[Role.ADMIN]).get(reverse("home")).content.decode()
    assert current_items(page) == ["Home"]


@pytest.mark.parametrize("role", Role.values)
def test_exactly_one_navigation_item_is_current_on_each_page_it_links_to(personas, role):
    client = personas.client_for(personas.members[role])
    home = client.get(reverse("home"), follow=True).content.decode()
    links = re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"', home)
    assert links
    for url in links:
        page = client.get(url, follow=True).content.decode()
        assert len(current_items(page)) == 1, f"{role} on {url}: {current_items(page)}"

"""The innovation pages in Welsh: the catalogue's translations reach the page, counts take Welsh
plural forms, and a message set by a view is in the visitor's language."""

from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh_catalogue(tmp_path, settings):
    # The .mo file is built at install and not kept in git, so compile the catalogue here.
    source = Path(django_settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    target = tmp_path / "cy" / "LC_MESSAGES"
    target.mkdir(parents=True)
    polib.pofile(str(source)).save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path]  # the setting_changed signal resets Django's loaded catalogues


def _welsh_client(personas, role):
    client = personas.client_for(personas.members[role])
    client.cookies["django_language"] = "cy"
    return client


def test_the_idea_list_is_in_welsh_with_a_welsh_count(welsh_catalogue, personas, make_idea):
    make_idea()
    make_idea(title="Food waste caddies for flats")
    body = _welsh_client(personas, Role.OFFICER).get(reverse("innovation:idea-list")).content.decode()
    assert '<h1 class="govuk-heading-l">Syniadau</h1>' in body
    assert "Cofnodi syniad" in body
    assert "2 syniad" in body
    assert "No ideas match." not in body and "Log an idea" not in body


def test_a_views_message_is_in_welsh(welsh_catalogue, personas, make_idea):
    idea = make_idea()
    client = _welsh_client(personas, Role.OFFICER)
    response = client.post(reverse("innovation:idea-comment", args=[idea.reference]), {"body": "Da iawn"}, follow=True)
    assert escape("Mae eich sylw wedi'i ychwanegu.") in response.content.decode()


def test_the_same_page_in_english_is_unchanged(welsh_catalogue, personas, make_idea):
    make_idea()
    body = personas.client_for(personas.members[Role.OFFICER]).get(reverse("innovation:idea-list")).content.decode()
    assert '<h1 class="govuk-heading-l">Ideas</h1>' in body and "1 idea<" in body

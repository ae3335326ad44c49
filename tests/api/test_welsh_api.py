"""The API's error texts in Welsh for a client that asks for Welsh, and unchanged in English.

Django REST framework has no Welsh catalogue: config.api_messages names its messages so that
Lantern's catalogue says them in Welsh, and these tests check that a DRF upgrade which rewords
one fails here rather than quietly answering in English again.
"""

import re
from pathlib import Path

import django
import polib
import pytest
import rest_framework
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from config.api_messages import DJANGO_MESSAGES_IN_BETTER_WELSH, DRF_MESSAGES_IN_WELSH
from tests.api.conftest import api_client_for

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB"}
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def detail(response) -> str:
    return response.json()["detail"]


def test_no_token_is_refused_in_welsh_and_in_english(db):
    url = reverse("api:idea-list")
    welsh = APIClient().get(url, **WELSH)
    assert welsh.status_code in (401, 403)
    assert detail(welsh) == "Ni roddwyd manylion dilysu."
    assert welsh["Content-Language"] == "cy"
    assert detail(APIClient().get(url, **ENGLISH)) == "Authentication credentials were not provided."
    assert detail(APIClient().get(url)) == "Authentication credentials were not provided."


def test_a_bad_token_is_refused_in_welsh_and_in_english(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    url = reverse("api:idea-list")
    welsh = client.get(url, **WELSH)
    assert welsh.status_code == 401
    assert detail(welsh) == "Nid yw'r tocyn hwn yn ddilys. Gofynnwch i weinyddwr yn eich sefydliad am un newydd."
    assert detail(client.get(url, **ENGLISH)) == (
        "This token is not valid. Ask an admin of your organisation for a new one."
    )


def test_another_organisations_object_is_not_found_in_welsh_and_in_english(personas, world):
    client = api_client_for(personas.members[Role.MANAGER])
    url = reverse("api:idea-detail", args=[world.other_idea.pk])
    welsh = client.get(url, **WELSH)
    assert welsh.status_code == 404
    assert detail(welsh) == "Heb ei ganfod."
    english = client.get(url, **ENGLISH)
    assert english.status_code == 404
    assert detail(english) == "No Idea matches the given query."


def test_a_bad_filter_value_is_explained_in_welsh_and_in_english(personas, world):
    client = api_client_for(personas.members[Role.MANAGER])
    url = reverse("api:idea-list") + "?stage=nonsense"
    welsh = client.get(url, **WELSH)
    assert welsh.status_code == 400
    assert welsh.json()["stage"] == ["Dewiswch ddewisiad dilys. Nid yw nonsense yn un o'r dewisiadau sydd ar gael."]
    assert client.get(url, **ENGLISH).json()["stage"] == [
        "Select a valid choice. nonsense is not one of the available choices."
    ]


def test_an_unknown_service_area_is_explained_in_welsh_and_in_english(personas, world):
    client = api_client_for(personas.members[Role.MANAGER])
    url = reverse("api:idea-list") + f"?service_area={world.other_area.pk}"
    welsh = client.get(url, **WELSH)
    assert welsh.status_code == 400
    assert welsh.json()["service_area"] == [
        "Dewiswch ddewis dilys. Nid yw'r dewis hwnnw'n un o'r dewisiadau sydd ar gael."
    ]
    assert client.get(url, **ENGLISH).json()["service_area"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_a_page_past_the_end_is_invalid_in_welsh_and_in_english(personas, world):
    client = api_client_for(personas.members[Role.MANAGER])
    url = reverse("api:idea-list") + "?page=999"
    welsh = client.get(url, **WELSH)
    assert welsh.status_code == 404
    assert detail(welsh) == "Tudalen annilys."
    assert detail(client.get(url, **ENGLISH)) == "Invalid page."


def test_a_missing_field_is_required_in_welsh_and_in_english(personas, world):
    client = api_client_for(personas.members[Role.MANAGER])
    url = reverse("api:idea-list")
    welsh = client.post(url, {}, format="json", **WELSH)
    assert welsh.status_code == 400, welsh.content
    assert welsh.json()["title"] == ["Mae angen y maes hwn."]
    assert client.post(url, {}, format="json", **ENGLISH).json()["title"] == ["This field is required."]


def drf_source() -> str:
    root = Path(rest_framework.__file__).parent
    return "\n".join(path.read_text(encoding="utf-8") for path in root.rglob("*.py"))


@pytest.mark.parametrize("msgid", DRF_MESSAGES_IN_WELSH)
def test_every_named_message_is_still_in_django_rest_frameworks_source(msgid):
    source = drf_source()
    assert f"'{msgid}'" in source or f'"{msgid}"' in source, f"DRF no longer says {msgid!r}: update config.api_messages"


def test_every_corrected_django_message_is_still_in_djangos_welsh_catalogue():
    django_cy = polib.pofile(str(Path(django.__file__).parent / "conf" / "locale" / "cy" / "LC_MESSAGES" / "django.po"))
    msgids = {entry.msgid for entry in django_cy}
    assert set(DJANGO_MESSAGES_IN_BETTER_WELSH) - msgids == set()


def test_every_named_message_has_welsh_with_the_same_placeholders():
    catalogue = {entry.msgid: entry for entry in polib.pofile(str(CATALOGUE))}
    for msgid in DRF_MESSAGES_IN_WELSH + DJANGO_MESSAGES_IN_BETTER_WELSH:
        entry = catalogue[msgid]
        assert entry.msgstr and "fuzzy" not in entry.flags, msgid
        assert sorted(re.findall(r"\{\w+\}", entry.msgstr)) == sorted(re.findall(r"\{\w+\}", msgid)), msgid

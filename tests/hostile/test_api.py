"""Hostile input through the API's write endpoints (logging an idea, importing measurements):
refusals are JSON with a message per field and write nothing; what is accepted is shown escaped
on the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from innovation.models import Idea
from portfolio.models import Measurement, ServiceArea
from tests.api.conftest import api_client_for
from tests.hostile.test_forms import EXECUTABLE, FORMULA, PAYLOAD, SCRIPT


def _url(name):
    return reverse(name)


def _area(personas):
    return ServiceArea.objects.create(organisation=personas.council, name="Waste", service="waste")


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"title": PAYLOAD * 5},  # too long
        {"service_areas": ["'; DROP TABLE innovation_idea; --"]},
        {"service_areas": [10**30]},
        {"source": "<script>"},
        {"problem": None},
    ],
    ids=["empty", "oversized", "sql", "huge-number", "bad-choice", "null"],
)
def test_a_hostile_idea_is_refused_as_json_and_writes_nothing(personas, change):
    payload = {"title": "T", "problem": "P", "proposal": "Q", "source": "staff", "service_areas": [_area(personas).pk]}
    before = Idea.objects.count()
    response = api_client_for(personas.members[Role.OFFICER]).post(
        _url("api:idea-list"), {**payload, **change}, format="json"
    )
    assert response.status_code == 400, response.content
    assert isinstance(response.json(), dict) and response.json()
    assert Idea.objects.count() == before


def test_malformed_json_is_a_json_400(personas):
    response = api_client_for(personas.members[Role.OFFICER]).generic(
        "POST", _url("api:idea-list"), b'{"title": "x",', content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_an_accepted_idea_full_of_markup_is_shown_escaped(personas):
    payload = {
        "title": f"{SCRIPT} idea",
        "problem": PAYLOAD,
        "proposal": PAYLOAD,
        "source": "staff",
        "service_areas": [_area(personas).pk],
    }
    response = api_client_for(personas.members[Role.OFFICER]).post(_url("api:idea-list"), payload, format="json")
    assert response.status_code == 201, response.content
    idea = Idea.objects.get(title=payload["title"])
    for url in (reverse("innovation:idea-detail", args=[idea.reference]), reverse("innovation:idea-list")):
        body = personas.client_for(personas.members[Role.MANAGER]).get(url).content.decode().lower()
        assert not [m for m in EXECUTABLE if m.lower() in body], url


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("../../etc/passwd.csv", b"ons_code,indicator_code,period,value\r\nE1,PI,2025-Q1,1\r\n"),
        ("figures.csv", "ons_code,indicator_code,period,value\r\nE1,PI,2025-Q1,1\r\n".encode("utf-16")),
        ("figures.xlsx", b"not a zip at all"),
        ("figures.csv", f"ons_code,indicator_code,period,value\r\n{FORMULA},PI,2025-Q1,1e400\r\n".encode()),
        ("figures.exe", b"MZ\x90\x00"),
        ("empty.csv", b""),
    ],
    ids=["traversal", "utf-16", "fake-xlsx", "formula-and-huge", "executable", "empty"],
)
def test_a_hostile_import_is_refused_with_a_reason_and_imports_nothing(personas, name, content):
    before = Measurement.objects.count()
    response = api_client_for(personas.members[Role.ADMIN]).post(
        _url("api:measurement-import-file"), {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )
    assert response.status_code < 500
    assert Measurement.objects.count() == before
    body = response.json()
    assert body, "a refusal says why"
    if response.status_code in (200, 201, 202):
        # Accepted for checking: the job records the problem instead.
        assert body.get("status") in ("invalid", "failed", "queued", "running"), body

"""The tenant and role probe: every page and API endpoint, tried by every role of another
organisation and by the public against the first organisation's objects.

URLs come from the resolver (tests/test_tenancy.py's walk) and API operations from the
drf-spectacular schema. Objects are built with tests/test_tenancy.py's REGISTRY, pointed at the
first council this time (the registry builds in `other_council`; the probe hands it personas
with the two councils swapped), and every text title or name the first council owns carries
SECRET. The probe fails when:

- a response to an outsider or to the public contains SECRET, whatever its status;
- an outsider's GET or POST of one of the first council's objects is not refused
  (403, 404 or 405; the public: a redirect to sign-in, or 401/403 from the API);
- a URL or API operation takes an argument the probe cannot fill (so a new page is covered
  the day it is added, or the probe says so).
"""

import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from accounts.models import Role
from tests.conftest import Personas
from tests.factories import MembershipFactory
from tests.test_tenancy import EXEMPT, REGISTRY, url_names_and_kwargs

SECRET = "Ashby-secret-7f3a"

# URLs that take arguments which are not an organisation's objects (tests/test_tenancy.py's
# EXEMPT): what the probe passes for them. The admin namespace is filled generically below.
NOT_OBJECTS: dict[str, Callable[[], dict]] = {
    "accounts:accept-invitation": lambda: {"uidb64": "MQ", "token": "not-a-real-token"},
    "accounts:password-reset-confirm": lambda: {"uidb64": "MQ", "token": "set-password"},
    "api:indicator-detail": lambda: {"code": "PI-1"},
    "innovation:optimism-override": lambda: {"project_type": "non_standard_buildings"},
    "portfolio:indicator-detail": lambda: {"code": "PI-1"},
    "public:confirm": lambda: {"token": "not-a-real-token"},
    # Public by law for an authority that has a key-decision threshold; the probe's has none (404).
    "public:forward-plan": lambda: {"organisation": 999_999},
    "public:forward-plan-csv": lambda: {"organisation": 999_999},
    "public:unsubscribe": lambda: {"token": "not-a-real-token"},
    "reports:export": lambda: {"name": "risk-register"},
    "reports:export-schedule": lambda: {"name": "risk-register"},
    "reports:export-take": lambda: {"name": "risk-register"},
}
ADMIN_KWARGS = {"object_id": "1", "app_label": "accounts", "content_type_id": "1", "id": "1"}

REFUSED = {403, 404, 405}


def _swapped(p: Personas) -> Personas:
    """Personas whose `other_council` is the first council, so REGISTRY builds its objects there."""
    return Personas(council=p.other_council, other_council=p.council, members=p.members, outsider=p.members["officer"])


def _mark_secrets(organisation) -> None:
    """Writes SECRET into every title and name the organisation owns."""
    for model in apps.get_models():
        fields = {f.name: f for f in model._meta.concrete_fields}
        organisation_field = fields.get("organisation")
        if organisation_field is None or not organisation_field.is_relation:
            continue
        for name in ("title", "name"):
            field = fields.get(name)
            if isinstance(field, models.CharField) and (field.max_length or 0) >= 40:
                model._base_manager.filter(organisation=organisation).update(**{name: f"{SECRET} {name}"})


@pytest.fixture
def attackers(personas) -> dict[str, Client]:
    """A signed-in client for every role of the second council, and the public."""
    others = {Role.OFFICER.value: personas.outsider}
    for role in Role.values:
        others.setdefault(role, MembershipFactory(organisation=personas.other_council, role=role))
    clients = {f"other council's {role}": personas.client_for(m) for role, m in others.items()}
    clients["the public"] = Client()
    return clients


def _url_for(name: str, kwargs: tuple, personas: Personas) -> str | None:
    if not kwargs:
        return reverse(name)
    if name in REGISTRY:
        return reverse(name, kwargs=REGISTRY[name](_swapped(personas)))
    if name in NOT_OBJECTS:
        return reverse(name, kwargs=NOT_OBJECTS[name]())
    if name.startswith("admin:"):
        try:
            if "?" in kwargs:
                return reverse(name, args=["1"] * len(kwargs))
            return reverse(name, kwargs={key: ADMIN_KWARGS[key] for key in kwargs})
        except (KeyError, NoReverseMatch):
            return None
    return None


def _signed_out_properly(response) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code in (401, 403, 404, 405) or (
        response.status_code == 302 and ("sign-in" in location or "/login/" in location)
    )


ALL_URLS = sorted(url_names_and_kwargs())


def test_the_probe_knows_how_to_exercise_every_url():
    unknown = [
        name
        for name, kwargs in ALL_URLS
        if kwargs and name not in REGISTRY and name not in NOT_OBJECTS and not name.startswith("admin:")
    ]
    assert not unknown, f"The probe cannot fill these URLs' arguments; add them to REGISTRY or NOT_OBJECTS: {unknown}"
    assert sorted(set(EXEMPT) - set(NOT_OBJECTS)) == [], "every EXEMPT URL needs arguments in NOT_OBJECTS"


SITE_URLS = [(name, kwargs) for name, kwargs in ALL_URLS if not name.startswith("admin:")]
# The admin's own sign-in page is open to all (it signs in operators only); signing out would end the probe's sessions.
ADMIN_OPEN = {"admin:login", "admin:logout"}
ADMIN_URLS = [(name, kwargs) for name, kwargs in ALL_URLS if name.startswith("admin:") and name not in ADMIN_OPEN]


# The walks must reach at least this many URLs, admin pages, attackers and API operations, so that
# a resolver walk, a filter or a schema that silently came out empty (or much shorter) fails.
MIN_SITE_URLS, MIN_ADMIN_URLS, MIN_API_OPERATIONS = 150, 150, 20  # 165, 167 and 21 on 4 December 2026


def test_the_probe_walks_are_not_empty(personas, attackers):
    assert len(SITE_URLS) >= MIN_SITE_URLS, len(SITE_URLS)
    assert len(ADMIN_URLS) >= MIN_ADMIN_URLS, len(ADMIN_URLS)
    # Every role of the second council, and the public.
    assert len(attackers) == len(Role.values) + 1 >= 8


def test_the_admin_is_closed_to_every_organisation_role_and_the_public(personas, attackers):
    """The Django admin is for Lantern's operators (is_staff): everyone else is sent to its sign-in."""
    _mark_secrets(personas.council)
    problems = []
    for name, kwargs in ADMIN_URLS:
        url = _url_for(name, kwargs, personas)
        assert url is not None, f"the probe does not know how to fill {name}{kwargs}"
        for who, client in attackers.items():
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if not _signed_out_properly(response) or SECRET.encode() in response.content:
                    problems.append(f"{who} {method.upper()} {url} → {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("name", "kwargs"), SITE_URLS, ids=[name for name, _ in SITE_URLS])
def test_no_outsider_or_member_of_the_public_sees_the_first_councils_objects(personas, attackers, name, kwargs):
    url = _url_for(name, kwargs, personas)
    assert url is not None, f"the probe does not know how to fill {name}{kwargs}"
    _mark_secrets(personas.council)
    is_object = bool(kwargs) and name in REGISTRY
    problems = []
    for who, client in attackers.items():
        responses = {"GET": client.get(url)}
        if is_object or name.startswith("admin:"):
            responses["POST"] = client.post(url)
        for method, response in responses.items():
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if SECRET.encode() in body:
                problems.append(f"{who} {method} {url} → {response.status_code} shows the first council's data")
            if response.status_code >= 500:
                problems.append(f"{who} {method} {url} → {response.status_code}")
            if who == "the public" and (is_object or name.startswith("admin:")) and not _signed_out_properly(response):
                problems.append(f"the public {method} {url} → {response.status_code}, not sent to sign in")
            elif who != "the public" and is_object and response.status_code not in REFUSED:
                problems.append(f"{who} {method} {url} → {response.status_code}, expected 403, 404 or 405")
            if name.startswith("admin:") and who != "the public" and not _signed_out_properly(response):
                problems.append(f"{who} {method} {url} → {response.status_code}: the admin is for operators only")
    assert not problems, "\n".join(problems)


# The API, from its OpenAPI schema: every operation, by every outsider, against the first council.

_PARAM = re.compile(r"\{(\w+)\}")


def _view_name(template: str) -> str | None:
    for placeholder in ("1", "00000000-0000-4000-8000-000000000000"):
        try:
            return resolve(_PARAM.sub(placeholder, template)).view_name
        except Resolver404:
            continue
    return None


def _schema(personas) -> dict | None:
    try:
        url = reverse("api:schema")
    except NoReverseMatch:
        return None
    response = personas.client_for(personas.members["admin"]).get(url, {"format": "json"})
    assert response.status_code == 200, response.status_code
    import json

    return json.loads(response.content)


def test_every_api_operation_is_probed_and_refused_to_outsiders(personas, attackers):
    schema = _schema(personas)
    assert schema is not None, "no API schema is served at api:schema"
    _mark_secrets(personas.council)
    unknown, problems, probed = [], [], 0
    for template, operations in schema["paths"].items():
        name = _view_name(template)
        if name is None:
            unknown.append(template)
            continue
        params = _PARAM.findall(template)
        if params and name not in REGISTRY and name not in NOT_OBJECTS:
            unknown.append(f"{template} ({name})")
            continue
        is_object = bool(params) and name in REGISTRY
        kwargs = {}
        if params:
            kwargs = REGISTRY[name](_swapped(personas)) if is_object else NOT_OBJECTS[name]()
        _mark_secrets(personas.council)
        path = template
        for key in params:
            # The schema names a primary key "id" where the URL pattern says "pk".
            value = kwargs[key] if key in kwargs else next(iter(kwargs.values()))
            path = path.replace("{" + key + "}", str(value))
        for method in operations:
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            probed += 1
            for who, client in attackers.items():
                response = getattr(client, method)(path, data={}, content_type="application/json")
                if SECRET.encode() in response.content:
                    problems.append(
                        f"{who} {method.upper()} {path} → {response.status_code} shows the first council's data"
                    )
                if response.status_code >= 500:
                    problems.append(f"{who} {method.upper()} {path} → {response.status_code}")
                if who == "the public" and response.status_code not in (401, 403):
                    problems.append(f"the public {method.upper()} {path} → {response.status_code}, expected 401 or 403")
                elif is_object and who != "the public" and response.status_code not in REFUSED:
                    problems.append(f"{who} {method.upper()} {path} → {response.status_code}, expected 403/404/405")
    assert not unknown, f"API operations the probe cannot fill (add their URL name to REGISTRY): {unknown}"
    # An emptied walk (a schema with no paths, a filter that drops them) must not pass by probing nothing.
    assert probed >= MIN_API_OPERATIONS, f"the probe reached only {probed} API operations"
    assert not problems, "\n".join(problems)

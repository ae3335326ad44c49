"""Hostile values in every URL parameter and query parameter never reach a server error.

Every URL pattern is read from the resolver (as the tenancy walk reads them). Each path
parameter in turn is given hostile values (a number past PostgreSQL's bigint, -1, 0, a NUL,
"../", a very long string, unicode), and every page without one is asked with hostile values
of `?page=` and of every filter a list takes. An admin of a council with data asks (GET and
POST), and so does someone signed out. Anything but a 5xx passes: a 400, a 404, the first or
the last page. The walk runs on SQLite and, in CI, on PostgreSQL, whose integer columns and
text literals refuse more than SQLite's (bigint out of range, "cannot contain NUL").
"""

import uuid

import django_filters
import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from accounts.models import Role
from tests.api.conftest import admin, api_client_for, indicator, make_lesson, make_risk, manager, project, world  # noqa: F401
from tests.test_tenancy import url_names_and_kwargs

# As a client would send them, percent-encoded; the test client decodes the path as a server would.
HOSTILE_PATH_VALUES = {
    "huge": "99999999999999999999",
    "negative": "-1",
    "zero": "0",
    "nul": "%00",
    "nul-after-digits": "1%00",
    "dot-dot": "..%2F..%2Fetc%2Fpasswd",
    "long": "9" * 4000,
    "unicode": "%E2%80%AE%C3%BC%F0%9F%92%A9",
}
HOSTILE_QUERY_VALUES = {
    "huge": "99999999999999999999",
    "negative": "-1",
    "zero": "0",
    "nul": "\x00",
    "nul-after-digits": "1\x00",
    "long": "9" * 4000,
    "not-a-number": "1e309",
    "unicode-digit": "\u00b2",  # a digit to str.isdigit(), not to int()
    "unicode": "\u202e\u00fc\U0001f4a9",
}
# Query parameters the pages and the API read themselves; the filters' names are added below.
QUERY_NAMES = {"page", "page_size", "q", "next", "indicator", "campaign", "project", "service_area", "format"}

EXEMPT_NAMESPACES = {"admin": "the Django admin is Django's own, for Lantern's operators (is_staff)"}

# The walk must reach this many URL patterns and this many with path parameters, so that a
# resolver walk that silently yields nothing (or a skip) fails rather than passes.
MIN_PATTERNS = 120
MIN_PATTERNS_WITH_PARAMETERS = 70


def _filter_names() -> set[str]:
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {name for filterset in subclasses(django_filters.FilterSet) for name in filterset.base_filters}


def _patterns() -> list[tuple[str, tuple[str, ...]]]:
    return sorted(
        {
            (name, kwargs)
            for name, kwargs in url_names_and_kwargs()
            if name.split(":")[0] not in EXEMPT_NAMESPACES and "?" not in kwargs
        }
    )


def _template(name: str, kwargs: tuple[str, ...]) -> tuple[str, dict[str, str]] | None:
    """The URL with a recognisable stand-in for each parameter, or None if none fits its converter."""
    for make in (lambda i: str(777_000_001 + i), lambda i: str(uuid.UUID(int=777_000_001 + i))):
        stand_ins = {key: make(i) for i, key in enumerate(kwargs)}
        try:
            return reverse(name, kwargs=stand_ins), stand_ins
        except NoReverseMatch:
            continue
    return None


def _hostile_urls() -> list[tuple[str, str, tuple[str, ...]]]:
    """(test id, URL, methods) for every pattern and hostile value. Pages without parameters
    are only read: posting to them (signing out, say) would change what the walk goes on to see."""
    urls = []
    query_names = sorted(QUERY_NAMES | _filter_names())
    for name, kwargs in _patterns():
        template = _template(name, kwargs)
        assert template is not None, f"no stand-in value reverses {name}{kwargs}: teach _template a new kind"
        url, stand_ins = template
        if not kwargs:
            for label, value in HOSTILE_QUERY_VALUES.items():
                urls.append((f"{name}?{label}", f"{url}?{urlencode(dict.fromkeys(query_names, value))}", ("get",)))
            continue
        for key, stand_in in stand_ins.items():
            for label, value in HOSTILE_PATH_VALUES.items():
                urls.append((f"{name}[{key}={label}]", url.replace(stand_in, value), ("get", "post")))
    return urls


def test_the_walk_reaches_every_kind_of_url():
    patterns = _patterns()
    assert len(patterns) >= MIN_PATTERNS, f"the walk found only {len(patterns)} URL patterns"
    assert len([p for p in patterns if p[1]]) >= MIN_PATTERNS_WITH_PARAMETERS
    assert {"page", "service_area", "campaign", "project", "owner"} <= set(QUERY_NAMES | _filter_names())


def test_hostile_url_and_query_parameters_never_give_a_server_error(personas, world):  # noqa: F811
    urls = _hostile_urls()
    assert len(urls) >= MIN_PATTERNS * len(HOSTILE_QUERY_VALUES) // 2
    admin_client = personas.client_for(personas.members[Role.ADMIN])
    signed_out = personas.client_for(None)
    failures = []
    for test_id, url, methods in urls:
        for who, client in (("admin", admin_client), ("signed out", signed_out)):
            for method in methods if who == "admin" else ("get",):
                try:
                    # A savepoint each, so that on PostgreSQL one failure does not fail every later request.
                    with transaction.atomic():
                        status = getattr(client, method)(url).status_code
                except Exception as error:  # noqa: BLE001 - the walk reports every URL that fails, not the first
                    status = f"{type(error).__name__}: {str(error)[:120]}"
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"{method.upper()} {test_id} as {who}: {status}")
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures)


@pytest.mark.parametrize("page", ["99999999999999999999", "1000001", "\u00b2", "-1"])
def test_a_library_page_number_past_any_library_shows_a_page_of_it(personas, world, page):  # noqa: F811
    response = personas.client_for(personas.members[Role.ADMIN]).get(reverse("sharing:library"), {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == 1  # the last page, and the first: the library has one page


def test_a_nul_in_an_indicator_code_is_a_bad_request_page(personas, world):  # noqa: F811
    response = personas.client_for(personas.members[Role.ADMIN]).get("/indicators/%00/")
    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in response.content.decode()


def test_a_nul_in_the_api_is_a_json_bad_request(personas, world):  # noqa: F811
    for url in ("/api/indicators/%00/", "/api/ideas/?q=%00"):
        response = api_client_for(personas.members[Role.ADMIN]).get(url)
        assert response.status_code == 400, url
        assert response.json()["detail"]

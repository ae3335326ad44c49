"""Schemathesis fuzzes every API operation in its OpenAPI schema, in process against the WSGI
application, signed in by token as an admin of a council with data, and finds no server
error (security checklist item 43), and that every answer is one the schema describes: its
status code, content type, headers and body (nullable fields, error answers). Bounded to a
few examples an operation so that it runs in well under two minutes; raise FUZZ_EXAMPLES to
fuzz harder."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Role
from tests.api.conftest import api_client_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))

# The schema as the server generates it; no database is needed to describe the API.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


@pytest.fixture
def token_headers(personas, world, settings_):
    client = api_client_for(personas.members[Role.ADMIN])
    return {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}


@pytest.fixture
def settings_(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "testserver"]
    # The test's transaction must survive each request, as Django's own test client arranges:
    # at either end of a request Django closes a connection whose autocommit differs from its
    # settings, which inside a test's transaction (on PostgreSQL; SQLite's in-memory database
    # is never closed) would close the very connection the test runs in.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield settings
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_the_api_never_answers_with_a_server_error_nor_anything_its_schema_does_not_say(case, token_headers):
    case.call_and_validate(
        headers=token_headers,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
        ],
    )

"""Security settings: headers on every page, the production settings, cookies and Celery."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from kombu.exceptions import ContentDisallowed
from kombu.serialization import dumps, loads, prepare_accept_content

from accounts.models import Role
from config.celery import app as celery_app
from tests.accounts.conftest import sign_in
from tests.test_tenancy import url_names_and_kwargs

ROOT = Path(__file__).resolve().parents[2]
PAGES_WITHOUT_IDS = sorted(name for name, kwargs in url_names_and_kwargs() if not kwargs)
PROD_HOST = "lantern.example"


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def admin_client(personas):
    return personas.client_for(personas.members[Role.ADMIN])


@pytest.mark.parametrize("name", PAGES_WITHOUT_IDS)
def test_every_page_sends_the_security_headers(admin_client, name):
    response = admin_client.get(reverse(name))
    assert response.status_code < 500
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = parse_csp(response["Content-Security-Policy"])
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & {source for sources in csp.values() for source in sources}
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]


def test_sign_in_page_sends_the_headers_to_someone_signed_out(db):
    response = Client().get(reverse("accounts:sign-in"))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("name", PAGES_WITHOUT_IDS)
def test_http_trace_is_refused(admin_client, name):
    assert admin_client.generic("TRACE", reverse(name)).status_code in (400, 405)


@pytest.mark.parametrize("secure", [True, False])
def test_request_for_another_host_is_refused_under_production_settings(db, prod_settings, secure):
    with override_settings(**prod_settings):
        response = Client(HTTP_HOST="evil.example").get("/", secure=secure)
        assert Client(HTTP_HOST=PROD_HOST).get("/", secure=True).status_code == 200
    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in response.content.decode()


@pytest.mark.parametrize("path", ["/.git/config", "/.git/HEAD", "/static/", "/media/", "/.env", "/db.sqlite3"])
def test_no_stray_files_or_directory_listings_are_served(db, path):
    assert Client().get(path).status_code == 404


@pytest.mark.urls("tests.config.urls_boom")
def test_page_that_breaks_shows_a_plain_500_without_details(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    for detail in ("Traceback", "RuntimeError", "SELECT", "accounts_user", "settings"):
        assert detail not in page


def test_missing_page_is_a_plain_404(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# Production settings, read in a fresh interpreter with the environment operators set.


def run_with_env(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def production_env(**extra: str) -> dict[str, str]:
    return {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": PROD_HOST, **extra}


@pytest.mark.parametrize("secret_key", [None, "", "short", "django-insecure-" + "x" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    env = {"DEBUG": "0"} if secret_key is None else {"DEBUG": "0", "SECRET_KEY": secret_key}
    result = run_with_env(["-c", "import config.settings"], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY" in result.stderr


def test_deploy_check_passes_with_production_settings():
    result = run_with_env(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PROD_SETTING_NAMES = [
    "ALLOWED_HOSTS",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
]


@pytest.fixture(scope="module")
def prod_settings() -> dict:
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {PROD_SETTING_NAMES!r}}}))"
    )
    result = run_with_env(["-c", script], **production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_name_cookies_for_this_host_only(prod_settings):
    assert prod_settings["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert prod_settings["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert prod_settings["ALLOWED_HOSTS"] == [PROD_HOST]
    assert prod_settings["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert prod_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"]


def cookie_attributes(response, name) -> dict:
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"]}


def test_production_cookies_are_secure_httponly_and_lax(personas, password, prod_settings):
    with override_settings(**prod_settings):
        client = Client(HTTP_HOST=PROD_HOST)
        form = client.get(reverse("accounts:sign-in"), secure=True)
        csrf = cookie_attributes(form, "__Host-csrftoken")
        response = sign_in(client, personas.members[Role.OFFICER].user.email, password, secure=True)
        assert response.status_code == 302
        session = cookie_attributes(response, "__Host-sessionid")
        assert response.cookies["__Host-sessionid"]["path"] == "/"
        assert not response.cookies["__Host-sessionid"]["domain"]
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_production_sends_plain_http_to_https_with_hsts(db, prod_settings):
    with override_settings(**prod_settings):
        plain = Client().get("/", HTTP_HOST=PROD_HOST)
        secure = Client().get("/", HTTP_HOST=PROD_HOST, secure=True)
    assert plain.status_code == 301
    assert plain.url == f"https://{PROD_HOST}/"
    assert "max-age=31536000" in secure["Strict-Transport-Security"]
    assert "includeSubDomains" in secure["Strict-Transport-Security"]


def test_celery_accepts_json_only():
    assert celery_app.conf.accept_content == ["json"]
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.result_serializer == "json"


def test_celery_refuses_a_pickled_message():
    content_type, encoding, body = dumps({"args": []}, serializer="pickle")
    with pytest.raises(ContentDisallowed):
        loads(body, content_type, encoding, accept=prepare_accept_content(celery_app.conf.accept_content))

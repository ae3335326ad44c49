"""An admin makes, scopes, sees and revokes the organisation's API tokens on a page, and the API
honours what the page says: a key shown once and stored as a hash, read-only scope, expiry, revocation."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import api_tokens
from accounts.models import ApiToken, Role
from tests.factories import api_key_for

PAGES = ["accounts:tokens", "accounts:token-create"]


def _make(client, **overrides):
    data = {"name": "Performance dashboard", "scope": "read", "lifetime_days": "90", **overrides}
    return client.post(reverse("accounts:token-create"), data)


def _key_in(response) -> str:
    html = response.content.decode()
    start = html.index('id="api-token">') + len('id="api-token">')
    return html[start : html.index("</p>", start)].strip()


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.parametrize("name", PAGES)
def test_only_admins_reach_the_token_pages(personas, name):
    for role in Role.values:
        status = personas.client_for(personas.members[role]).get(reverse(name)).status_code
        assert status == (200 if role == Role.ADMIN else 403), role
    assert personas.client_for(None).get(reverse(name)).status_code == 302


def test_a_non_admin_cannot_make_or_revoke_a_token_by_posting(personas):
    admin = personas.members[Role.ADMIN]
    token, _ = api_tokens.api_token_create(
        actor=admin.user, organisation=personas.council, name="Feed", scope="read", lifetime_days=30
    )
    for role in (Role.OFFICER, Role.MANAGER, Role.MEMBER, Role.CURATOR, Role.AUDITOR):
        client = personas.client_for(personas.members[role])
        assert _make(client).status_code == 403
        assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_key_is_shown_once_and_only_its_hash_is_kept(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    response = _make(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = _key_in(response)
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix + ".")
    assert len(key) > 40
    assert key not in str(list(ApiToken.objects.values()))
    assert key not in str(list(ApiToken.history.values()))
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "Performance dashboard" in listing and token.prefix in listing
    assert key not in listing
    assert token.organisation == personas.council and token.created_by == personas.members[Role.ADMIN].user
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=90)).date()


def test_a_token_reads_the_api_and_its_last_use_is_recorded_at_most_once_a_minute(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    key = _key_in(_make(client))
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert _api(key).get(reverse("api:idea-list")).status_code == 200
        token.refresh_from_db()
        first = token.last_used_at
        assert first is not None
        clock.shift(dt.timedelta(seconds=30))
        _api(key).get(reverse("api:idea-list"))
        token.refresh_from_db()
        assert token.last_used_at == first
        clock.shift(dt.timedelta(seconds=61))
        _api(key).get(reverse("api:idea-list"))
        token.refresh_from_db()
        assert token.last_used_at > first
    assert "Never" not in client.get(reverse("accounts:tokens")).content.decode()


def test_a_read_only_token_may_not_change_anything(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    read_key = _key_in(_make(client, scope="read"))
    response = _api(read_key).post(reverse("api:idea-list"), {"title": "x"}, format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    write_key = _key_in(_make(client, name="Idea feed", scope="write"))
    response = _api(write_key).post(reverse("api:idea-list"), {"title": "x"}, format="json")
    assert response.status_code == 400  # through to the form's checks: the scope let it in


def test_an_expired_token_is_refused_with_401(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    key = _key_in(_make(client, lifetime_days="30"))
    assert _api(key).get(reverse("api:idea-list")).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        response = _api(key).get(reverse("api:idea-list"))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert "Expired" in client.get(reverse("accounts:tokens")).content.decode()


def test_a_revoked_token_is_refused_with_401_and_the_revocation_is_recorded(personas):
    admin = personas.members[Role.ADMIN]
    client = personas.client_for(admin)
    key = _key_in(_make(client))
    token = ApiToken.objects.get()
    assert _api(key).get(reverse("api:idea-list")).status_code == 200
    confirm = client.get(reverse("accounts:token-revoke", args=[token.pk]))
    assert "Are you sure you want to revoke" in confirm.content.decode()
    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    response = _api(key).get(reverse("api:idea-list"))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_by == admin.user
    reasons = [(h.history_change_reason, h.history_user) for h in token.history.order_by("history_date")]
    assert reasons == [("Token made", admin.user), ("Token revoked", admin.user)]
    again = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert again.status_code == 200


def test_a_wrong_key_is_refused_with_401_and_says_how_to_authenticate(personas, db):
    for key in ["nonsense", "abcd1234.wrong", "a" * 40, "ünï"]:
        response = APIClient().get(reverse("api:idea-list"), HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 401, key
        assert response["WWW-Authenticate"] == "Token"
    response = APIClient().get(reverse("api:idea-list"), HTTP_AUTHORIZATION="Token two parts")
    assert response.status_code == 401


def test_a_token_stops_when_its_maker_leaves_the_organisation(personas):
    admin = personas.members[Role.ADMIN]
    key = api_key_for(admin)
    assert _api(key).get(reverse("api:idea-list")).status_code == 200
    admin.is_active = False
    admin.save()
    assert _api(key).get(reverse("api:idea-list")).status_code == 401


def test_a_form_with_errors_says_what_to_fix_and_makes_nothing(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    response = client.post(reverse("accounts:token-create"), {"name": "  ", "scope": "root", "lifetime_days": "9999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    for message in ["Enter a name for the token", "Select what the token may do", "Select how long the token lasts"]:
        assert message in html
    assert not ApiToken.objects.exists()


def test_old_style_tokens_no_longer_authenticate(personas):
    from rest_framework.authtoken.models import Token

    old = Token.objects.create(user=personas.members[Role.ADMIN].user)
    assert _api(old.key).get(reverse("api:idea-list")).status_code == 401

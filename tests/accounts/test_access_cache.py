"""What a signed-in person may reach is kept in the cache between requests (accounts.access_cache):
every change to it shows on the very next request, and a light page costs almost no queries.

Every test runs twice: with the person's user row read from the database (as without Redis),
and kept in the cache with their access (PEOPLE_IN_CACHE, as with Redis)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access_cache, services
from accounts.models import Membership, Role, User
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("accounts:people")
HOME = reverse("home")
IDEAS = reverse("innovation:idea-list")  # a page only a signed-in person sees
LIGHT = reverse("accessibility")
NAV_PEOPLE = f'class="govuk-service-navigation__link" href="{PEOPLE}"'
NAV_REPORTS = f'class="govuk-service-navigation__link" href="{reverse("reports:index")}"'


@pytest.fixture(autouse=True, params=[False, True], ids=["row-from-database", "row-kept"])
def kept(request, settings):
    """Whether the person's user row is kept in the cache (PEOPLE_IN_CACHE)."""
    settings.PEOPLE_IN_CACHE = request.param
    return request.param


def _warm(client, path=HOME):
    """Two requests: the session's first records its sign-in time; the second reads the cache."""
    client.get(path)
    assert client.get(path).status_code == 200


def test_a_role_given_shows_on_the_next_request(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client)
    assert client.get(PEOPLE).status_code == 403
    services.membership_change_role(actor=personas.members[Role.ADMIN].user, membership=officer, role=Role.ADMIN)
    assert client.get(PEOPLE).status_code == 200


def test_a_role_taken_away_shows_on_the_next_request(personas):
    admin = personas.members[Role.ADMIN]
    client = personas.client_for(admin)
    _warm(client, PEOPLE)
    admin.role = Role.OFFICER
    admin.save(update_fields=["role"])
    assert client.get(PEOPLE).status_code == 403


def test_a_membership_deactivated_while_the_person_works_elsewhere_ends_access_at_once(personas):
    officer = personas.members[Role.OFFICER]
    MembershipFactory(user=officer.user, organisation=personas.other_council, role=Role.OFFICER)
    client = personas.client_for(officer)
    _warm(client, reverse("innovation:idea-list"))
    # Their sessions stay (they still work in the other council), but this council is gone.
    services.membership_deactivate(actor=personas.members[Role.ADMIN].user, membership=officer)
    response = client.get(reverse("innovation:idea-list"))
    assert response.status_code != 200 or "Ashby Vale District Council" not in response.content.decode()


def test_a_new_membership_shows_on_the_next_request(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client)
    assert "Kingsmere Council" not in client.get(reverse("accounts:choose-organisation")).content.decode()
    MembershipFactory(user=officer.user, organisation=personas.other_council, role=Role.OFFICER)
    assert "Kingsmere Council" in client.get(reverse("accounts:choose-organisation")).content.decode()


def test_an_invitation_and_its_acceptance_show_on_the_next_request(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client)
    assert "Invitations (1)" not in client.get(HOME).content.decode()
    invitation = Membership.objects.create(
        user=officer.user, organisation=personas.other_council, role=Role.OFFICER, is_active=False, accepted_at=None
    )
    assert "Invitations (1)" in client.get(HOME).content.decode()
    services.membership_accept(user=officer.user, membership=invitation)
    page = client.get(reverse("accounts:choose-organisation")).content.decode()
    assert "Kingsmere Council" in page and "Invitations (1)" not in page


def test_an_organisation_renamed_shows_on_the_next_request(personas):
    client = personas.client_for(personas.members[Role.OFFICER])
    _warm(client)
    personas.council.name = "Ashby Vale and Thornbury Council"
    personas.council.save()
    assert "Ashby Vale and Thornbury Council" in client.get(HOME).content.decode()


def test_an_authenticator_app_removed_asks_for_a_code_again_on_the_next_request(personas):
    manager = personas.members[Role.MANAGER]
    client = personas.client_for(manager)
    _warm(client)
    TOTPDevice.objects.filter(user=manager.user).delete()
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two-factor-verify"))


def test_an_authenticator_app_added_asks_an_officer_for_a_code_on_the_next_request(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client)
    # The session gave its code with the app client_for set up; a second, newer app is not it,
    # and the first one going leaves the session unverified, with an app still set up.
    TOTPDevice.objects.create(user=officer.user, name="New phone", confirmed=True)
    TOTPDevice.objects.filter(user=officer.user).order_by("pk").first().delete()
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two-factor-verify"))


def test_a_deactivated_person_is_signed_out_on_the_next_request(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client)
    user = User.objects.get(pk=officer.user.pk)
    user.is_active = False
    user.save()
    response = client.get(IDEAS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_saving_a_person_read_before_a_change_does_not_undo_it(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client)
    stale = User.objects.get(pk=officer.user.pk)  # read before the role changes
    officer.role = Role.ADMIN
    officer.save(update_fields=["role"])
    stale.full_name = "Renamed"
    stale.save()  # must not put the old access version back
    assert client.get(PEOPLE).status_code == 200


def test_a_light_page_signed_in_reads_only_the_session_and_the_person(personas, settings, kept):
    client = personas.client_for(personas.members[Role.MANAGER])
    _warm(client, LIGHT)
    with CaptureQueriesContext(connection) as page:
        assert client.get(LIGHT).status_code == 200
    tables = [q["sql"] for q in page.captured_queries]
    assert len(tables) == (1 if kept else 2), tables
    assert "django_session" in tables[0]
    assert kept or "accounts_user" in tables[1]


def test_with_sessions_in_the_cache_a_light_page_reads_only_the_person(personas, settings, kept):
    settings.SESSION_ENGINE = "accounts.sessions"
    client = personas.client_for(personas.members[Role.MANAGER])
    _warm(client, LIGHT)
    with CaptureQueriesContext(connection) as page:
        response = client.get(LIGHT)
    assert response.status_code == 200 and "Sign out" in response.content.decode()
    assert [q["sql"] for q in page.captured_queries if "accounts_user" not in q["sql"]] == []
    # With the person kept as well, a signed-in light page reads no table at all.
    assert len(page.captured_queries) == (0 if kept else 1)


def test_a_role_given_changes_the_navigation_on_the_next_request(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client, LIGHT)
    assert NAV_PEOPLE not in client.get(LIGHT).content.decode()
    officer.role = Role.ADMIN
    officer.save(update_fields=["role"])
    assert NAV_PEOPLE in client.get(LIGHT).content.decode()


def test_superuser_rights_given_and_taken_change_the_navigation_on_the_next_request(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client, LIGHT)
    assert NAV_REPORTS not in client.get(LIGHT).content.decode()
    user = User.objects.get(pk=officer.user.pk)
    user.is_superuser = True
    user.save()
    assert NAV_REPORTS in client.get(LIGHT).content.decode()
    user.is_superuser = False
    user.save()
    assert NAV_REPORTS not in client.get(LIGHT).content.decode()


def test_a_renamed_person_shows_on_the_next_request(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client, HOME)
    user = User.objects.get(pk=officer.user.pk)
    user.full_name = "Morwenna Quillfeather"
    user.save()
    assert "Welcome, Morwenna Quillfeather" in client.get(HOME).content.decode()


def test_with_sessions_in_the_cache_a_deactivated_person_is_signed_out(personas, settings):
    settings.SESSION_ENGINE = "accounts.sessions"
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client, LIGHT)
    user = User.objects.get(pk=officer.user.pk)
    user.is_active = False
    user.save(update_fields=["is_active"])  # their sessions left as they are
    response = client.get(LIGHT)
    assert "Sign out" not in response.content.decode()
    response = client.get(IDEAS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_with_sessions_in_the_cache_a_password_changed_ends_the_other_sessions(personas, signed_in, password, settings):
    settings.SESSION_ENGINE = "accounts.sessions"
    admin = personas.members[Role.ADMIN]
    laptop, phone = signed_in(admin), signed_in(admin)
    _warm(laptop, LIGHT)
    _warm(phone, LIGHT)
    new_password = "another long passphrase"
    laptop.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    # The phone first: the laptop's next request would itself refresh what is kept of the person.
    assert "Sign out" not in phone.get(LIGHT).content.decode()
    response = phone.get(PEOPLE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))
    assert laptop.get(PEOPLE).status_code == 200


def test_a_session_that_owes_its_code_still_owes_it_with_the_person_kept(personas, settings):
    settings.SESSION_ENGINE = "accounts.sessions"
    manager = personas.members[Role.MANAGER]
    verified = personas.client_for(manager)
    _warm(verified)  # the person is now kept in the cache, with their app
    owing = Client()
    owing.force_login(manager.user)  # the password given, no code
    response = owing.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two-factor-verify"))
    assert verified.get(HOME).status_code == 200


def test_an_entry_read_from_the_database_before_a_change_is_not_used_after_it(personas, settings, kept):
    # A request that misses the cache reads the stamp, then the database; if the person is
    # deactivated in between, what it keeps is under a stamp that is no longer theirs.
    settings.SESSION_ENGINE = "accounts.sessions"
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client, LIGHT)
    before, stamp = access_cache.person_from_cache(officer.user.pk)
    before = User.objects.get(pk=officer.user.pk)  # as the slow request read it
    user = User.objects.get(pk=officer.user.pk)
    user.is_active = False
    user.save()
    access_cache.person_keep(before, stamp or "a stamp read before the change")
    response = client.get(IDEAS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_with_sessions_in_the_cache_deactivation_ends_them(personas, settings):
    settings.SESSION_ENGINE = "accounts.sessions"
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    _warm(client)
    services.user_sessions_end(user=officer.user)
    response = client.get(IDEAS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def _session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_the_session_is_written_at_most_once_a_minute(personas):
    client = personas.client_for(personas.members[Role.OFFICER])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(HOME)  # the first request records the sign-in time
    with time_machine.travel(start + dt.timedelta(seconds=50), tick=False), CaptureQueriesContext(connection) as soon:
        assert client.get(HOME).status_code == 200
        soon_writes = _session_writes(soon.captured_queries)
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False), CaptureQueriesContext(connection) as later:
        assert client.get(HOME).status_code == 200
        later_writes = _session_writes(later.captured_queries)
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False), CaptureQueriesContext(connection) as again:
        assert client.get(HOME).status_code == 200
        again_writes = _session_writes(again.captured_queries)
    assert soon_writes == []
    assert later_writes != []
    assert again_writes == []


def test_a_request_within_the_minute_does_not_move_the_idle_limit_on(personas):
    client = personas.client_for(personas.members[Role.OFFICER])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(HOME)
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        assert client.get(HOME).status_code == 200  # not written: within the minute
    # Eight hours and a second after the last written request: signed out, even though the
    # request at 30 seconds was less than eight hours ago (at most a minute sooner, never later).
    with time_machine.travel(start + dt.timedelta(hours=8, seconds=1), tick=False):
        response = client.get(IDEAS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_with_redis_down_signed_in_pages_are_read_from_the_database(personas, settings):
    # Sessions and the cache pointed at a port nothing listens on: every cache call fails.
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{_free_port()}/0"}
    }
    settings.SESSION_ENGINE = "accounts.sessions"
    admin = personas.members[Role.ADMIN]
    client = personas.client_for(admin)
    assert client.get(PEOPLE).status_code == 200
    admin.role = Role.OFFICER
    admin.save(update_fields=["role"])
    assert client.get(PEOPLE).status_code == 403
    services.user_sessions_end(user=admin.user)
    response = client.get(IDEAS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


@pytest.mark.services
def test_with_real_redis_sessions_and_access_are_kept_there_and_ended_there(personas, settings, kept, monkeypatch):
    import os
    import uuid

    import redis

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL not set")
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }
    settings.SESSION_ENGINE = "accounts.sessions"
    manager = personas.members[Role.MANAGER]
    client = personas.client_for(manager)
    _warm(client, LIGHT)
    commands = []
    sent = redis.Redis.execute_command
    monkeypatch.setattr(
        redis.Redis, "execute_command", lambda self, *a, **k: commands.append(a[0]) or sent(self, *a, **k)
    )
    with CaptureQueriesContext(connection) as page:
        assert client.get(LIGHT).status_code == 200
    monkeypatch.undo()
    if kept:
        assert page.captured_queries == [], "session, person and access all from Redis"
        assert commands == ["EVALSHA"], "all in one round trip"
    else:
        assert len(page.captured_queries) == 1, "the person's row only: session and access from Redis"
        assert commands == ["GET", "MGET"], "the session, then access and unread count"
    services.user_sessions_end(user=manager.user)
    response = client.get(IDEAS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))

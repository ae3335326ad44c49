"""Two-factor sign-in (TOTP through django-otp): required of admins, managers and elected
members in the organisation they work in, chosen freely by anyone else, enforced on every
page and on the API's session (tokens unaffected), throttled, and reset by an admin."""

import base64
import datetime as dt
import json
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo
from accounts.middleware import ORGANISATION_SESSION_KEY, TwoFactorMiddleware
from accounts.models import Membership, Role
from tests.accounts.conftest import enter_code, sign_in
from tests.conftest import fresh_totp_code, totp_code, two_factor_device
from tests.factories import MembershipFactory, api_key_for
from tests.test_probe import NOT_OBJECTS
from tests.test_tenancy import REGISTRY, url_names_and_kwargs

HOME = reverse("home")
SETUP = reverse("accounts:two-factor-setup")
VERIFY = reverse("accounts:two-factor-verify")
STATUS = reverse("accounts:two-factor")
CHOOSE = reverse("accounts:choose-organisation")


def devices(user) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user))


def password_only(membership: Membership) -> Client:
    """A session that has given the password (force_login) but no two-factor code."""
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[ORGANISATION_SESSION_KEY] = membership.organisation_id
    session.save()
    return client


def shown_secret(page: str) -> str:
    groups = re.findall(r'class="lantern-secret-key__group">([A-Z2-7]{4})<', page)
    assert len(groups) == 8, page
    return "".join(groups)


def assert_qr_code_drawn(page: str) -> None:
    """The QR code's path has its modules in it: a version 4 code or larger, some 400 squares."""
    view_box = re.search(r'class="lantern-qr-code" viewBox="0 0 (\d+) \1"', page)
    path = re.search(r'<path d="([^"]*)"', page)
    assert view_box and int(view_box.group(1)) >= 33, "no QR code of a sensible size"
    assert path and path.group(1).count("M") > 300, "the QR code has no modules drawn"


def app_code(secret: str) -> str:
    """What an authenticator app given `secret` shows now."""
    return f"{totp(base64.b32decode(secret)):06d}"


def wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def assert_refused(response, message: str):
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert message in page
    assert "<title>Error:" in page


# Who must use it.


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.MEMBER])
def test_a_role_that_needs_it_is_sent_to_set_it_up_after_the_password(personas, password, role):
    client = Client()
    response = sign_in(client, personas.members[role].user.email, password)
    assert response.url == HOME
    response = client.get(HOME, follow=True)
    assert response.redirect_chain == [(f"{VERIFY}?next=%2F", 302), (f"{SETUP}?next=%2F", 302)]
    page = response.content.decode()
    assert "Set up two-factor sign-in" in page
    assert f"Your role in {personas.council.name} means that you need a code" in page
    assert '<svg class="lantern-qr-code"' in page
    assert_qr_code_drawn(page)
    shown_secret(page)
    # Nothing but the way out until they have set it up.
    assert "Organisation and navigation" not in page
    assert "Sign out" in page


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CURATOR, Role.AUDITOR])
def test_other_roles_are_not_asked_for_a_code(personas, password, role):
    client = Client()
    sign_in(client, personas.members[role].user.email, password)
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Welcome" in response.content.decode()
    assert devices(personas.members[role].user) == []


def test_an_officer_may_set_it_up_and_is_then_asked_for_the_code(personas, password):
    officer = personas.members[Role.OFFICER]
    client = Client()
    sign_in(client, officer.user.email, password)
    page = client.get(STATUS).content.decode()
    assert "Off" in page and "you can choose to use it" in page
    secret = shown_secret(client.get(SETUP).content.decode())
    assert client.post(SETUP, {"code": app_code(secret)}).url == HOME

    fresh = Client()
    sign_in(fresh, officer.user.email, password)
    assert fresh.get(HOME).url == f"{VERIFY}?next=%2F"
    assert enter_code(fresh, officer.user).url == HOME
    assert fresh.get(HOME).status_code == 200


# Setting up.


def test_a_wrong_code_at_set_up_is_refused_and_sets_nothing_up(personas, password):
    manager = personas.members[Role.MANAGER]
    client = Client()
    sign_in(client, manager.user.email, password)
    secret = shown_secret(client.get(SETUP).content.decode())

    response = client.post(SETUP, {"code": wrong(app_code(secret))})

    assert_refused(response, "The code is not right")
    assert shown_secret(response.content.decode()) == secret  # the same key to try again with
    assert devices(manager.user) == []
    assert client.get(HOME).url.startswith(VERIFY)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "The code must be 6 numbers"),
        ("12a456", "The code must be 6 numbers"),
        ("１２３４５６", "The code must be 6 numbers"),
        ("1" * 21, "The code must be 6 numbers"),
    ],
)
def test_a_code_that_is_not_six_numbers_gets_a_clear_message(personas, password, code, message):
    client = Client()
    sign_in(client, personas.members[Role.MANAGER].user.email, password)
    assert_refused(client.post(SETUP, {"code": code}), message)
    assert devices(personas.members[Role.MANAGER].user) == []


def test_the_right_code_sets_it_up_and_lets_them_in_where_they_were_going(personas, password):
    manager = personas.members[Role.MANAGER]
    client = Client()
    client.post(reverse("accounts:sign-in"), {"username": manager.user.email, "password": password, "next": "/ideas/"})
    response = client.get("/ideas/", follow=True)
    secret = shown_secret(response.content.decode())
    key_before = client.session.session_key

    response = client.post(SETUP, {"code": app_code(secret)[:3] + " " + app_code(secret)[3:], "next": "/ideas/"})

    assert response.status_code == 302 and response.url == "/ideas/"
    (device,) = devices(manager.user)
    assert device.confirmed and device.key == base64.b32decode(secret).hex()
    assert client.session.session_key != key_before
    page = client.get(HOME).content.decode()
    assert "Two-factor sign-in is set up" in page
    assert client.get("/ideas/").status_code == 200


def test_the_code_that_set_it_up_cannot_sign_in_again(personas, password):
    manager = personas.members[Role.MANAGER]
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, 0, tzinfo=dt.UTC), tick=False):
        client = Client()
        sign_in(client, manager.user.email, password)
        code = app_code(shown_secret(client.get(SETUP).content.decode()))
        client.post(SETUP, {"code": code})

        again = Client()
        sign_in(again, manager.user.email, password)
        assert_refused(again.post(VERIFY, {"code": code}), "The code is not right")
        assert again.get(HOME).status_code == 302


def test_an_unknown_next_address_after_the_code_goes_home(personas, password):
    manager = personas.members[Role.MANAGER]
    two_factor_device(manager.user)
    client = Client()
    sign_in(client, manager.user.email, password)
    response = client.post(
        VERIFY, {"code": fresh_totp_code(two_factor_device(manager.user)), "next": "https://evil.example/"}
    )
    assert response.url == HOME


# Signing in with the code.


def test_someone_with_an_app_is_asked_for_its_code_and_a_right_one_lets_them_in(personas, password):
    manager = personas.members[Role.MANAGER]
    device = two_factor_device(manager.user)
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = Client()
        sign_in(client, manager.user.email, password)
        page = client.get(HOME, follow=True).content.decode()
        assert "Enter the code from your authenticator app" in page
        assert "<h1" in page and "I do not have my authenticator app" in page

        assert_refused(client.post(VERIFY, {"code": wrong(totp_code(device))}), "The code is not right")
        assert client.get(HOME).status_code == 302
        clock.shift(2)  # a wrong code makes the next try wait a second
        assert client.post(VERIFY, {"code": totp_code(device)}).url == HOME
        for url in (HOME, "/ideas/", "/projects/", "/risk/", STATUS, reverse("innovation:notification-settings")):
            assert client.get(url).status_code == 200, url


def test_wrong_codes_make_the_next_try_wait_and_the_wait_passes(personas, password):
    manager = personas.members[Role.MANAGER]
    device = two_factor_device(manager.user)
    start = dt.datetime(2026, 5, 4, 9, 0, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        sign_in(client, manager.user.email, password)
        for _ in range(4):
            clock.shift(30)  # past the previous wait: these are all counted as guesses
            assert_refused(client.post(VERIFY, {"code": wrong(totp_code(device))}), "The code is not right")
        device.refresh_from_db()
        assert device.throttling_failure_count == 4

        # Four wrong codes: the next try waits 8 seconds, and even the right code is refused.
        response = client.post(VERIFY, {"code": totp_code(device)})
        assert_refused(response, "You have entered too many wrong codes. Wait 8 seconds, then try again")
        assert client.get(HOME).status_code == 302
        clock.shift(5)
        assert_refused(client.post(VERIFY, {"code": totp_code(device)}), "Wait 3 seconds")
        device.refresh_from_db()
        assert device.throttling_failure_count == 4  # a refused try is not another guess

        clock.shift(4)
        assert client.post(VERIFY, {"code": totp_code(device)}).url == HOME
        assert client.get(HOME).status_code == 200
        device.refresh_from_db()
        assert device.throttling_failure_count == 0


def test_the_wait_doubles_with_every_wrong_code(personas, password):
    manager = personas.members[Role.MANAGER]
    device = two_factor_device(manager.user)
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = Client()
        sign_in(client, manager.user.email, password)
        for _ in range(10):
            clock.shift(600)
            client.post(VERIFY, {"code": wrong(totp_code(device))})
        assert_refused(client.post(VERIFY, {"code": totp_code(device)}), "Wait 9 minutes, then try again")


# Enforcement on every page and on the API.


def _site_urls(personas) -> list[tuple[str, str]]:
    urls = []
    for name, kwargs in url_names_and_kwargs():
        if name.startswith("admin:") and name != "admin:index":
            continue
        if kwargs:
            builder = REGISTRY.get(name)
            kwargs = builder(personas) if builder else NOT_OBJECTS[name]()
        urls.append((name, reverse(name, kwargs=kwargs or None)))
    return urls


def test_a_manager_without_the_code_is_sent_to_give_it_from_every_page_and_refused_by_the_api(personas):
    client = password_only(personas.members[Role.MANAGER])
    problems = []
    for name, url in _site_urls(personas):
        response = client.get(url)
        if name.startswith("api:") and name != "api:docs":
            if response.status_code != 403 or b"authenticator app" not in response.content:
                problems.append(f"{name} {url} → {response.status_code}, expected a 403 from the API")
        elif name in TwoFactorMiddleware.OPEN:
            if response.status_code == 302 and response.url.startswith(VERIFY):
                problems.append(f"{name} {url} should stay open before the code")
        elif response.status_code != 302 or response.url != f"{VERIFY}?next={_quoted(url)}":
            problems.append(f"{name} {url} → {response.status_code} {response.get('Location')}")
    assert not problems, "\n".join(problems)


def _quoted(url: str) -> str:
    from urllib.parse import quote

    return quote(url, safe="")


def test_a_post_without_the_code_changes_nothing_and_goes_to_the_code_page(personas):
    client = password_only(personas.members[Role.ADMIN])
    response = client.post(reverse("accounts:person-deactivate", args=[personas.members[Role.OFFICER].pk]))
    assert response.status_code == 302 and response.url == VERIFY
    personas.members[Role.OFFICER].refresh_from_db()
    assert personas.members[Role.OFFICER].is_active


def test_an_htmx_request_without_the_code_loads_the_code_page_whole(personas):
    response = password_only(personas.members[Role.MANAGER]).get("/ideas/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{VERIFY}?next=%2Fideas%2F"


def test_the_api_refuses_a_session_without_the_code_even_beside_a_header_that_is_not_a_token(personas):
    client = password_only(personas.members[Role.MANAGER])
    response = client.get("/api/ideas/", HTTP_AUTHORIZATION="Bearer something")
    assert response.status_code == 403
    assert "authenticator app" in json.loads(response.content)["detail"]
    response = client.post("/api/ideas/", {}, content_type="application/json")
    assert response.status_code == 403


def test_an_integrations_token_is_not_affected(personas):
    manager = personas.members[Role.MANAGER]
    key = api_key_for(manager)
    response = Client().get("/api/ideas/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    # Even from a browser whose session has not given the code: the token says who it is.
    response = password_only(manager).get("/api/ideas/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_the_api_answers_a_session_that_has_given_the_code(personas):
    assert personas.client_for(personas.members[Role.MANAGER]).get("/api/ideas/").status_code == 200


def test_an_officer_without_an_app_uses_the_api_from_the_browser(personas):
    assert password_only(personas.members[Role.OFFICER]).get("/api/ideas/").status_code == 200


def test_reset_password_pages_stay_open_before_the_code(personas):
    client = password_only(personas.members[Role.MANAGER])
    for name in ("accounts:password-reset", "accounts:password-reset-done", "accounts:password-reset-complete"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("accounts:password-reset-confirm", args=["MQ", "set-password"])).status_code == 200


def test_resetting_a_forgotten_password_does_not_get_round_the_code(personas, django_capture_on_commit_callbacks):
    from tests.accounts.test_password_reset import NEW_PASSWORD, ask_for_reset, reset_link, set_new_password

    manager = personas.members[Role.MANAGER]
    two_factor_device(manager.user)
    ask_for_reset(manager.user.email, django_capture_on_commit_callbacks)
    client = Client()
    assert set_new_password(client, reset_link()).url == reverse("accounts:password-reset-complete")
    assert client.get("/ideas/").url.startswith(reverse("accounts:sign-in"))  # the reset signed nobody in
    sign_in(client, manager.user.email, NEW_PASSWORD)
    assert client.get("/ideas/").url == f"{VERIFY}?next=%2Fideas%2F"


# Several organisations.


@pytest.fixture
def officer_here_manager_there(personas):
    """An officer of the council who is also a manager of the other council."""
    officer = personas.members[Role.OFFICER]
    MembershipFactory(user=officer.user, organisation=personas.other_council, role=Role.MANAGER)
    return officer


def test_switching_to_an_organisation_where_the_role_needs_it_asks_for_it(
    officer_here_manager_there, personas, password
):
    client = Client()
    sign_in(client, officer_here_manager_there.user.email, password)
    # Which organisation first: whether a code is needed depends on it.
    assert client.get(HOME).url == f"{CHOOSE}?next=%2F"
    client.post(CHOOSE, {"organisation": personas.council.pk})
    assert client.get(HOME).status_code == 200  # an officer here

    response = client.post(CHOOSE, {"organisation": personas.other_council.pk, "next": "/ideas/"})
    assert response.url == "/ideas/"
    assert client.get("/ideas/").url == f"{VERIFY}?next=%2Fideas%2F"
    page = client.get("/ideas/", follow=True).content.decode()
    assert "Your role in Kingsmere Council means that you need a code" in page
    # Switching back needs no code: the choice stays open.
    client.post(CHOOSE, {"organisation": personas.council.pk})
    assert client.get(HOME).status_code == 200
    # The API may be told either organisation in a header, so it wants the code.
    assert client.get("/api/ideas/").status_code == 403


def test_after_the_code_switching_keeps_the_session_verified(officer_here_manager_there, personas, password):
    client = Client()
    sign_in(client, officer_here_manager_there.user.email, password)
    client.post(CHOOSE, {"organisation": personas.other_council.pk})
    enter_code(client, officer_here_manager_there.user)
    # The choice's confirmation waits past the code page for the page they were going to.
    assert "You are now working in Kingsmere Council." in client.get(HOME).content.decode()
    client.post(CHOOSE, {"organisation": personas.council.pk})
    client.post(CHOOSE, {"organisation": personas.other_council.pk})
    assert client.get(HOME).status_code == 200


# Their own page: status, and a new app.


def test_the_two_factor_page_shows_it_is_on_and_a_new_app_replaces_the_old(personas):
    manager = personas.members[Role.MANAGER]
    client = personas.client_for(manager)
    old = two_factor_device(manager.user)
    page = client.get(STATUS).content.decode()
    assert "On" in page and "means that you must use two-factor sign-in" in page
    assert "Set up a new authenticator app" in page

    page = client.get(SETUP).content.decode()
    assert "Set up a new authenticator app" in page and "Organisation and navigation" in page
    secret = shown_secret(page)
    assert_refused(client.post(SETUP, {"code": wrong(app_code(secret))}), "The code is not right")
    assert devices(manager.user) == [old]

    assert client.post(SETUP, {"code": app_code(secret)}).url == HOME
    (new,) = devices(manager.user)
    assert new.pk != old.pk and new.key == base64.b32decode(secret).hex()
    assert client.get(STATUS).status_code == 200  # still signed in, with the new app


def test_without_the_code_the_app_cannot_be_replaced(personas, password):
    manager = personas.members[Role.MANAGER]
    two_factor_device(manager.user)
    client = Client()
    sign_in(client, manager.user.email, password)
    assert client.get(SETUP).url == f"{VERIFY}?next=%2F"
    assert client.post(SETUP, {"code": "123456"}).url == f"{VERIFY}?next=%2F"
    assert len(devices(manager.user)) == 1


# Recovery: an admin resets it.


def test_an_admin_resets_a_persons_two_factor_sign_in(personas, password):
    admin, manager = personas.members[Role.ADMIN], personas.members[Role.MANAGER]
    their_client = personas.client_for(manager)
    admin_client = personas.client_for(admin)
    page = admin_client.get(manager.get_absolute_url()).content.decode()
    reset_url = reverse("accounts:person-two-factor-reset", args=[manager.pk])
    assert "Set up" in page and reset_url in page

    assert "Are you sure you want to reset two-factor sign-in" in admin_client.get(reset_url).content.decode()
    response = admin_client.post(reset_url, follow=True)

    page = response.content.decode()
    assert "two-factor sign-in has been reset" in page
    assert f"Two-factor sign-in reset by {admin.user.email}" in page  # in the person's changes
    assert "Not set up" in page
    assert devices(manager.user) == []
    # Signed out everywhere: whoever held a session must give the password again.
    assert their_client.get("/ideas/").url.startswith(reverse("accounts:sign-in"))
    client = Client()
    sign_in(client, manager.user.email, password)
    assert client.get(HOME, follow=True).redirect_chain[-1][0] == f"{SETUP}?next=%2F"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.MEMBER, Role.CURATOR, Role.AUDITOR])
def test_only_admins_may_reset_it(personas, role):
    target = personas.members[Role.ADMIN] if role != Role.ADMIN else personas.members[Role.MANAGER]
    two_factor_device(target.user)
    client = personas.client_for(personas.members[role])
    url = reverse("accounts:person-two-factor-reset", args=[target.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert len(devices(target.user)) == 1


def test_an_admin_of_another_council_gets_404(personas):
    other_admin = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN)
    manager = personas.members[Role.MANAGER]
    two_factor_device(manager.user)
    response = personas.client_for(other_admin).post(reverse("accounts:person-two-factor-reset", args=[manager.pk]))
    assert response.status_code == 404
    assert len(devices(manager.user)) == 1


def test_resetting_someone_without_an_app_or_yourself_is_refused_clearly(personas):
    admin, member = personas.members[Role.ADMIN], personas.members[Role.MEMBER]
    client = personas.client_for(admin)
    response = client.post(reverse("accounts:person-two-factor-reset", args=[member.pk]))
    assert response.status_code == 200
    assert "has not set up two-factor sign-in, so there is nothing to reset" in response.content.decode()
    response = client.post(reverse("accounts:person-two-factor-reset", args=[admin.pk]))
    assert "You cannot reset your own two-factor sign-in" in response.content.decode()
    assert len(devices(admin.user)) == 1
    assert member.history.count() == 1 and admin.history.count() == 1


# The demo data.


@pytest.fixture
def demo_seeded(settings, db):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.seed()


def test_demo_people_who_need_it_have_the_published_demo_app(demo_seeded):
    with_app = set(
        TOTPDevice.objects.filter(confirmed=True, key=demo.DEMO_TOTP_KEY).values_list("user__email", flat=True)
    )
    assert demo.demo_email("ashby", Role.MANAGER) in with_app
    assert demo.demo_email("kingsmere", Role.MEMBER) in with_app
    assert demo.demo_email("network", Role.ADMIN) in with_app
    assert demo.MULTI_EMAIL in with_app
    assert demo.demo_email("ashby", Role.OFFICER) not in with_app
    assert demo.demo_email("ashby", Role.AUDITOR) not in with_app
    demo.seed()
    assert TOTPDevice.objects.count() == len(with_app)  # run twice, nothing added


def test_demo_totp_code_prints_the_code_that_signs_a_demo_person_in(demo_seeded):
    email = demo.demo_email("ashby", Role.MANAGER)
    out = StringIO()
    call_command("demo_totp_code", email, stdout=out)
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    client = Client()
    sign_in(client, email, demo.DEMO_PASSWORD)
    assert client.post(VERIFY, {"code": code}).url == HOME
    assert client.get(HOME).status_code == 200


def test_demo_totp_code_is_for_demo_people_and_development_only(demo_seeded, settings, personas):
    with pytest.raises(CommandError, match="no demo authenticator app"):
        call_command("demo_totp_code", demo.demo_email("ashby", Role.OFFICER), stdout=StringIO())
    two_factor_device(personas.members[Role.MANAGER].user)  # an app of their own, not the demo key
    with pytest.raises(CommandError, match="no demo authenticator app"):
        call_command("demo_totp_code", personas.members[Role.MANAGER].user.email, stdout=StringIO())
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=1"):
        call_command("demo_totp_code", demo.demo_email("ashby", Role.MANAGER), stdout=StringIO())


def test_the_demo_key_is_the_published_one_and_a_real_app_would_accept_it():
    assert base64.b32encode(bytes.fromhex(demo.DEMO_TOTP_KEY)).decode() == demo.DEMO_TOTP_SECRET
    assert len(bytes.fromhex(demo.DEMO_TOTP_KEY)) == 20

"""Signing in and out: by email in any case, sessions that rotate and end, and no hints
to someone guessing which addresses have accounts."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession
from tests.accounts.conftest import enter_code, sign_in
from tests.factories import MembershipFactory

SIGN_IN = reverse("accounts:sign-in")
PEOPLE = reverse("accounts:people")


@pytest.fixture
def admin(personas):
    return personas.members["admin"]


def test_person_signs_in_with_their_email_in_any_case(admin, password):
    client = Client()
    response = sign_in(client, admin.user.email.upper(), password)
    assert response.status_code == 302
    assert response.url == reverse("home")
    enter_code(client, admin.user)
    page = client.get(reverse("home")).content.decode()
    assert f"Welcome, {admin.user.get_short_name()}" in page


def test_session_key_changes_when_person_signs_in(admin, password):
    client = Client()
    before = client.session
    before["seen_start_page"] = True
    before.save()
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    sign_in(client, admin.user.email, password)
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()


def test_signing_out_needs_a_post(admin, signed_in):
    client = signed_in(admin)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert client.get(PEOPLE).status_code == 200


def test_old_cookie_replayed_after_signing_out_is_sent_to_sign_in(admin, signed_in):
    client = signed_in(admin)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("accounts:sign-out"))
    assert response.url == reverse("accounts:signed-out")

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = replay.get(PEOPLE)
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example", "//evil.example/path", "https:/evil.example", "javascript:alert(1)"]
)
def test_sign_in_never_redirects_to_another_site(admin, password, next_url):
    response = Client().post(
        f"{SIGN_IN}?next={next_url}", {"username": admin.user.email, "password": password, "next": next_url}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_sign_in_follows_next_within_lantern(admin, password):
    response = Client().post(SIGN_IN, {"username": admin.user.email, "password": password, "next": PEOPLE})
    assert response.url == PEOPLE


def test_unknown_email_and_wrong_password_get_the_same_answer(admin):
    unknown = sign_in(Client(), "nobody@council.example", "a wrong password here")
    wrong = sign_in(Client(), admin.user.email, "a wrong password here")
    assert unknown.status_code == wrong.status_code == 200
    for response in (unknown, wrong):
        page = response.content.decode()
        assert "Enter a correct email address and password" in page
        assert "There is a problem" in page
    # The pages differ only in the email address typed back and the CSRF token.
    assert unknown.context["form"].errors == wrong.context["form"].errors


def test_empty_sign_in_form_says_what_to_enter(db):
    page = Client().post(SIGN_IN, {}).content.decode()
    assert "Enter your email address" in page
    assert "Enter your password" in page


def test_person_whose_account_is_disabled_cannot_sign_in(admin, password):
    admin.user.is_active = False
    admin.user.save()
    response = sign_in(Client(), admin.user.email, password)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_disabling_an_account_signs_out_its_sessions(admin, signed_in):
    client = signed_in(admin)
    admin.user.is_active = False
    admin.user.save()
    response = client.get(PEOPLE)
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


def test_signed_in_person_visiting_sign_in_goes_home(admin, signed_in):
    client = signed_in(admin)
    response = client.get(f"{SIGN_IN}?next=https://evil.example")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_person_with_no_organisation_is_told_so(db, password):
    membership = MembershipFactory(is_active=False)
    client = Client()
    sign_in(client, membership.user.email, password)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 403
    assert "You do not belong to an organisation" in response.content.decode()


def test_ended_sessions_are_forgotten_when_the_person_next_signs_in(admin, signed_in):
    first = signed_in(admin)
    first.post(reverse("accounts:sign-out"))
    second = signed_in(admin)
    keys = set(UserSession.objects.filter(user=admin.user).values_list("session_key", flat=True))
    assert keys == {second.cookies[settings.SESSION_COOKIE_NAME].value}


def test_changing_password_signs_out_the_persons_other_sessions(admin, signed_in, password):
    laptop, phone = signed_in(admin), signed_in(admin)
    new_password = "another long passphrase"
    laptop.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    assert laptop.get(PEOPLE).status_code == 200
    response = phone.get(PEOPLE)
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)

"""Login throttling: ten wrong passwords lock that email from that address for 15 minutes."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.accounts.conftest import sign_in

WRONG = "not the right password at all"
LOCKED = "Too many attempts to sign in"
AXES_FAILURE_LIMIT = 10


@pytest.fixture
def person(personas, password, settings):
    # Dozens of sign-ins here; a fast hasher keeps the file quick. Hashing has its own test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for membership in personas.members.values():
        membership.user.set_password(password)
        membership.user.save()
    return personas.members["officer"].user


def fail_ten_times(client, email, **extra):
    for _ in range(AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, email, WRONG, **extra).status_code == 200
    # The tenth wrong password is answered with the lockout page.
    assert_locked_out(sign_in(client, email, WRONG, **extra))


def assert_locked_out(response):
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_ten_failures_then_the_right_password_is_refused(person, password):
    client = Client()
    fail_ten_times(client, person.email)
    assert_locked_out(sign_in(client, person.email, password))


def test_nine_failures_do_not_lock_the_account(person, password):
    client = Client()
    for _ in range(AXES_FAILURE_LIMIT - 1):
        sign_in(client, person.email, WRONG)
    assert sign_in(client, person.email, password).status_code == 302


def test_lockout_page_says_what_happened_and_how_to_reset(person, password):
    client = Client()
    fail_ten_times(client, person.email)
    page = sign_in(client, person.email, password).content.decode()
    assert "for 15 minutes" in page
    assert "reset your password" in page


def test_right_password_is_still_refused_after_14_minutes(person, password):
    client = Client()
    fail_ten_times(client, person.email)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=14)):
        assert_locked_out(sign_in(client, person.email, password))


def test_right_password_works_again_after_15_minutes(person, password):
    client = Client()
    fail_ten_times(client, person.email)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=15, seconds=30)):
        response = sign_in(client, person.email, password)
    assert response.status_code == 302


def test_changing_the_case_of_the_email_does_not_reset_the_count(person, password):
    client = Client()
    for attempt in range(AXES_FAILURE_LIMIT):
        variant = person.email.upper() if attempt % 2 else person.email.title()
        sign_in(client, variant, WRONG)
    assert_locked_out(sign_in(client, person.email, password))


def test_forged_forwarded_for_header_does_not_reset_the_count(person, password):
    client = Client()
    for attempt in range(AXES_FAILURE_LIMIT):
        sign_in(client, person.email, WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    assert_locked_out(sign_in(client, person.email, password, HTTP_X_FORWARDED_FOR="198.51.100.7"))


def test_lockout_is_for_that_email_only(personas, person, password):
    client = Client()
    fail_ten_times(client, person.email)
    colleague = personas.members["manager"].user
    assert sign_in(client, colleague.email, password).status_code == 302

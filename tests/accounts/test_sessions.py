"""Session limits: eight hours idle, or twelve hours after signing in however busy."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import sign_in

PAGE = reverse("accounts:password-change")  # any page that needs a signed-in person


@pytest.fixture
def start():
    return timezone.now()


@pytest.fixture
def client_at_start(personas, password, start):
    client = Client()
    with time_machine.travel(start, tick=False):
        assert sign_in(client, personas.members["officer"].user.email, password).status_code == 302
    return client


def visit_after(client, start, **elapsed):
    with time_machine.travel(start + dt.timedelta(**elapsed), tick=False):
        return client.get(PAGE)


def assert_sent_to_sign_in(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_eight_hours_without_a_request_signs_the_person_out(client_at_start, start):
    assert_sent_to_sign_in(visit_after(client_at_start, start, hours=8, minutes=1))


def test_just_under_eight_hours_idle_is_still_signed_in(client_at_start, start):
    assert visit_after(client_at_start, start, hours=7, minutes=55).status_code == 200


def test_each_request_restarts_the_idle_clock(client_at_start, start):
    assert visit_after(client_at_start, start, hours=6).status_code == 200
    assert visit_after(client_at_start, start, hours=11, minutes=30).status_code == 200


def test_twelve_hours_after_signing_in_the_person_must_sign_in_again(client_at_start, start):
    for hours in (3, 6, 9, 11.9):
        assert visit_after(client_at_start, start, hours=hours).status_code == 200
    assert_sent_to_sign_in(visit_after(client_at_start, start, hours=12, minutes=1))


def test_signing_in_again_starts_a_fresh_twelve_hours(personas, password, client_at_start, start):
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=1), tick=False):
        assert_sent_to_sign_in(client_at_start.get(PAGE))
        sign_in(client_at_start, personas.members["officer"].user.email, password)
    assert visit_after(client_at_start, start, hours=20).status_code == 200


def test_sign_in_page_says_why_after_twelve_hours(client_at_start, start):
    visit_after(client_at_start, start, hours=6)
    response = visit_after(client_at_start, start, hours=12, minutes=1)
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=2), tick=False):
        page = client_at_start.get(response.url).content.decode()
        assert "Lantern signs you out 12 hours after you sign in" in page
        again = client_at_start.get(reverse("accounts:sign-in")).content.decode()
    assert "12 hours after you sign in" not in again, "said once only"

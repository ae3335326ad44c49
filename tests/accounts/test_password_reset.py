"""Resetting a forgotten password: the same answer for every address, an email only to a
real account, sent by a Celery task, and a link that works once and for an hour."""

import datetime as dt
import re
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import tasks
from tests.accounts.conftest import sign_in

RESET = reverse("accounts:password-reset")
NEW_PASSWORD = "a brand new lantern passphrase"
ANSWER = "If an account exists for that email address"


@pytest.fixture
def person(personas):
    return personas.members["officer"].user


def ask_for_reset(email, capture):
    with capture(execute=True):
        return Client().post(RESET, {"email": email}, follow=True)


def reset_link() -> str:
    (message,) = mail.outbox
    return re.search(r"https?://[^/]+(/password/reset/\S+/)", message.body).group(1)


def set_new_password(client, link, password=NEW_PASSWORD):
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"], "the link should still work"
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


@pytest.mark.parametrize("known", [True, False])
def test_reset_always_answers_if_an_account_exists(person, known, django_capture_on_commit_callbacks):
    response = ask_for_reset(person.email if known else "nobody@council.example", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert ANSWER in response.content.decode()
    assert len(mail.outbox) == (1 if known else 0)


def test_reset_email_goes_only_to_the_account_in_any_case(person, django_capture_on_commit_callbacks):
    ask_for_reset(person.email.upper(), django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject == "Reset your Lantern password"
    assert "works once and for 1 hour" in message.body


def test_reset_email_is_queued_as_a_celery_task_after_commit(person, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.send_email, "delay") as delay,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        Client().post(RESET, {"email": person.email})
        assert not delay.called, "nothing is sent before the transaction commits"
    assert len(callbacks) == 1
    callbacks[0]()
    delay.assert_called_once()
    assert delay.call_args.kwargs["to"] == [person.email]


def test_disabled_account_gets_no_reset_email(person, django_capture_on_commit_callbacks):
    person.is_active = False
    person.save()
    response = ask_for_reset(person.email, django_capture_on_commit_callbacks)
    assert ANSWER in response.content.decode()
    assert mail.outbox == []


def test_reset_link_sets_a_password_that_signs_in(person, django_capture_on_commit_callbacks):
    ask_for_reset(person.email, django_capture_on_commit_callbacks)
    response = set_new_password(Client(), reset_link())
    assert response.url == reverse("accounts:password-reset-complete")
    assert sign_in(Client(), person.email, NEW_PASSWORD).status_code == 302


def test_reset_link_works_only_once(person, django_capture_on_commit_callbacks):
    ask_for_reset(person.email, django_capture_on_commit_callbacks)
    link = reset_link()
    set_new_password(Client(), link)
    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "This link has expired or has already been used" in again.content.decode()


def test_reset_link_expires_after_an_hour(person, django_capture_on_commit_callbacks):
    ask_for_reset(person.email, django_capture_on_commit_callbacks)
    link = reset_link()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=59)):
        assert Client().get(link, follow=True).context["validlink"]
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, seconds=5)):
        response = Client().get(link, follow=True)
    assert not response.context["validlink"]
    assert "This link has expired or has already been used" in response.content.decode()


def test_empty_reset_form_asks_for_an_email_address(db):
    page = Client().post(RESET, {}).content.decode()
    assert "There is a problem" in page
    assert "Enter your email address" in page

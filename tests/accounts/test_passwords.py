"""Password policy: long passwords of any characters, no common ones, stored as a slow hash."""

import pytest
from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from tests.accounts.conftest import sign_in
from tests.factories import MembershipFactory

COMMON = CommonPasswordValidator().passwords
# Printable Unicode: letters, marks, numbers, punctuation, symbols and spaces, in any mix.
printable = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def test_common_password_of_twelve_characters_is_rejected():
    with pytest.raises(ValidationError) as error:
        password_validation.validate_password("password1234")
    assert "This password is too common." in error.value.messages


def test_password_of_eleven_characters_is_rejected():
    with pytest.raises(ValidationError) as error:
        password_validation.validate_password("qz7!kd93-vw")
    assert any("at least 12 characters" in message for message in error.value.messages)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=printable, min_size=15, max_size=128).filter(lambda p: p.lower().strip() not in COMMON))
def test_any_long_printable_password_not_in_the_common_list_is_accepted(candidate):
    user = User(email="ann.jones@council.example", full_name="Ann Jones")
    password_validation.validate_password(candidate, user=user)


def test_long_password_of_digits_only_is_accepted():
    # No composition rules: a long password is strong whatever it is made of.
    password_validation.validate_password("839201746583920174")


@pytest.mark.django_db
def test_hundred_character_password_round_trips_without_truncation(password):
    long_password = "ünïcödé horse 🐴 battery staple " * 3 + "0123456789"
    long_password = long_password[:100]
    assert len(long_password) == 100
    user = User.objects.create_user(email="long@council.example", full_name="Long Password", password=long_password)
    assert user.check_password(long_password)
    assert not user.check_password(long_password[:99])
    assert not user.check_password(long_password[:72])
    MembershipFactory(user=user)
    assert sign_in(Client(), user.email, long_password).status_code == 302
    assert sign_in(Client(), user.email, long_password[:72]).status_code == 200


@pytest.mark.django_db
def test_stored_password_is_pbkdf2_with_a_million_iterations():
    user = User.objects.create_user(email="hash@council.example", full_name="Hash", password="a long enough passphrase")
    assert user.password.startswith("pbkdf2_sha256$1000000$")
    assert "a long enough passphrase" not in user.password


@pytest.mark.django_db
def test_changing_password_needs_the_current_one(personas, password):
    person = personas.members["officer"]
    client = personas.client_for(person)
    response = client.post(
        reverse("accounts:password-change"),
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert response.status_code == 200
    person.user.refresh_from_db()
    assert person.user.check_password(password)

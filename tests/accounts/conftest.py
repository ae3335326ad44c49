"""Signing in through the real form (not force_login), as a person's browser does."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import fresh_totp_code, two_factor_device


def sign_in(client: Client, email: str, password: str, **extra):
    return client.post(reverse("accounts:sign-in"), {"username": email, "password": password}, **extra)


def enter_code(client: Client, user, **extra):
    """Gives the two-factor code from the person's app (set up now if they have none)."""
    code = fresh_totp_code(two_factor_device(user))
    return client.post(reverse("accounts:two-factor-verify"), {"code": code}, **extra)


@pytest.fixture
def signed_in(password):
    """Signs a membership's person in through the sign-in page and the two-factor code page,
    and returns their client."""

    def _signed_in(membership, client: Client | None = None) -> Client:
        client = client or Client()
        response = sign_in(client, membership.user.email, password)
        assert response.status_code == 302, response.content.decode()
        response = enter_code(client, membership.user)
        assert response.status_code == 302, response.content.decode()
        return client

    return _signed_in

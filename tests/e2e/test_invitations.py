"""Inviting someone who already has an account, in a real browser: Kingsmere's admin invites
Ashby Vale's admin, sees only what they typed, and Ashby Vale's admin accepts from their
Invitations page. Every page axe clean."""

import pytest
from playwright.sync_api import expect

from accounts.models import Membership, Role

pytestmark = pytest.mark.e2e


def test_someone_with_an_account_accepts_an_invitation_from_their_invitations_page(
    page, demo, sign_in, axe_check, screenshot
):
    ashby_admin = demo.email("ashby", Role.ADMIN)
    sign_in(page, demo.email("kingsmere", Role.ADMIN))
    page.goto("/people/invite/")
    page.get_by_label("Full name").fill("Pat Typed-By-Kingsmere")
    page.get_by_label("Email address").fill(ashby_admin)
    page.get_by_label("Officer").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"We have sent an invitation to {ashby_admin}.")).to_be_visible()
    page.get_by_role("link", name="Pat Typed-By-Kingsmere").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Invitation sent, not yet accepted")
    axe_check(page)
    page.context.clear_cookies()

    sign_in(page, ashby_admin)
    page.get_by_role("link", name="Invitations (1)").click()
    expect(page.get_by_role("heading", level=2, name="Kingsmere Council")).to_be_visible()
    axe_check(page)
    screenshot(page, "invitations")
    page.get_by_role("button", name="Accept the invitation to Kingsmere Council").click()
    expect(page.get_by_text("You have joined Kingsmere Council as officer.")).to_be_visible()
    assert Membership.objects.get(user__email=ashby_admin, organisation__name="Kingsmere Council").is_active

"""Two-factor sign-in in a real browser: a manager sets it up from the key the page shows and
reaches the dashboard, is asked for a code the next time, sees it on their own page, and an
admin resets it for someone who has lost their phone. Every page axe clean."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import Membership, Role

pytestmark = pytest.mark.e2e


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app given `secret` shows now (or a step of 30 seconds later)."""
    return f"{totp(base64.b32decode(secret), drift=steps_ahead):06d}"


def give_password(page, email: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_a_manager_sets_up_two_factor_sign_in_from_the_key_shown_and_reaches_the_dashboard(
    page, demo, axe_check, screenshot
):
    email = demo.email("ashby", Role.MANAGER)
    TOTPDevice.objects.filter(user__email=email).delete()  # as after an admin's reset

    give_password(page, email, demo.password)

    expect(page).to_have_url(re.compile(r"/two-factor/set-up/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code that adds Lantern to your authenticator app")).to_be_visible()
    # Its squares are really drawn: the path covers most of the code's 200 pixels.
    assert page.locator(".lantern-qr-code path").evaluate("path => path.getBoundingClientRect().width") > 150
    # Nothing to wander off to before it is set up; signing out is still there.
    expect(page.get_by_role("region", name="Organisation and navigation")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    axe_check(page)
    screenshot(page, "two-factor-setup")

    secret = "".join(page.locator(".lantern-secret-key__group").all_inner_texts())
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    wrong = f"{(int(code_for(secret)) + 500_000) % 1_000_000:06d}"
    page.get_by_label("Code from your authenticator app").fill(wrong)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(re.compile(r"^Error: Set up two-factor sign-in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("The code is not right"))).to_be_visible()
    assert "".join(page.locator(".lantern-secret-key__group").all_inner_texts()) == secret
    axe_check(page)
    screenshot(page, "two-factor-setup-error")

    page.get_by_label("Code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_text("Two-factor sign-in is set up")).to_be_visible()
    assert TOTPDevice.objects.get(user__email=email, confirmed=True).key == base64.b32decode(secret).hex()

    # Next time: the code page. The code just used is spent, so the app's next one is given.
    page.get_by_role("button", name="Sign out").click()
    give_password(page, email, demo.password)
    expect(page).to_have_url(re.compile(r"/two-factor/code/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    axe_check(page)
    screenshot(page, "two-factor-code")
    page.get_by_label("Enter the code from your authenticator app").fill(code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_a_member_sees_two_factor_sign_in_is_on_from_the_footer(page, demo, sign_in, axe_check, screenshot):
    sign_in(page, demo.email("ashby", Role.MEMBER))

    page.get_by_role("contentinfo").get_by_role("link", name="Two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    expect(page.locator(".govuk-summary-list")).to_contain_text("On")
    expect(page.get_by_text("means that you must use two-factor sign-in")).to_be_visible()
    axe_check(page)
    screenshot(page, "two-factor-status")
    page.get_by_role("button", name="Set up a new authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a new authenticator app")
    axe_check(page)


def test_an_admin_resets_the_two_factor_sign_in_of_someone_who_lost_their_phone(
    page, demo, sign_in, axe_check, screenshot
):
    ashby = demo.organisations["ashby"]
    manager = Membership.objects.get(organisation=ashby, user__email=demo.email("ashby", Role.MANAGER))
    sign_in(page, demo.email("ashby", Role.ADMIN))

    page.goto(manager.get_absolute_url())
    page.get_by_role("link", name="Reset two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("reset two-factor sign-in for Tom Okafor")
    axe_check(page)
    screenshot(page, "person-two-factor-reset")
    page.get_by_role("button", name="Yes, reset two-factor sign-in").click()

    expect(page.get_by_text("Tom Okafor’s two-factor sign-in has been reset")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Not set up")
    expect(page.get_by_role("table")).to_contain_text("Two-factor sign-in reset by admin@ashby.example")
    axe_check(page)
    assert not TOTPDevice.objects.filter(user=manager.user).exists()

"""The language switch in a real browser: choosing Cymraeg makes the page Welsh, and the choice
stays with the person after signing out and in again, on a browser that has forgotten it too.
Every page axe clean in both languages."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role, User

pytestmark = pytest.mark.e2e


def test_choosing_cymraeg_makes_lantern_welsh_and_it_stays_after_signing_in_again(
    page, demo, sign_in, axe_check, screenshot
):
    officer = demo.email("ashby", Role.OFFICER)
    sign_in(page, officer)
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    axe_check(page)

    page.get_by_role("button", name="Newid yr iaith i’r Gymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("navigation", name="Dewis iaith")).to_be_visible()
    expect(page.locator('[aria-current="true"][lang="cy"]')).to_have_text("Cymraeg")
    assert User.objects.get(email=officer).language == "cy"
    axe_check(page)
    screenshot(page, "language-welsh")

    # Signed out, the browser remembers it...
    page.locator(".lantern-header__sign-out").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    axe_check(page)
    screenshot(page, "language-signed-out")

    # ...and on a browser that has forgotten it, signing in brings it back.
    page.context.clear_cookies()
    sign_in(page, officer)
    expect(page.locator("html")).to_have_attribute("lang", "cy")

    page.get_by_role("button", name="Change the language to English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    assert User.objects.get(email=officer).language == "en-gb"

"""Single sign-on in a real browser, through real OpenID Connect providers on 127.0.0.1
(tests/oidc_provider): an officer of one council signs in with its council account and is refused
by another's; a council requiring single sign-on refuses the password; its admin connects the
provider on a page that never shows the secret back. Lantern's pages axe clean at both widths."""

import pytest
from playwright.sync_api import expect

from accounts.models import IdentityProvider, Role
from tests.factories import PASSWORD, MembershipFactory
from tests.oidc_provider.fixtures import PASSWORD as IDP_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.idp]

PHONE = {"width": 375, "height": 812}


def _axe_both_widths(page, axe_check):
    axe_check(page)
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    axe_check(page)
    page.set_viewport_size(original)


def _sign_in_with_council_account(page, council: str, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    page.get_by_label("Which council do you work for?").select_option(label=council)
    page.get_by_role("button", name="Continue").click()
    # The council's own sign-in page, at its provider.
    expect(page.get_by_role("heading", name="Sign in to your council account")).to_be_visible()
    page.get_by_label("Username").fill(email)
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in to the council").click()
    page.wait_for_load_state()


def test_an_officer_signs_in_with_one_councils_account_and_is_refused_by_anothers(
    page, live_server, sso_councils, axe_check, screenshot
):
    page.goto("/sign-in/council/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your council account")
    _axe_both_widths(page, axe_check)
    screenshot(page, "sso-start")

    _sign_in_with_council_account(page, "Ashby Vale District Council", "officer@ashby.test")
    expect(page.get_by_text("Welcome, Olu")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Ashby Vale District Council")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    link = page.get_by_role("link", name="Sign out of your council account too")
    assert link.get_attribute("href").startswith(sso_councils.idps["ashby"].issuer + "/logout/")
    _axe_both_widths(page, axe_check)

    # The same officer, through Kingsmere's provider: Kingsmere does not know them.
    _sign_in_with_council_account(page, "Kingsmere Council", "officer@ashby.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("You could not be signed in")
    expect(page.locator("main")).to_contain_text("You do not have a Lantern account at Kingsmere Council")
    _axe_both_widths(page, axe_check)
    screenshot(page, "sso-refused")
    page.goto("/")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_a_council_requiring_single_sign_on_refuses_the_password(page, live_server, sso_councils, axe_check):
    council = sso_councils.ashby
    admin = MembershipFactory(organisation=council, role=Role.ADMIN, user__email="admin@ashby.test")
    council.sso_required = True
    council.sso_break_glass = admin.user
    council.save()
    officer = sso_councils.members["officer@ashby.test"].user
    officer.set_password(PASSWORD)
    officer.save()

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Ashby Vale District Council asks you to sign in with your council account"
    )
    _axe_both_widths(page, axe_check)
    # Their council account still signs them in.
    _sign_in_with_council_account(page, "Ashby Vale District Council", officer.email)
    expect(page.get_by_text("Welcome, Olu")).to_be_visible()


def test_an_admin_connects_the_provider_and_never_sees_the_secret_again(
    page, live_server, sso_councils, sign_in, axe_check, screenshot
):
    council = sso_councils.ashby
    admin = MembershipFactory(organisation=council, role=Role.ADMIN, user__email="admin@ashby.test")
    # Hashed now, with the browser tests' fast hasher (the factories' hash is made once per run).
    admin.user.set_password(PASSWORD)
    admin.user.save()
    IdentityProvider.objects.filter(organisation=council).delete()
    sign_in(page, admin.user.email, PASSWORD)
    page.get_by_role("link", name="Single sign-on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on for Ashby Vale District Council")
    expect(page.locator("main")).to_contain_text("/sign-in/council/callback/")

    page.get_by_role("button", name="Save single sign-on settings").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the issuer URL")
    expect(summary).to_contain_text("Enter the client secret")
    _axe_both_widths(page, axe_check)

    idp = sso_councils.idps["ashby"]
    page.get_by_label("Issuer URL").fill(idp.issuer)
    page.get_by_label("Client ID").fill(idp.client_id)
    page.get_by_label("Client secret").fill(idp.client_secret)
    page.get_by_label("Require single sign-on").check()
    page.get_by_label("Break-glass admin").select_option(label=f"{admin.user.full_name} ({admin.user.email})")
    page.get_by_role("button", name="Save single sign-on settings").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Single sign-on settings saved.")
    expect(page.locator("main")).to_contain_text("A secret is stored; enter a new one to replace it.")
    assert page.get_by_label("Client secret").input_value() == ""
    assert idp.client_secret not in page.content()
    _axe_both_widths(page, axe_check)
    screenshot(page, "sso-settings")

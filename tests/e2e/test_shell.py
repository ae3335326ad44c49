"""The shell in a real browser: signing in and out, choosing and switching organisation,
navigation by role, and every shell page free of accessibility problems."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Membership, Role
from config.context_processors import NAVIGATION

pytestmark = pytest.mark.e2e

ASHBY = "Ashby Vale District Council"
KINGSMERE = "Kingsmere Council"


def service_navigation(page):
    return page.get_by_role("region", name="Organisation and navigation")


def navigation_labels(page) -> list[str]:
    return [label.strip() for label in page.locator("#navigation > li").all_inner_texts()]


def expected_navigation(email: str, organisation) -> list[str]:
    """What the role rules say this person may reach, in NAVIGATION's order."""
    user = Membership.objects.select_related("user").get(user__email=email, organisation=organisation).user
    return [label for label, _, perm in NAVIGATION if perm is None or user.has_perm(perm, organisation)]


def test_playwright_drives_debians_chromium(browser):
    from importlib.metadata import version

    assert version("playwright") == "1.64.1"
    assert browser.version.split(".")[0] == "156"


def test_the_stylesheet_and_govuk_frontend_javascript_load(page, demo):
    page.goto("/sign-in/")

    # GOV.UK Frontend's JavaScript ran (as a module from 'self', under the CSP).
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    # Our compiled stylesheet applied: the header is GOV.UK black, in a system font.
    header = page.locator(".govuk-generic-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(11, 12, 12)"
    assert "system-ui" in page.locator("h1").evaluate("el => getComputedStyle(el).fontFamily")


@pytest.mark.parametrize("role", Role.values)
def test_each_role_signs_in_and_sees_the_navigation_its_role_allows(page, demo, sign_in, role):
    email = demo.email("ashby", role)

    sign_in(page, email)

    if role == Role.PARTNER:
        # A partner's home is the campaigns opened to their organisation, nothing of the council's own.
        expect(page).to_have_url(re.compile(r"/partner/campaigns/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Campaigns for you")
    else:
        expect(page).to_have_url(re.compile(r"/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    navigation = service_navigation(page)
    expect(navigation).to_contain_text(ASHBY)
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_be_visible()
    labels = navigation_labels(page)
    assert labels == expected_navigation(email, demo.organisations["ashby"])
    # Only admins and auditors look after the list of people.
    assert ("People" in labels) == (role in {Role.ADMIN, Role.AUDITOR})
    # One organisation: nothing to switch to.
    expect(navigation.get_by_role("link", name="Switch organisation")).to_have_count(0)


def test_a_wrong_password_shows_the_error_summary_and_the_field_error(page, demo, sign_in):
    sign_in(page, demo.email("ashby", Role.OFFICER), password="not-the-password")

    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter a correct email address and password")).to_be_visible()
    # GOV.UK Frontend moves focus to the summary so that screen readers announce it.
    expect(summary).to_be_focused()
    # Nobody is signed in: the navigation and "Sign out" only show to people who are.
    expect(service_navigation(page)).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_an_empty_sign_in_form_says_what_to_enter_beside_each_field(page, demo):
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in", exact=True).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter your email address")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your password")).to_be_visible()
    expect(page.locator("#id_username-error")).to_have_text(re.compile("Enter your email address"))
    expect(page.locator("#id_password-error")).to_have_text(re.compile("Enter your password"))
    # Following a link in the summary puts the cursor in the field.
    summary.get_by_role("link", name="Enter your password").click()
    expect(page.get_by_label("Password", exact=True)).to_be_focused()


def test_someone_in_two_organisations_chooses_one_at_sign_in_then_switches(page, demo, sign_in, give_two_factor_code):
    sign_in(page, demo.multi_email)

    expect(page.get_by_role("heading", name="Which organisation are you working in?")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the organisation you want to work in")
    page.get_by_label(KINGSMERE, exact=False).check()
    page.get_by_role("button", name="Continue").click()
    # A manager there: the two-factor code comes after the choice, which decides whether it is needed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    give_two_factor_code(page, demo.multi_email)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(service_navigation(page)).to_contain_text(KINGSMERE)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"You are now working in {KINGSMERE}")

    service_navigation(page).get_by_role("link", name="Switch organisation").click()
    expect(page.get_by_label(KINGSMERE, exact=False)).to_be_checked()
    page.get_by_label(ASHBY, exact=False).check()
    page.get_by_role("button", name="Continue").click()

    expect(service_navigation(page)).to_contain_text(ASHBY)
    expect(service_navigation(page)).not_to_contain_text(KINGSMERE)
    expect(page.get_by_text(f"signed in as manager for {ASHBY}")).to_be_visible()


def test_signing_out_ends_the_session(page, demo, sign_in):
    sign_in(page, demo.email("kingsmere", Role.ADMIN))
    page.goto("/people/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"People in {KINGSMERE}")

    page.get_by_role("banner").get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    expect(service_navigation(page)).to_have_count(0)
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/people/"))


def test_the_menu_button_opens_the_navigation_on_a_phone(page, demo, sign_in):
    sign_in(page, demo.email("ashby", Role.ADMIN))
    page.set_viewport_size({"width": 375, "height": 812})
    navigation = service_navigation(page)
    menu = navigation.get_by_role("button", name="Menu")
    people = navigation.get_by_role("link", name="People")

    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(people).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(people).to_be_visible()


def test_sign_out_shows_on_a_phone_without_opening_the_menu(page, demo, sign_in):
    sign_in(page, demo.email("ashby", Role.OFFICER))
    page.set_viewport_size({"width": 375, "height": 812})

    expect(service_navigation(page).get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_be_visible()


# --- Every shell page passes axe-core at WCAG 2.2 AA (and is photographed for a person to look at).


def _fill_nothing_and_submit(page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


ANONYMOUS_PAGES = {
    "start": ("/", None),
    "sign-in": ("/sign-in/", None),
    "sign-in-errors": ("/sign-in/", lambda page: _fill_nothing_and_submit(page, "Sign in")),
    "password-reset": ("/password/reset/", None),
    "password-reset-errors": ("/password/reset/", lambda page: _fill_nothing_and_submit(page, "Send")),
    "signed-out": ("/signed-out/", None),
    "accessibility": ("/accessibility/", None),
    "privacy": ("/privacy/", None),
    "not-found": ("/no-such-page/", None),
}


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_public_page_has_no_accessibility_problems(page, demo, axe_check, screenshot, name):
    path, action = ANONYMOUS_PAGES[name]
    page.goto(path)
    if action:
        action(page)
    screenshot(page, name)
    axe_check(page)


def _person(demo, role: str) -> Membership:
    return Membership.objects.get(user__email=demo.email("ashby", role), organisation=demo.organisations["ashby"])


SIGNED_IN_PAGES = {
    "home": lambda page, demo: page.goto("/"),
    "people": lambda page, demo: page.goto("/people/"),
    "invite-errors": lambda page, demo: (
        page.goto("/people/invite/"),
        _fill_nothing_and_submit(page, "Send invitation"),
    ),
    "person-detail": lambda page, demo: page.goto(f"/people/{_person(demo, Role.OFFICER).pk}/"),
    "person-change-role": lambda page, demo: page.goto(f"/people/{_person(demo, Role.OFFICER).pk}/role/"),
    "person-deactivate": lambda page, demo: page.goto(f"/people/{_person(demo, Role.OFFICER).pk}/deactivate/"),
    "password-change": lambda page, demo: page.goto("/password/change/"),
    "not-found-signed-in": lambda page, demo: page.goto("/people/999999/"),
}


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_admin_page_has_no_accessibility_problems(page, demo, sign_in, axe_check, screenshot, name):
    sign_in(page, demo.email("ashby", Role.ADMIN))
    SIGNED_IN_PAGES[name](page, demo)
    screenshot(page, name)
    axe_check(page)


def test_choose_organisation_page_has_no_accessibility_problems(page, demo, sign_in, axe_check, screenshot):
    sign_in(page, demo.multi_email)
    screenshot(page, "choose-organisation")
    axe_check(page)
    _fill_nothing_and_submit(page, "Continue")
    screenshot(page, "choose-organisation-errors")
    axe_check(page)

"""An admin makes an API token in a real browser, the API answers it, the admin revokes it and
the API refuses it. Every page axe clean at desktop and at 375px, and no wider than a phone."""

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from accounts.models import ApiToken, Role

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}


def _axe_both_widths(page, axe_check):
    axe_check(page)
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    axe_check(page)
    page.set_viewport_size(original)


def _api_status(base_url: str, key: str) -> tuple[int, dict]:
    url = f"{base_url}/api/ideas/"  # the test's own live server, over http
    request = urllib.request.Request(url, headers={"Authorization": f"Token {key}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_an_admin_makes_and_revokes_a_token_and_the_api_refuses_the_revoked_one(
    page, live_server, demo, sign_in, axe_check, screenshot
):
    sign_in(page, demo.email("kingsmere", Role.ADMIN))
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("API tokens")
    _axe_both_widths(page, axe_check)

    page.get_by_role("button", name="Make a new token").click()
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the token")
    _axe_both_widths(page, axe_check)
    page.get_by_label("Name").fill("Performance dashboard")
    page.get_by_label("Read only").check()
    page.get_by_label("90 days").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", name="Token made")).to_be_visible()
    key = page.locator("#api-token").inner_text().strip()
    assert ApiToken.objects.get(name="Performance dashboard").key_hash != key
    _axe_both_widths(page, axe_check)
    screenshot(page, "api-token-made")

    status, body = _api_status(live_server.url, key)
    assert status == 200 and "results" in body

    page.get_by_role("button", name="I have copied it").click()
    row = page.get_by_role("row").filter(has_text="Performance dashboard")
    expect(row).to_contain_text("Read only")
    expect(row).to_contain_text("Active")
    expect(page.locator("main")).not_to_contain_text(key)
    screenshot(page, "api-tokens")
    row.get_by_role("link", name="Revoke").click()
    _axe_both_widths(page, axe_check)
    page.get_by_role("button", name="Yes, revoke the token").click()
    expect(page.get_by_text("The token “Performance dashboard” has been revoked.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Performance dashboard")).to_contain_text("Revoked")
    _axe_both_widths(page, axe_check)

    status, body = _api_status(live_server.url, key)
    assert status == 401
    assert "revoked" in body["detail"]


def test_an_admin_adds_an_own_indicator_and_retires_it(page, demo, sign_in, axe_check, screenshot):
    sign_in(page, demo.email("kingsmere", Role.ADMIN))
    page.get_by_role("link", name="Indicators", exact=True).click()
    _axe_both_widths(page, axe_check)
    page.get_by_role("button", name="Add an indicator").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a code")
    _axe_both_widths(page, axe_check)
    page.get_by_label("Code").fill("LOCAL-REPAIRS")
    page.get_by_label("Name").fill("Repairs done right first time")
    page.get_by_label("Unit").fill("%")
    page.get_by_label("Higher is better").check()
    page.get_by_label("Quarterly").check()
    page.get_by_label("Which service does it measure?").select_option("housing")
    page.get_by_role("button", name="Save").click()
    row = page.get_by_role("row").filter(has_text="LOCAL-REPAIRS")
    expect(row).to_contain_text("In use")
    screenshot(page, "indicators")
    row.get_by_role("link", name="Retire or delete").click()
    _axe_both_widths(page, axe_check)
    page.get_by_role("button", name="Retire it").click()
    expect(page.get_by_role("row").filter(has_text="LOCAL-REPAIRS")).to_contain_text("Retired")
    page.goto("/service-areas/")
    _axe_both_widths(page, axe_check)
    screenshot(page, "service-areas")

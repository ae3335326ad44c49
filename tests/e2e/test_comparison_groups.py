"""A manager switches the gap report's comparison group and sees the quartile change (the
hand-worked example of tests/portfolio/test_comparison_groups.py, with Ashby Vale as A: quartile 3
of every organisation, 2 of the district councils, 1 of its nearest neighbours)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from portfolio import gaps
from tests.e2e.conftest import PHONE
from tests.portfolio.test_comparison_groups import build_example

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots/grp")


def _quartile(page):
    return page.locator("#indicators tbody tr").first.locator("td").nth(4)


def test_a_manager_switches_group_and_the_quartile_changes(page, demo, sign_in, axe_check, screenshot):
    build_example(a=demo.organisations["ashby"])
    gaps.gap_reports_build()
    sign_in(page, demo.email("ashby", Role.MANAGER))
    page.goto("/performance/")
    expect(page.locator("#comparison-group")).to_contain_text("All reporting organisations")
    expect(_quartile(page)).to_contain_text("3")
    expect(_quartile(page)).to_contain_text("percentile 50.0")

    page.get_by_label("Compare with").select_option(label="Same kind: district councils")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#comparison-group")).to_contain_text("Same kind: district councils")
    expect(_quartile(page)).to_contain_text("percentile 62.5")
    expect(_quartile(page)).to_contain_text("2")
    axe_check(page)
    screenshot(page, "gap-report-comparison-group")
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / "report-kind-desktop.png"), full_page=True)

    page.get_by_label("Compare with").select_option(label="15 nearest neighbours")
    page.get_by_role("button", name="Show").click()
    expect(_quartile(page)).to_contain_text("1 (best)")

    page.get_by_role("link", name="Comparison groups and nearest neighbours").click()
    expect(page.locator("#neighbour-list tbody tr")).to_have_count(5)
    axe_check(page)
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / "groups-desktop.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.goto("/performance/?group=kind")
    expect(_quartile(page)).to_contain_text("percentile 62.5")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / "report-kind-phone.png"), full_page=True)
    page.goto("/performance/groups/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / "groups-phone.png"), full_page=True)


def test_an_admin_defines_a_shared_group(page, demo, sign_in, axe_check):
    build_example(a=demo.organisations["ashby"])
    sign_in(page, demo.email("ashby", Role.ADMIN))
    page.goto("/performance/groups/new/")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the group")
    axe_check(page)
    page.get_by_label("Name").fill("Coastal districts")
    page.get_by_label("Organisations in the group").fill("E07000003\nE07000004")
    page.get_by_label("Share this group with other organisations in the sector").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coastal districts")
    expect(page.locator("#members tbody tr")).to_have_count(2)
    axe_check(page)
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / "group-detail-desktop.png"), full_page=True)

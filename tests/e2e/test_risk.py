"""Risk assessment in a real browser: a manager builds an assessment with the risk of not
innovating, reviews a risk, and filters the organisation's register by band, where each heat
map cell's count matches the risks it links to. Every page passes axe at WCAG 2.2 AA."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User

pytestmark = pytest.mark.e2e


@pytest.fixture
def project(demo):
    from tests.factories import ProjectFactory

    manager = User.objects.get(email=demo.email("ashby", "manager"))
    return ProjectFactory(organisation=demo.organisations["ashby"], owner=manager, title="Text reminders for bin days")


def _scale(page, legend: str, option: str):
    page.get_by_role("group", name=legend).get_by_label(option, exact=True).check()


def _add_risk(page, *, title, category, inherent, residual):
    page.get_by_label("Risk", exact=True).fill(title)
    if category:
        page.get_by_role("group", name="Category").get_by_label(category, exact=True).check()
    page.get_by_label("Risk owner").select_option(label="Tom Okafor")
    _scale(page, "Likelihood before controls", inherent[0])
    _scale(page, "Impact before controls", inherent[1])
    _scale(page, "Likelihood after controls", residual[0])
    _scale(page, "Impact after controls", residual[1])
    page.get_by_role("button", name="Add the risk").click()


def _register_count(page) -> int:
    text = page.locator("#risk-count").inner_text()
    match = re.search(r"of (\d+) risks?", text)
    return int(match.group(1)) if match else 0


def test_manager_builds_an_assessment_reviews_a_risk_and_filters_the_register_by_band(
    page, demo, sign_in, axe_check, screenshot, project
):
    sign_in(page, demo.email("ashby", "manager"))
    page.goto(f"/risk/projects/{project.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk assessment")
    expect(page.locator("#approval-readiness")).to_contain_text("cannot go to approval")
    axe_check(page)

    # A risk of going ahead; a first try with nothing filled in shows the error summary.
    page.get_by_role("button", name="Add a risk of going ahead").click()
    page.get_by_role("button", name="Add the risk").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the risk")
    axe_check(page)
    _add_risk(
        page,
        title="Supplier cannot deliver on time",
        category="Delivery",
        inherent=("4 – Likely", "4 – Major"),
        residual=("2 – Unlikely", "3 – Moderate"),
    )
    expect(page.get_by_text("is on the register")).to_be_visible()

    # The risk of not innovating: the category comes already chosen.
    page.get_by_role("button", name="Add the risk of not innovating").click()
    expect(
        page.get_by_role("group", name="Category").get_by_label("Missed opportunity (not innovating)")
    ).to_be_checked()
    _add_risk(
        page,
        title="Missed collections keep rising if nothing changes",
        category=None,
        inherent=("4 – Likely", "3 – Moderate"),
        residual=("2 – Unlikely", "2 – Minor"),
    )

    page.get_by_role("link", name="Write the summary and recommendation").click()
    page.get_by_label("Summary").fill("A late supplier is manageable; more missed bins are not.")
    page.get_by_label("Recommendation").fill("Go ahead.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#approval-readiness")).to_have_text("This risk assessment is ready for approval.")
    axe_check(page)
    screenshot(page, "risk-project-register")

    # Review the supplier risk: it has become more likely.
    page.locator("#risk-register").get_by_role("link", name="Supplier cannot deliver on time").click()
    page.get_by_role("button", name="Review this risk").click()
    axe_check(page)
    _scale(page, "Likelihood after controls", "3 – Possible")
    _scale(page, "Impact after controls", "4 – Major")
    page.get_by_label("What has changed").fill("The supplier has missed its first deadline.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Your review is saved.")).to_be_visible()
    history = page.locator("#risk-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("The supplier has missed its first deadline.")
    expect(history.first).to_contain_text("12 High")
    axe_check(page)
    screenshot(page, "risk-detail")

    # The organisation's register, filtered by residual band.
    page.get_by_role("link", name="Risks", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk register")
    page.get_by_label("Residual band").select_option(label="High")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"band=high"))
    rows = page.locator("#risk-register tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Supplier cannot deliver on time")
    expect(rows.first).to_contain_text("Up from 6")
    axe_check(page)
    screenshot(page, "risk-register-high")

    # Each heat map cell's number is the count of the register it links to.
    page.goto("/risk/")
    cells = page.locator("td[data-count] a")
    links = [
        (int(link.locator("xpath=..").get_attribute("data-count")), link.get_attribute("href")) for link in cells.all()
    ]
    assert sum(count for count, _ in links) == 4  # two risks, on the inherent and the residual map
    for count, href in links:
        page.goto(href)
        assert _register_count(page) == count, href
    axe_check(page)

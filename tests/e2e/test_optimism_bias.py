"""Optimism bias in a real browser: a manager sees a non-standard building's business case
uplifted by the Green Book's upper bounds (51% on capital, 39% on time), is stopped from recording
a share above 100%, records a mitigation of the inadequacy of the business case, and sees the
uplift fall and the adjusted net value rise. Every page passes axe at desktop and phone widths.

Figures (worked by hand; tests/innovation/test_optimism.py has the same case): innovate £200,000
one-off, £10,000 a year running, £80,000 a year benefit, 5 years: £150,000 as written; with 51%
on the one-off, 400,000 − 302,000 − 50,000 = £48,000. Half of the business case factor (weight
30%) mitigated: 51 − 47 × 0.15 = 43.95%; 400,000 − 287,900 − 50,000 = £62,100."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from innovation import services
from portfolio.models import Service, ServiceArea
from tests.e2e.conftest import DESKTOP, PHONE
from tests.innovation.test_optimism import OPTIONS

pytestmark = pytest.mark.e2e


@pytest.fixture
def hub(demo):
    ashby = demo.organisations["ashby"]
    manager = User.objects.get(email=demo.email("ashby", "manager"))
    area = ServiceArea.objects.get_or_create(organisation=ashby, name="Housing", service=Service.HOUSING)[0]
    idea = services.idea_create(
        actor=manager,
        organisation=ashby,
        title="A community hub on the Vale estate",
        problem="Services are scattered across the town.",
        proposal="Bring them under one roof.",
        source="staff",
        service_areas=[area],
    )
    project = services.idea_accept(actor=manager, idea=idea, owner=manager)
    services.business_case_save(
        actor=manager, project=project, version=0, summary="One roof.", recommended_option="innovate", options=OPTIONS
    )
    return project


def _axe_at_both_widths(page, axe_check):
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        axe_check(page)
    page.set_viewport_size(DESKTOP)


def test_recording_a_mitigation_brings_the_optimism_bias_uplift_down(page, demo, sign_in, axe_check, screenshot, hub):
    sign_in(page, demo.email("ashby", "manager"))
    page.goto(f"/projects/{hub.pk}/")
    expect(page.locator('[data-cost-uplift="innovate"]')).to_contain_text("51%")
    expect(page.locator('[data-duration="innovate"]')).to_contain_text("+39%: 13.9 months")
    expect(page.locator('[data-adjusted-net-value="innovate"]')).to_have_text("£48,000")
    expect(page.locator("#optimism-verdict")).to_contain_text("The uplift changes the order of the options")
    _axe_at_both_widths(page, axe_check)
    screenshot(page, "optimism-project-before")

    page.get_by_role("link", name="Record a mitigation of optimism bias").click()
    page.get_by_label("Contributory factor").select_option(label="Inadequacy of the business case")
    page.get_by_label("Share of the factor mitigated (%)").fill("150")
    page.get_by_label("What has been done").fill("Costs checked by an independent quantity surveyor.")
    page.get_by_role("button", name="Record the mitigation").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be more than 100")
    # What was typed is kept.
    expect(page.get_by_label("What has been done")).to_have_value("Costs checked by an independent quantity surveyor.")
    _axe_at_both_widths(page, axe_check)
    screenshot(page, "optimism-mitigation-form")

    page.get_by_label("Share of the factor mitigated (%)").fill("50")
    page.get_by_role("button", name="Record the mitigation").click()
    expect(page.locator('[data-cost-uplift="innovate"]')).to_contain_text("43.95%")
    expect(page.locator('[data-adjusted-net-value="innovate"]')).to_have_text("£62,100")
    expect(page.locator('[data-net-value="innovate"]')).to_have_text("£150,000")
    expect(page.locator('[data-reduction="inadequate_business_case"]')).to_contain_text(
        "Innovate: cost −7.05 points, time −5.55 points"
    )
    _axe_at_both_widths(page, axe_check)
    screenshot(page, "optimism-project-after")

    page.get_by_role("link", name="The uplifts this organisation uses").click()
    expect(page.locator('[data-type="non_standard_buildings"]')).to_contain_text("51% to 4%")
    _axe_at_both_widths(page, axe_check)
    screenshot(page, "optimism-table")


def test_an_admin_sets_the_organisations_own_uplifts_with_a_reason(page, demo, sign_in, axe_check, screenshot):
    sign_in(page, demo.email("ashby", "admin"))
    page.goto("/optimism-bias/")
    page.get_by_role("link", name="Set own figures for non-standard buildings").click()
    page.get_by_label("Capital expenditure: upper bound (%)").fill("30")
    page.get_by_role("button", name="Save the figures and the reason").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the organisation uses its own figures")
    _axe_at_both_widths(page, axe_check)
    screenshot(page, "optimism-override-form")
    page.get_by_label("Why does the organisation use its own figures?").fill("Our record of twelve school builds.")
    page.get_by_role("button", name="Save the figures and the reason").click()
    expect(page.locator('[data-type="non_standard_buildings"]')).to_contain_text("30% to 4%")
    expect(page.locator("#optimism-history")).to_contain_text("Our record of twelve school builds.")
    _axe_at_both_widths(page, axe_check)
    screenshot(page, "optimism-table-own-figures")

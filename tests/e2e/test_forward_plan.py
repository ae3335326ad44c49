"""Key decisions (issue 18): a manager puts a key decision on the forward plan, the form's error
summary first, records a special urgency route, and anyone reads both on the authority's public
forward plan, signed out. Every
page passes axe at WCAG 2.2 AA, at desktop width and on a 375px phone."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import User

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
# £300,000 one-off + £60,000 a year for 5 years: a whole-life cost of £600,000, above £500,000.
INNOVATE = {
    "one_off_cost": Decimal("300000"),
    "running_cost": Decimal("60000"),
    "benefit": Decimal("200000"),
    "years": 5,
}


def _key_project(demo):
    from innovation import services
    from tests.factories import ProjectFactory

    organisation = demo.organisations["ashby"]
    manager = User.objects.get(email=demo.email("ashby", "manager"))
    admin = User.objects.get(email=demo.email("ashby", "admin"))
    services.key_decision_threshold_set(actor=admin, organisation=organisation, amount=Decimal("500000"))
    project = ProjectFactory(organisation=organisation, owner=manager, title="Extra care housing with Vale Homes")
    services.business_case_save(
        actor=manager,
        project=project,
        version=0,
        summary="Fewer residential placements.",
        recommended_option="innovate",
        options=dict.fromkeys(("innovate", "incremental", "do_nothing"), INNOVATE),
    )
    return project


def _axe_both_widths(page, axe_check):
    axe_check(page)
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    axe_check(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"
    page.set_viewport_size(original)


def test_a_manager_puts_a_key_decision_on_the_forward_plan_and_the_public_reads_it(
    page, demo, sign_in, axe_check, screenshot
):
    project = _key_project(demo)
    sign_in(page, demo.email("ashby", "manager"))
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_role("heading", name="Key decision")).to_be_visible()
    expect(page.get_by_text("Its value, £600,000, is at or above the £500,000 threshold.")).to_be_visible()
    page.get_by_role("link", name="Add to the forward plan").click()
    page.get_by_role("button", name="Publish on the forward plan").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter who will make the decision")
    _axe_both_widths(page, axe_check)
    screenshot(page, "forward-plan-form-errors")
    page.get_by_label("Decision-maker").fill("Cabinet")
    page.get_by_label("Expected date of the decision").fill("2099-06-30")
    page.get_by_label("Documents to be considered").fill("Report of the Director of Adult Social Care; business case")
    page.get_by_role("button", name="Publish on the forward plan").click()
    expect(page.get_by_text("The decision is on the forward plan, published today.")).to_be_visible()
    expect(page.locator("#earliest-decision-date")).to_be_visible()
    _axe_both_widths(page, axe_check)
    screenshot(page, "forward-plan-project")

    page.get_by_role("link", name="Record an urgency route").click()
    page.get_by_label("Special urgency (regulation 11)").check()
    page.get_by_label("Why the decision cannot wait").fill("The care provider's offer closes this month.")
    page.get_by_label("Chair of the overview and scrutiny committee").fill("Cllr Ann Lee, Chair of Scrutiny")
    page.get_by_label("Date the chair was told").fill("2020-01-15")
    _axe_both_widths(page, axe_check)
    screenshot(page, "forward-plan-urgency")
    page.get_by_role("button", name="Record and publish").click()
    expect(page.locator("#urgency-route")).to_contain_text("Special urgency (regulation 11)")

    page.goto("/forward-plan/")
    expect(page.get_by_role("link", name="Extra care housing with Vale Homes")).to_be_visible()
    _axe_both_widths(page, axe_check)
    screenshot(page, "forward-plan-staff")

    page.context.clear_cookies()
    page.goto(f"/forward-plan/{demo.organisations['ashby'].pk}/")
    expect(page.get_by_role("heading", name="Forward plan of key decisions")).to_be_visible()
    card = page.locator(".govuk-summary-card", has_text="Extra care housing with Vale Homes")
    expect(card).to_contain_text("Cabinet")
    expect(card).to_contain_text("30 June 2099")
    expect(card).to_contain_text("To be decided")
    expect(card).to_contain_text("Chair of scrutiny agreed it is urgent and cannot reasonably be deferred")
    _axe_both_widths(page, axe_check)
    screenshot(page, "forward-plan-public")

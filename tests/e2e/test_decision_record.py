"""A member decides with a declaration of interest and the record of decision follows (issue 18,
part 1): the form's error summary, the declaration and its dispensation, the reasons each option is
rejected, then the record's own page and its public page. Every page passes axe at WCAG 2.2 AA, at
desktop width and on a 375px phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_risk_decision import _awaiting_decision, _axe_both_widths

pytestmark = pytest.mark.e2e


def test_a_member_declares_an_interest_decides_and_the_record_of_decision_shows_it(
    page, demo, sign_in, axe_check, screenshot
):
    from innovation.models import Decision, DecisionArrangement

    project = _awaiting_decision(demo, "Text reminders for bin days", going_ahead=[("Supplier is late", 3, 3)])
    DecisionArrangement.objects.create(organisation=demo.organisations["ashby"], publish_decisions=True)
    sign_in(page, demo.email("ashby", "member"))

    page.goto(f"/projects/{project.pk}/decision/")
    expect(page.get_by_role("heading", name="Declarations of interest")).to_be_visible()
    # Nothing chosen: the error summary lists what is missing, and links to it.
    page.get_by_role("button", name="Record my decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select whether you have an interest to declare")
    expect(summary).to_contain_text("Select approve, reject or defer")
    _axe_both_widths(page, axe_check)
    screenshot(page, "decision-form-errors")

    page.get_by_label("Yes, I declare an interest").check()
    page.get_by_label("Describe the interest").fill("My sister drives for the waste contractor")
    page.get_by_label("Dispensation granted by (if any)").fill("the Monitoring Officer")
    page.get_by_label("Date the dispensation was granted").fill("2026-11-30")
    page.get_by_label("Approved").check()
    page.get_by_label("Your rationale").fill("Texts cost little and cut missed bins.")
    page.get_by_label("Why is the option “improve incrementally” rejected?").fill("Leaflets have not moved it.")
    page.get_by_label("Why is the option “do nothing” rejected?").fill("Missed bins keep rising.")
    _axe_both_widths(page, axe_check)
    screenshot(page, "decision-form")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator("#project-stage")).to_have_text("Implementation")

    decision = Decision.objects.get(project=project)
    page.get_by_role("link", name=f"Record of decision {decision.reference}").click()
    expect(page.get_by_role("heading", name=f"Record of decision {decision.reference}")).to_be_visible()
    expect(page.locator("#decision-body")).to_have_text("Cllr Helen Price, Portfolio holder")
    expect(page.locator("#interests")).to_contain_text(
        "Cllr Helen Price declared an interest: My sister drives for the waste contractor"
    )
    expect(page.locator("#dispensations")).to_contain_text("Granted by the Monitoring Officer on 30 November 2026")
    expect(page.locator("#options-rejected")).to_contain_text("Leaflets have not moved it.")
    _axe_both_widths(page, axe_check)
    screenshot(page, "decision-record")

    page.get_by_role("link", name="See it as the public sees it").click()
    expect(page.locator("#interests")).to_contain_text("My sister drives for the waste contractor")
    expect(page.locator("body")).not_to_contain_text("Recorded by")
    _axe_both_widths(page, axe_check)
    screenshot(page, "decision-record-public")

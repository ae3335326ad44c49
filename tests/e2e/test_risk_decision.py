"""The approval gate weighs the risk of not innovating and records what a member accepts
(issue 15, parts 2 and 3). A member approves a project whose risk of not innovating is very
high without being asked to accept it; on a second project they accept a risk above the
appetite, and the risk shows who accepted it, when, with which decision and until when.
Every page passes axe at WCAG 2.2 AA, at desktop width and on a 375px phone."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import User

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
FIGURES = {"one_off_cost": Decimal("10000"), "running_cost": Decimal("1000"), "benefit": Decimal("8000"), "years": 3}


def _awaiting_decision(demo, title, *, going_ahead):
    """A project at the gate, built through the services: a very high risk of not innovating
    (5 × 4 = 20) against the risks of going ahead given as (title, likelihood, impact)."""
    from innovation import services as innovation
    from risk import services
    from tests.factories import ProjectFactory

    manager = User.objects.get(email=demo.email("ashby", "manager"))
    project = ProjectFactory(organisation=demo.organisations["ashby"], owner=manager, title=title)
    innovation.business_case_save(
        actor=manager,
        project=project,
        version=0,
        summary="Texts cost little and cut missed bins.",
        recommended_option="innovate",
        options=dict.fromkeys(("innovate", "incremental", "do_nothing"), FIGURES),
    )
    sponsor = User.objects.get(email=demo.email("ashby", "sponsor.member"))  # a sponsor may not decide alone
    innovation.project_set_sponsor(actor=manager, project=project, sponsor=sponsor)
    for risk_title, likelihood, impact in going_ahead:
        services.risk_create(
            actor=manager,
            project=project,
            title=risk_title,
            category="delivery",
            owner=manager,
            inherent_likelihood=5,
            inherent_impact=5,
            residual_likelihood=likelihood,
            residual_impact=impact,
        )
    services.risk_create(
        actor=manager,
        project=project,
        title="Missed collections keep rising",
        category="missed_opportunity",
        owner=manager,
        inherent_likelihood=5,
        inherent_impact=4,
        residual_likelihood=5,
        residual_impact=4,
    )
    services.assessment_update(
        actor=manager,
        project=project,
        summary="Standing still is riskier than a late supplier.",
        recommendation="Go ahead.",
    )
    project.refresh_from_db()
    return innovation.project_submit_for_approval(actor=manager, project=project)


def _declare_and_give_reasons(page):
    """What every decision asks besides the outcome: the member's declaration of interest and why
    each option the approval rejects is rejected."""
    page.get_by_label("No, I have no interest to declare").check()
    page.get_by_label("Why is the option “improve incrementally” rejected?").fill("Too slow to close the gap.")
    page.get_by_label("Why is the option “do nothing” rejected?").fill("The gap would widen.")


def _axe_both_widths(page, axe_check):
    axe_check(page)
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    axe_check(page)
    page.set_viewport_size(original)


def test_a_member_weighs_the_risk_of_not_innovating_and_accepts_a_risk_above_appetite_knowingly(
    page, demo, sign_in, axe_check, screenshot
):
    weighed = _awaiting_decision(demo, "Text reminders for bin days", going_ahead=[("Supplier is late", 3, 3)])
    risky = _awaiting_decision(
        demo, "Sensors in every bin", going_ahead=[("Supplier is late", 3, 3), ("Sensors fail in winter", 4, 4)]
    )
    sign_in(page, demo.email("ashby", "member"))

    # Doing nothing is very high, innovating medium: weighed for the case, never asked to be accepted.
    page.goto(f"/projects/{weighed.pk}/decision/")
    expect(page.locator("#risk-weighing")).to_contain_text("Doing nothing: residual 20, very high")
    expect(page.locator("#risk-weighing")).to_contain_text("Innovating: highest residual 9, medium")
    expect(page.locator("#risks-above-appetite")).to_contain_text("No risk of going ahead is above")
    expect(page.get_by_label("I accept the risks above")).to_have_count(0)
    _axe_both_widths(page, axe_check)
    screenshot(page, "decision-weighs-not-innovating")
    page.get_by_label("Approved").check()
    _declare_and_give_reasons(page)
    page.get_by_label("Your rationale").fill("Doing nothing is the bigger risk.")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator("#project-stage")).to_have_text("Implementation")

    # A risk of going ahead above the appetite: listed with its scores, accepted knowingly.
    page.goto(f"/projects/{risky.pk}/decision/")
    above = page.locator("#risks-above-appetite")
    expect(above).to_contain_text("Sensors fail in winter")
    expect(above).to_contain_text("16 Very high")
    expect(above).not_to_contain_text("Missed collections keep rising")
    expect(page.locator("#assessment-summary")).to_contain_text("Standing still is riskier")
    expect(page.locator('[data-heat-map="residual"]')).to_be_visible()
    _axe_both_widths(page, axe_check)
    screenshot(page, "decision-risks-above-appetite")
    page.get_by_label("Approved").check()
    _declare_and_give_reasons(page)
    page.get_by_label("Your rationale").fill("Worth it with the bond in place.")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_role("alert")).to_contain_text("confirm that you accept that risk")
    page.get_by_label("I accept the risks above").check()
    page.get_by_label("Your rationale").fill("Worth it with the bond in place.")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator("#project-stage")).to_have_text("Implementation")

    # The risk shows the acceptance, and does not ask for it again.
    page.goto(f"/risk/projects/{risky.pk}/")
    page.get_by_role("link", name="Sensors fail in winter").click()
    expect(page.locator("#acceptance")).to_contain_text("to approve the project")
    expect(page.locator("#acceptance")).to_contain_text("Worth it with the bond in place.")
    expect(page.get_by_role("link", name="Accept this risk")).to_have_count(0)
    _axe_both_widths(page, axe_check)
    screenshot(page, "risk-accepted-at-the-gate")

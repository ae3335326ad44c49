"""An evaluation in a real browser (R12, issue 15 §4): the manager finds the spend to date and
the business case's horizon already in the form and the indicator's imported figures beside it,
is stopped from overriding them without a reason, and the project page then shows what was
forecast, what happened and the variance. Every page passes axe at desktop and phone widths."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from innovation import services
from innovation.models import Project, ProjectTransition
from portfolio import periods
from portfolio.models import Indicator, Measurement, Service, ServiceArea
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_innovation import _complete_risk_assessment

pytestmark = pytest.mark.e2e

MINUS = "\u2212"
OPTIONS = {
    "innovate": {"description": "Texts", "one_off_cost": 10000, "running_cost": 2000, "benefit": 9000, "years": 3},
    "incremental": {"description": "Leaflets", "one_off_cost": 1000, "running_cost": 500, "benefit": 1500, "years": 3},
    "do_nothing": {"description": "As now", "one_off_cost": 0, "running_cost": 0, "benefit": -30000, "years": 3},
}


@pytest.fixture
def evaluating(demo):
    """A project of Ashby's, aimed at an indicator with imported quarters, approved on 14 May
    2025 and now in evaluation with £11,750 spent."""
    ashby = demo.organisations["ashby"]
    manager = User.objects.get(email=demo.email("ashby", "manager"))
    member = User.objects.get(email=demo.email("ashby", "member"))
    area = ServiceArea.objects.get_or_create(organisation=ashby, name="Housing", service=Service.HOUSING)[0]
    indicator = Indicator.objects.create(
        code="E2E-RELET",
        name="Days to re-let a home",
        unit="days",
        polarity=-1,
        frequency="quarterly",
        service="housing",
    )
    for period, value in [("2025-Q1", "13.4"), ("2025-Q2", "12.0"), ("2025-Q4", "9.8")]:
        Measurement.objects.create(
            organisation=ashby,
            indicator=indicator,
            period=period,
            period_index=periods.parse(period).index,
            value=value,
        )
    idea = services.idea_create(
        actor=manager,
        organisation=ashby,
        title="Void homes inspected the day keys come back",
        problem="Homes stand empty for weeks.",
        proposal="Inspect on the day.",
        source="staff",
        service_areas=[area],
    )
    project = services.idea_accept(actor=manager, idea=idea, owner=manager)
    Project.objects.filter(pk=project.pk).update(indicator=indicator)
    options = {
        kind: {k: (Decimal(v) if k not in ("description", "years") else v) for k, v in figures.items()}
        for kind, figures in OPTIONS.items()
    }
    services.business_case_save(
        actor=manager, project=project, version=0, summary="Worth it.", recommended_option="innovate", options=options
    )
    sponsor = User.objects.get(email=demo.email("ashby", "sponsor.member"))  # a sponsor may not decide alone
    services.project_set_sponsor(actor=manager, project=project, sponsor=sponsor)
    _complete_risk_assessment(project, demo)
    project = services.project_submit_for_approval(actor=manager, project=Project.objects.get(pk=project.pk))
    project = services.project_approve(actor=member, project=project, rationale="Good value.")
    approved = timezone.make_aware(datetime.datetime(2025, 5, 14, 12))
    ProjectTransition.objects.filter(project=project, to_stage="implementation").update(created_at=approved)
    Project.objects.filter(pk=project.pk).update(spend_to_date=Decimal("11750"))
    return services.project_start_evaluation(actor=manager, project=Project.objects.get(pk=project.pk))


def _axe_at_both_widths(page, axe_check):
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        axe_check(page)
    page.set_viewport_size(DESKTOP)


def test_the_evaluation_shows_what_was_forecast_what_happened_and_the_variance(
    page, demo, sign_in, axe_check, screenshot, evaluating
):
    sign_in(page, demo.email("ashby", "manager"))
    page.goto(f"/projects/{evaluating.pk}/")
    # The business case's do-nothing option costs money every year, written as GOV.UK writes it.
    expect(page.locator('[data-net-value="do_nothing"]').first).to_have_text(f"{MINUS}£90,000")
    page.get_by_role("button", name="Record the evaluation").click()

    # The spend to date and the forecast horizon are filled in; the imported figures are shown.
    expect(page.get_by_label("Actual one-off cost (£)")).to_have_value("11750.00")
    expect(page.get_by_label("Horizon in years")).to_have_value("3")
    expect(page.locator("#forecast")).to_contain_text("£11,000")
    expect(page.locator("#indicator-readings")).to_contain_text("13.4 days (2025-Q1")
    expect(page.locator("#indicator-readings")).to_contain_text("9.8 days (2025-Q4")
    _axe_at_both_widths(page, axe_check)

    page.get_by_label("Partly succeeded").check()
    page.get_by_label("What happened?").fill("Empty homes were let faster; inspections cost more than planned.")
    page.get_by_label("Actual one-off cost (£)").fill("12000")
    page.get_by_label("Actual yearly running cost (£)").fill("2500")
    page.get_by_label("Actual yearly benefit (£)").fill("7000")
    page.get_by_label("Override the indicator value after (optional)").fill("10.5")
    page.get_by_label("Was it value for money?").fill("Still positive.")
    page.get_by_role("group", name="How easily could other authorities adopt it?").get_by_label("4").check()
    page.get_by_label("Why?", exact=True).fill("Any landlord council could do it.")
    page.get_by_label("Level 2: data showing change").check()
    page.get_by_label("What supports this level?").fill("Days to re-let, from the imported quarters.")
    page.get_by_role("button", name="Save").click()
    # An override without its reason is refused, with the error summary.
    expect(page.get_by_role("alert")).to_contain_text("Enter why you are overriding the imported figures")
    _axe_at_both_widths(page, axe_check)
    page.get_by_label("Override the indicator value after (optional)").fill("")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The evaluation has been saved.")).to_be_visible()
    table = page.locator("#forecast-against-actual")
    one_off = table.locator('[data-figure="one_off_cost"]')
    for text in ("£10,000", "£12,000", "+£2,000", "+20.0%", "Worse"):
        expect(one_off).to_contain_text(text)
    net = table.locator('[data-figure="net_value"]')
    for text in ("£11,000", "£1,500", f"{MINUS}£9,500", f"{MINUS}86.4%", "Worse"):
        expect(net).to_contain_text(text)
    expect(page.locator("#indicator-movement")).to_contain_text(
        "from 13.4 days (2025-Q1) to 9.8 days (2025-Q4): down 3.6 days"
    )
    expect(page.locator("#indicator-movement")).to_contain_text("Better")
    _axe_at_both_widths(page, axe_check)
    screenshot(page, "evaluation-forecast-against-actual")

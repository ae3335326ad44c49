"""The gap report shows its biggest gaps as a chart with a table beside it, and its indicator
table fits a 1280 px screen with the action column in view."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from portfolio.catalogue import catalogue_load
from portfolio.models import GapReport, GapReportRow, Indicator
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


def _report(organisation) -> None:
    catalogue_load(Indicator)
    report = GapReport.objects.create(
        organisation=organisation, computed_at=timezone.now(), period="2025-Q4", is_current=True
    )
    indicators = list(Indicator.objects.order_by("code")[:10])
    for n, indicator in enumerate(indicators):
        GapReportRow.objects.create(
            report=report,
            organisation=organisation,
            indicator=indicator,
            period="2025-Q4",
            period_index=8103,
            actual=Decimal("135.5"),
            aspiration=Decimal("100"),
            gap_pct=Decimal(40 - 3 * n),
            percentile=None,
            quartile=None,
            trend="worsening",
            incremental_unlikely=n < 4,
        )


def test_the_gap_report_charts_its_biggest_gaps_and_its_table_fits_the_screen(
    page, demo, sign_in, axe_check, screenshot
):
    _report(demo.organisations["ashby"])
    sign_in(page, demo.email("ashby", Role.MANAGER))
    page.goto("/performance/")

    chart = page.get_by_role("img", name="Bar chart of the 8 biggest gaps between actual and aspiration")
    expect(chart).to_be_visible()
    assert page.locator(".lantern-gap-chart rect").count() == 8
    beside = page.locator("#biggest-gaps-table tbody tr")
    expect(beside).to_have_count(8)
    expect(beside.nth(0)).to_contain_text("40.0%")
    # Beside, not below: the chart and the table share a row on a desktop.
    chart_box, table_box = chart.bounding_box(), page.locator("#biggest-gaps-table").bounding_box()
    assert abs(chart_box["y"] - table_box["y"]) < 80 and table_box["x"] > chart_box["x"] + chart_box["width"] - 1

    # The indicator table fits: nothing to scroll sideways, the action column on screen.
    region = page.locator(".lantern-table-container").filter(has=page.locator("#indicators"))
    assert region.evaluate("element => element.scrollWidth <= element.clientWidth + 1")
    action = page.locator("#indicators thead th").last
    expect(action).to_have_text("Action")
    box = action.bounding_box()
    assert box["x"] + box["width"] <= 1280
    axe_check(page)
    screenshot(page, "gap-report-chart")

    page.set_viewport_size(PHONE)
    page.goto("/performance/")
    expect(chart).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)

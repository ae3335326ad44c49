"""Reports in a real browser: an admin filters the risk register, downloads it as XLSX, then
has it prepared in the background and downloads it from the job's page. Every page passes
axe at WCAG 2.2 AA and the CSP (no inline script or style)."""

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.models import User

pytestmark = pytest.mark.e2e


@pytest.fixture
def risks(demo):
    from risk import services
    from tests.factories import ProjectFactory

    manager = User.objects.get(email=demo.email("ashby", "manager"))
    project = ProjectFactory(organisation=demo.organisations["ashby"], owner=manager, title="Text reminders for bins")
    for title, category in [
        ("Supplier cannot deliver on time", "delivery"),
        ("=SUM(A1:A9) costs overrun", "financial"),
        ("Residents do not read the texts", "service_users"),
    ]:
        services.risk_create(
            actor=manager,
            project=project,
            title=title,
            category=category,
            owner=manager,
            inherent_likelihood=4,
            inherent_impact=4,
            residual_likelihood=2,
            residual_impact=3,
        )


def test_admin_filters_the_risk_register_and_exports_it_at_once_and_in_the_background(
    page, demo, sign_in, axe_check, screenshot, risks, tmp_path
):
    sign_in(page, demo.email("ashby", "admin"))
    page.get_by_role("link", name="Reports").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    axe_check(page)

    page.get_by_role("link", name="Risk register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk register")
    expect(page.locator("#row-count")).to_contain_text("3 rows match")
    page.get_by_label("Category").select_option(label="Financial")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#row-count")).to_contain_text("1 row matches")
    axe_check(page)
    screenshot(page, "reports-risk-register")

    page.get_by_label("Excel (XLSX)").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert info.value.suggested_filename.startswith("lantern-risk-register-")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "'=SUM(A1:A9) costs overrun"
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]

    page.get_by_label("Excel (XLSX)").check()
    page.get_by_role("button", name="Prepare in the background").click()
    expect(page.get_by_role("heading", name="Your export is ready")).to_be_visible()
    axe_check(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the risk register").click()
    path = tmp_path / "background.xlsx"
    info.value.save_as(path)
    assert len(list(openpyxl.load_workbook(path).worksheets[0].iter_rows())) == 2

    page.get_by_role("link", name="Back to reports").click()
    expect(page.get_by_role("table", name="Your recent background exports")).to_contain_text("Ready")

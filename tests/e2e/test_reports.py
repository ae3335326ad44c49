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


def test_admin_prepares_a_committee_pack_watching_its_progress_then_sets_up_a_monthly_email(
    page, demo, sign_in, axe_check, screenshot, risks, tmp_path, monkeypatch
):
    import dataclasses
    import datetime
    import io
    from types import SimpleNamespace

    import pypdf
    from django.utils import timezone

    from innovation.models import ProjectStage
    from jobs import runner
    from reports import exports as reports
    from reports.models import ExportJob, ScheduledReport
    from tests.factories import ProjectFactory

    manager = User.objects.get(email=demo.email("ashby", "manager"))
    ProjectFactory(
        organisation=demo.organisations["ashby"],
        owner=manager,
        title="Reablement at home after hospital discharge",
        stage=ProjectStage.AWAITING_APPROVAL,
    )
    # Hold the Celery job back, as a busy worker would, so that the page's progress shows first:
    # the job runner's registered task for exports is taken (queued, never run). The registry,
    # not the task: a task proxy resolves per thread, and the live server answers from another.
    held = SimpleNamespace(delay=lambda **kwargs: SimpleNamespace(id="held by a busy worker"))
    monkeypatch.setitem(runner.JOB_KINDS, ExportJob, dataclasses.replace(runner.JOB_KINDS[ExportJob], task=held))

    sign_in(page, demo.email("ashby", "admin"))
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Prepare a committee pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare a committee pack")
    axe_check(page)
    page.get_by_role("button", name="Prepare the committee pack").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the name of the committee")
    expect(summary).to_contain_text("Enter the date of the meeting")
    axe_check(page)
    screenshot(page, "reports-committee-pack-errors")
    assert not ExportJob.objects.exists()

    meeting = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_label("Which committee is the report to?").fill("Cabinet")
    page.get_by_label("Date of the meeting").fill(meeting.isoformat())
    page.get_by_role("button", name="Prepare the committee pack").click()
    expect(page.get_by_role("heading", name="Preparing your committee pack")).to_be_visible()
    expect(page.get_by_text("0% done")).to_be_visible()
    axe_check(page)
    screenshot(page, "reports-committee-pack-progress")

    reports.job_run(job_id=ExportJob.objects.get(export="committee-pack").pk)  # the worker takes it
    expect(page.get_by_role("heading", name="Your committee pack is ready")).to_be_visible(timeout=10_000)
    axe_check(page)
    screenshot(page, "reports-committee-pack-ready")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the committee pack (PDF)").click()
    assert info.value.suggested_filename.startswith("lantern-committee-pack-")
    path = tmp_path / "pack.pdf"
    info.value.save_as(path)
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Report to Cabinet" in text and "Reablement at home after hospital discharge" in text
    # The pack the admin downloaded is tagged for screen readers: it passes the checks.
    from tests.exports.pdf_checks import pdfua_findings, tagging_faults

    assert tagging_faults(path.read_bytes()) == []
    assert not pdfua_findings(path.read_bytes(), tmp_path)

    page.get_by_role("link", name="Back to reports").click()
    page.get_by_role("link", name="Risk register").click()
    page.get_by_label("Category").select_option(label="Financial")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Email this export every month, with this filter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email the risk register every month")
    expect(page.locator(".govuk-summary-list")).to_contain_text("category: financial")
    axe_check(page)
    page.get_by_label("Excel (XLSX)").check()
    page.get_by_label("Who should get it?").fill("finance.team@ashby.example\nnot an address")
    page.get_by_label("Day of the month to send it").fill("5")
    page.get_by_role("button", name="Email it every month").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("“not” is not an email address")
    axe_check(page)
    screenshot(page, "reports-schedule-errors")
    assert not ScheduledReport.objects.exists()

    page.get_by_label("Who should get it?").fill("finance.team@ashby.example\nchief.executive@ashby.example")
    page.get_by_role("button", name="Email it every month").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scheduled reports")
    listed = page.get_by_role("list", name="Your organisation’s scheduled reports")
    expect(listed).to_contain_text("Risk register (Excel (XLSX))")
    expect(listed).to_contain_text("chief.executive@ashby.example")
    expect(listed).to_contain_text("Day 5 of each month")
    axe_check(page)
    screenshot(page, "reports-schedules")
    schedule = ScheduledReport.objects.get()
    assert (schedule.format, schedule.filters, schedule.day_of_month) == ("xlsx", {"category": ["financial"]}, 5)

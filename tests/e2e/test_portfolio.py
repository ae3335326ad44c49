"""An admin imports performance figures in the browser, corrects a file with errors, runs
the gap report and sees where to innovate."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from accounts.models import Role, User
from portfolio import periods, services
from portfolio.catalogue import catalogue_load
from portfolio.models import GapReportJob, ImportJob, Indicator, JobStatus, Measurement
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.e2e

HEADER = "ons_code,indicator_code,period,value\n"


def upload(page, name: str, text: str) -> None:
    page.goto("/performance/import/")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()


def test_an_admin_corrects_a_bad_file_imports_it_and_sees_the_ranking(page, demo, sign_in, axe_check, screenshot):
    catalogue_load(Indicator)
    ashby = demo.organisations["ashby"]
    ashby.ons_code = "E07009901"
    ashby.save()
    kingsmere = demo.organisations["kingsmere"]
    kingsmere.ons_code = "E06009902"
    kingsmere.save()
    sign_in(page, demo.email("ashby", Role.ADMIN))

    bad = (
        HEADER + "E07009901,NI192,2025-Q1,41\n"
        "E07009901,NI192,2025-Q2,forty\n"  # line 3
        "E07009901,NOPE,2025-Q2,40\n"  # line 4
        "E06009902,HOU-RELET,2025-Q2,40\n"  # line 5: another organisation's
    )
    upload(page, "figures.csv", bad)
    expect(page.get_by_role("heading", name="Correct the file and upload it again")).to_be_visible()
    rows = page.locator("#import-errors tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("3")
    expect(rows.nth(0)).to_contain_text("'forty' is not a number")
    expect(rows.nth(1)).to_contain_text("NOPE")
    expect(rows.nth(2)).to_contain_text("another organisation's")
    assert not Measurement.objects.exists()
    axe_check(page)
    screenshot(page, "portfolio-import-errors")

    good = HEADER + (
        "E07009901,NI192,2025-Q1,41\nE07009901,NI192,2025-Q2,40\n"
        "E07009901,HOU-RELET,2025-Q1,35\nE07009901,HOU-RELET,2025-Q2,30\n"
        "E07009901,CTAX-COLL,2025-Q2,96\n"
    )
    upload(page, "figures.csv", good)
    expect(page.get_by_role("heading", name="Figures imported")).to_be_visible()
    aspirations = (
        "ons_code,indicator_code,period,aspiration\n"
        "E07009901,NI192,2025-Q2,50\nE07009901,HOU-RELET,2025-Q2,28\nE07009901,CTAX-COLL,2025-Q2,97\n"
    )
    upload(page, "aspirations.csv", aspirations)
    expect(page.get_by_role("heading", name="Figures imported")).to_be_visible()

    page.goto("/performance/")
    page.get_by_role("button", name="Recompute the report now").click()
    expect(page.get_by_role("heading", name="Report updated")).to_be_visible()
    page.get_by_role("link", name="See where to innovate").click()

    indicators = page.locator("#indicators tbody tr")
    expect(indicators).to_have_count(3)
    # Recycling is 20% short and worsening; re-let days 7.1% short; council tax 1% short.
    expect(indicators.nth(0)).to_contain_text("Household waste sent for reuse")
    expect(indicators.nth(0)).to_contain_text("20.0%")
    expect(indicators.nth(0)).to_contain_text("Innovate")
    expect(indicators.nth(1)).to_contain_text("re-let")
    expect(indicators.nth(2)).to_contain_text("Council tax")
    expect(page.locator("#service-areas tbody tr")).to_have_count(3)
    axe_check(page)
    screenshot(page, "portfolio-report")

    indicators.nth(0).get_by_role("link").first.click()
    expect(page.locator("#indicator-table tbody tr")).to_have_count(2)
    expect(page.locator(".lantern-chart canvas")).to_be_visible()
    axe_check(page)


def test_a_manager_scores_capacity_and_sees_it_beside_the_sector(page, demo, sign_in, axe_check):
    sign_in(page, demo.email("ashby", Role.MANAGER))
    page.goto("/performance/capacity/")
    page.get_by_role("button", name="Save your scores").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a score for ambition")
    axe_check(page)
    for group in page.locator("fieldset").all():
        group.get_by_label("4").check()
    page.get_by_role("button", name="Save your scores").click()
    expect(page.locator("#capacity-summary tbody tr").first).to_contain_text("4")
    expect(page.locator(".lantern-chart canvas")).to_be_visible()
    axe_check(page)


def test_an_admin_sees_an_interrupted_import_and_tries_again(
    page, demo, sign_in, axe_check, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the kept file must not be left in the work tree
    catalogue_load(Indicator)
    ashby = demo.organisations["ashby"]
    ashby.ons_code = "E07009901"
    ashby.save()
    # As the import page records an import whose worker was killed in the middle of it.
    job = ImportJob(
        organisation=ashby,
        uploaded_by=User.objects.get(email=demo.email("ashby", Role.ADMIN)),
        original_name="quarter figures.csv",
        status=JobStatus.FAILED,
        failure=services.INTERRUPTED,
    )
    text = HEADER + "E07009901,NI192,2025-Q1,41\nE07009901,NI192,2025-Q2,40\n"
    job.file.save(f"{job.public_id}.csv", ContentFile(text.encode()), save=False)
    job.save()

    sign_in(page, demo.email("ashby", Role.ADMIN))
    page.goto(job.get_absolute_url())
    expect(page.get_by_role("heading", name="The import of quarter figures.csv was interrupted")).to_be_visible()
    expect(page.get_by_text("Nothing from the file was imported")).to_be_visible()
    axe_check(page)
    screenshot(page, "portfolio-import-interrupted")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Figures imported")).to_be_visible()
    assert Measurement.objects.filter(organisation=ashby).count() == 2


def test_a_manager_sees_a_report_run_that_stopped_and_runs_it_again(page, demo, sign_in, axe_check, screenshot):
    ashby = demo.organisations["ashby"]
    # As the run's page records a run whose worker was killed in the middle of it.
    job = GapReportJob.objects.create(
        organisation=ashby, status=JobStatus.FAILED, failure=services.GAP_REPORT_INTERRUPTED
    )
    sign_in(page, demo.email("ashby", Role.MANAGER))
    page.goto(job.get_absolute_url())
    expect(page.get_by_role("heading", name="The report could not be updated")).to_be_visible()
    expect(page.get_by_text("The previous report is still shown")).to_be_visible()
    axe_check(page)
    screenshot(page, "portfolio-report-run-stopped")
    page.get_by_role("button", name="Run the report again").click()
    expect(page.get_by_role("heading", name="Report updated")).to_be_visible()
    assert GapReportJob.objects.filter(organisation=ashby, status=JobStatus.DONE).count() == 1


def test_an_admin_imports_a_quarter_first_and_is_given_no_false_sector_position(
    page, demo, sign_in, axe_check, screenshot
):
    catalogue_load(Indicator)
    ashby = demo.organisations["ashby"]
    ashby.ons_code = "E07009901"
    ashby.save()
    # Five other councils reported recycling for 2025-Q2 (30% to 55%); nobody else reports re-let days.
    recycling = Indicator.objects.get(code="NI192")
    for n, value in enumerate((30, 35, 45, 50, 55)):
        Measurement.objects.create(
            organisation=OrganisationFactory(name=f"Neighbour {n}"),
            indicator=recycling,
            period="2025-Q2",
            period_index=periods.parse("2025-Q2").index,
            value=value,
        )
    sign_in(page, demo.email("ashby", Role.ADMIN))
    upload(
        page,
        "q3.csv",
        HEADER + "E07009901,NI192,2025-Q2,41\nE07009901,NI192,2025-Q3,40\n"
        "E07009901,HOU-RELET,2025-Q2,28\nE07009901,HOU-RELET,2025-Q3,30\n",
    )
    expect(page.get_by_role("heading", name="Figures imported")).to_be_visible()
    upload(
        page,
        "aspirations.csv",
        "ons_code,indicator_code,period,aspiration\nE07009901,NI192,2025-Q3,50\nE07009901,HOU-RELET,2025-Q3,25\n",
    )
    expect(page.get_by_role("heading", name="Figures imported")).to_be_visible()

    page.goto("/performance/")
    page.get_by_role("button", name="Recompute the report now").click()
    expect(page.get_by_role("heading", name="Report updated")).to_be_visible()
    page.get_by_role("link", name="See where to innovate").click()

    expect(page.locator("#no-position")).to_contain_text(
        "No sector position is shown for 1 indicator: too few organisations have reported this period"
    )
    rows = page.locator("#indicators tbody tr")
    relet = rows.filter(has_text="re-let")
    expect(relet).to_contain_text("Too few organisations have reported this period")
    expect(relet).to_contain_text("Innovate")  # 20% short and worsening: R2 needs only Ashby's own figures
    # Recycling 2025-Q3, 40 beside the others' 2025-Q2 figures: 30, 35, 40, 45, 50, 55 → 3/6 = 50.0: quartile 3.
    reuse = rows.filter(has_text="Household waste sent for reuse")
    position = reuse.locator("td").nth(4)
    expect(position).to_contain_text("3, percentile 50.0")
    expect(position).to_contain_text("Compared with the latest figure each council has reported")
    expect(page.locator("#indicators")).not_to_contain_text("(best)")
    axe_check(page)
    page.set_viewport_size(PHONE)
    axe_check(page)
    screenshot(page, "portfolio-report-no-position")
    page.set_viewport_size(DESKTOP)

    relet.get_by_role("link").first.click()
    last = page.locator("#indicator-table tbody tr").last
    expect(last).to_contain_text("2025-Q3")
    expect(last.locator("td").last).to_have_text("–Too few organisations have reported this period")
    axe_check(page)
    page.set_viewport_size(PHONE)
    axe_check(page)
    screenshot(page, "portfolio-indicator-no-median")

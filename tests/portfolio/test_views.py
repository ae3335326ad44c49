"""The performance pages for every kind of user, and what they show."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import COUNCIL_ROLES, Role
from portfolio import gaps, imports
from portfolio.models import CapacityFactor, GapReportJob, ImportJob, JobStatus, Measurement, ServiceArea
from tests.factories import MembershipFactory, OrganisationFactory
from tests.portfolio.conftest import measure

# Everyone who works in the organisation; a partner organisation's people see none of it
# (tests/innovation/test_public_and_partners.py walks every page as one).
ALL_ROLES = list(COUNCIL_ROLES)


@pytest.fixture
def report(personas, indicators):
    council = personas.council
    council.ons_code = "E07000001"
    council.save()
    ServiceArea.objects.create(organisation=council, name="Street scene", service="waste")
    measure(council, indicators["recycling"], "2025-Q1", 70)
    measure(council, indicators["recycling"], "2025-Q2", 70, aspiration=80)  # 12.5 short, stable: R2
    measure(council, indicators["relet"], "2025-Q1", 40)
    measure(council, indicators["relet"], "2025-Q2", 30, aspiration=28)  # 7.1 short, improving
    gaps.gap_reports_build()
    return council


def status(personas, role, url, method="get", **data):
    client = personas.client_for(personas.members[role] if role else None)
    return getattr(client, method)(url, data).status_code


@pytest.mark.parametrize("role", ALL_ROLES)
def test_everyone_in_the_organisation_reads_the_report(personas, report, role):
    assert status(personas, role, reverse("portfolio:report")) == 200
    assert status(personas, role, reverse("portfolio:report-csv")) == 200
    assert status(personas, role, reverse("portfolio:capacity")) == 200


@pytest.mark.parametrize("name", ["portfolio:report", "portfolio:report-csv", "portfolio:import", "portfolio:capacity"])
def test_anonymous_visitors_are_asked_to_sign_in(personas, name):
    response = personas.client_for(None).get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_admins_may_import(personas, role):
    assert status(personas, role, reverse("portfolio:import")) == (200 if role == Role.ADMIN else 403)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_admins_and_managers_may_ask_for_a_recompute(personas, report, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        code = status(personas, role, reverse("portfolio:report-compute"), method="post")
    assert code == (302 if role in (Role.ADMIN, Role.MANAGER) else 403)


def test_asking_for_a_recompute_needs_a_post(personas):
    assert status(personas, Role.ADMIN, reverse("portfolio:report-compute")) == 405


@pytest.mark.parametrize("role", ALL_ROLES)
def test_managers_and_members_score_capacity_and_others_may_not(personas, role):
    scores = dict.fromkeys(CapacityFactor.values, "3")
    code = status(personas, role, reverse("portfolio:capacity"), method="post", **scores)
    assert code == (302 if role in (Role.MANAGER, Role.MEMBER) else 403)


def test_another_organisations_import_and_report_run_are_not_found(personas):
    other_admin = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN)
    job = ImportJob.objects.create(organisation=personas.other_council, original_name="x.csv", kind="actuals")
    run = GapReportJob.objects.create(organisation=personas.other_council)
    admin = personas.client_for(personas.members[Role.ADMIN])
    assert admin.get(job.get_absolute_url()).status_code == 404
    assert admin.get(run.get_absolute_url()).status_code == 404
    assert personas.client_for(other_admin).get(job.get_absolute_url()).status_code == 200


def test_the_report_ranks_by_gap_and_marks_where_innovation_is_needed(personas, report):
    page = personas.client_for(personas.members[Role.OFFICER]).get(reverse("portfolio:report")).content.decode()
    assert page.index("Recycling") < page.index("Re-let")
    table = page[page.index('id="indicators"') :]
    assert table.count('govuk-tag--red">Innovate') == 1
    assert "Street scene" in page and "12.5%" in page


def test_the_report_page_uses_the_same_number_of_queries_however_long_it_is(personas, report, indicators):
    client = personas.client_for(personas.members[Role.OFFICER])
    client.get(reverse("portfolio:report"))  # warm the session and permission caches

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("portfolio:report")).status_code == 200
        return len(queries)

    before = count()
    for n in range(10):
        indicator = type(indicators["recycling"]).objects.create(
            code=f"X{n}", name=f"Extra {n}", unit="%", polarity=1, frequency="quarterly", service="housing"
        )
        measure(report, indicator, "2025-Q2", 50, aspiration=60)
    gaps.gap_reports_build()
    assert count() == before


def test_the_csv_download_has_the_agreed_columns(personas, report):
    response = personas.client_for(personas.members[Role.AUDITOR]).get(reverse("portfolio:report-csv"))
    assert response["Content-Disposition"].startswith('attachment; filename="gap-report-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "ons_code",
        "indicator_code",
        "period",
        "actual",
        "aspiration",
        "gap_pct",
        "comparison_group",
        "percentile",
        "quartile",
        "peers_compared",
        "position_note",
        "trend",
        "incremental_unlikely",
    ]
    # The council is the only one reporting: no position, and the file says why (R2 still flagged).
    too_few = "Too few organisations have reported this period"
    everyone = "All reporting organisations"
    assert rows[1] == [
        *["E07000001", "NI192", "2025-Q2", "70", "80", "12.5", everyone, "", "", "0", too_few, "stable", "true"]
    ]
    assert rows[2][:6] == ["E07000001", "HOU-RELET", "2025-Q2", "30", "28", "7.1"]


def test_the_gap_report_command_prints_the_same_csv(personas, report, capsys):
    from django.core.management import call_command

    call_command("gap_report", "E07000001")
    out = capsys.readouterr().out.splitlines()
    response = personas.client_for(personas.members[Role.ADMIN]).get(reverse("portfolio:report-csv"))
    assert out == response.content.decode().splitlines()


def test_an_upload_with_errors_lists_every_bad_line_and_imports_nothing(
    personas, report, django_capture_on_commit_callbacks
):
    admin = personas.client_for(personas.members[Role.ADMIN])
    text = imports.csv_text(
        [
            ["ons_code", "indicator_code", "period", "value"],
            ["E07000001", "NI192", "2025-Q3", "x"],
            ["E07000001", "ZZ", "2025-Q3", "1"],
        ]
    )
    before = Measurement.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("portfolio:import"), {"file": SimpleUploadedFile("f.csv", text.encode())})
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url() and job.status == JobStatus.INVALID
    page = admin.get(job.get_absolute_url()).content.decode()
    assert "Nothing was imported" in page and "&#x27;x&#x27; is not a number" in page and "ZZ" in page
    assert Measurement.objects.count() == before
    assert not job.file  # the upload is not kept


def test_a_good_upload_is_imported_and_the_report_recomputed(personas, report, django_capture_on_commit_callbacks):
    admin = personas.client_for(personas.members[Role.ADMIN])
    text = imports.csv_text(
        [["ons_code", "indicator_code", "period", "value"], ["E07000001", "NI192", "2025-Q3", "79"]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("portfolio:import"), {"file": SimpleUploadedFile("f.csv", text.encode())})
    job = ImportJob.objects.get()
    assert (job.status, job.created_count) == (JobStatus.DONE, 1)
    assert "Figures imported" in admin.get(job.get_absolute_url()).content.decode()


def test_a_wrong_kind_of_file_gets_a_clear_error(personas):
    admin = personas.client_for(personas.members[Role.ADMIN])
    response = admin.post(reverse("portfolio:import"), {"file": SimpleUploadedFile("f.exe", b"MZ")})
    assert response.status_code == 200
    assert "The selected file must be a CSV or an XLSX" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_progress_page_answers_htmx_with_just_the_status(personas):
    job = ImportJob.objects.create(organisation=personas.council, original_name="big.csv", kind="actuals", progress=40)
    admin = personas.client_for(personas.members[Role.ADMIN])
    response = admin.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and 'hx-trigger="every 1s"' in body and 'value="40"' in body


def test_the_indicator_page_shows_a_table_behind_its_chart(personas, report, indicators):
    OrganisationFactory()
    page = personas.client_for(personas.members[Role.OFFICER]).get(indicators["recycling"].get_absolute_url())
    body = page.content.decode()
    assert 'id="indicator-series"' in body and 'id="indicator-table"' in body and "2025-Q2" in body


def test_the_report_counts_live_ideas_and_projects_aimed_at_each_indicator(personas, report, indicators):
    from innovation.models import ProjectStage
    from tests.factories import IdeaFactory, ProjectFactory

    IdeaFactory.create_batch(2, organisation=report, indicator=indicators["recycling"])
    IdeaFactory(organisation=personas.other_council, indicator=indicators["recycling"])  # not ours
    ProjectFactory(organisation=report, indicator=indicators["recycling"])
    ProjectFactory(organisation=report, indicator=indicators["recycling"], stage=ProjectStage.CLOSED)  # not live
    page = personas.client_for(personas.members[Role.OFFICER]).get(reverse("portfolio:report")).content.decode()
    recycling_row = page[page.index('id="indicators"') :].split("</tr>")[1]
    assert "2 ideas" in recycling_row
    assert "1 project" in recycling_row and "1 projects" not in recycling_row


def test_an_import_recomputes_the_organisations_report(personas, report, django_capture_on_commit_callbacks):
    admin = personas.client_for(personas.members[Role.ADMIN])
    text = imports.csv_text(
        [["ons_code", "indicator_code", "period", "value"], ["E07000001", "NI192", "2025-Q3", "79"]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("portfolio:import"), {"file": SimpleUploadedFile("f.csv", text.encode())})
    from portfolio.queries import gap_report_current

    rows = {row.indicator.code: row for row in gap_report_current(organisation=report).rows.select_related("indicator")}
    assert (rows["NI192"].period, rows["NI192"].actual) == ("2025-Q3", 79)


def test_capacity_is_summarised_as_medians_beside_the_sector(personas):
    from portfolio import queries
    from portfolio.models import CapacityAssessment

    scores = dict.fromkeys(CapacityFactor.values, 1)
    for role, ambition in ((Role.MANAGER, 2), (Role.MEMBER, 4)):
        CapacityAssessment.objects.create(
            organisation=personas.council,
            respondent=personas.members[role].user,
            scores={**scores, "ambition": ambition},
        )
    CapacityAssessment.objects.create(
        organisation=personas.other_council, respondent=personas.outsider.user, scores={**scores, "ambition": 5}
    )
    summary = queries.capacity_summary(organisation=personas.council)
    ambition = next(f for f in summary["factors"] if f["factor"] == "ambition")
    # Here: median of 2 and 4 is 3. Sector: median of the organisations' medians 3 and 5 is 4.
    assert (ambition["own"], ambition["sector"], summary["respondents"], summary["organisations"]) == (3, 4, 2, 2)


def test_saving_capacity_scores_replaces_your_earlier_ones(personas):
    client = personas.client_for(personas.members[Role.MEMBER])
    for score in ("2", "5"):
        client.post(reverse("portfolio:capacity"), dict.fromkeys(CapacityFactor.values, score))
    from portfolio.models import CapacityAssessment

    assessment = CapacityAssessment.objects.get()
    assert assessment.scores["ambition"] == 5 and assessment.history.count() == 2


TOO_FEW = "Too few organisations have reported this period"
LATEST = "Compared with the latest figure each council has reported"


def test_a_council_alone_in_its_quarter_is_given_no_position_and_told_why(personas, report):
    page = personas.client_for(personas.members[Role.OFFICER]).get(reverse("portfolio:report")).content.decode()
    table = page[page.index('id="indicators"') :]
    assert table.count(TOO_FEW) == 2
    assert "(best)" not in table and "percentile" not in table
    assert "No sector position is shown for 2 indicators: too few organisations have reported this period" in page


@pytest.fixture
def early_quarter(report, indicators):
    """The council has imported 2025-Q2; five others have reported only 2025-Q1 recycling (50 to 90)."""
    for value in (50, 60, 75, 80, 90):
        measure(OrganisationFactory(), indicators["recycling"], "2025-Q1", value)
    gaps.gap_reports_build()
    return report


def test_a_position_from_others_latest_figures_is_shown_and_says_so(personas, early_quarter):
    page = personas.client_for(personas.members[Role.OFFICER]).get(reverse("portfolio:report")).content.decode()
    assert "No sector position is shown for 1 indicator:" in page
    page = page[page.index('id="indicators"') :]  # the indicator table, after the chart of the biggest gaps
    recycling = page[page.index(">Recycling<") : page.index(">Re-let<")]
    # 50, 60, 70 (the council's 2025-Q2), 75, 80, 90: 3/6 = 50.0, quartile 3.
    assert ">3<" in recycling and "percentile 50.0" in recycling and LATEST in recycling
    relet = page[page.index(">Re-let<") :]
    assert TOO_FEW in relet.split("</tr>")[0]


def test_the_csv_and_api_carry_the_position_and_its_note(personas, early_quarter):
    client = personas.client_for(personas.members[Role.AUDITOR])
    rows = list(csv.reader(io.StringIO(client.get(reverse("portfolio:report-csv")).content.decode())))
    assert rows[1][6:11] == ["All reporting organisations", "50.0", "3", "5", LATEST]
    assert rows[2][6:11] == ["All reporting organisations", "", "", "0", TOO_FEW]
    api = {r["indicator"]: r for r in client.get("/api/gap-report/").json()["results"]}
    assert api["NI192"]["percentile"] == "50.0" and api["NI192"]["quartile"] == 3
    assert (api["NI192"]["peers_compared"], api["NI192"]["compared_with_latest"]) == (5, True)
    assert api["NI192"]["position_note"] == LATEST
    assert (api["HOU-RELET"]["percentile"], api["HOU-RELET"]["quartile"]) == (None, None)
    assert api["HOU-RELET"]["position_note"] == TOO_FEW
    assert api["HOU-RELET"]["incremental_unlikely"] is False


def _median_cells(page: str) -> list[str]:
    table = page[page.index('id="indicator-table"') :]
    return [row.split("</td>")[-2] for row in table.split("<tbody")[1].split("</tr>")[:-1]]


def test_the_indicator_page_never_gives_the_councils_own_value_as_the_sector_median(personas, report, indicators):
    client = personas.client_for(personas.members[Role.OFFICER])
    page = client.get(indicators["recycling"].get_absolute_url()).content.decode()
    cells = _median_cells(page)
    assert len(cells) == 2  # 2025-Q1 and 2025-Q2, both 70: the council alone
    for cell in cells:
        assert "70" not in cell and TOO_FEW in cell


def test_the_indicator_pages_sector_median_is_over_the_same_comparison(personas, early_quarter, indicators):
    client = personas.client_for(personas.members[Role.OFFICER])
    cells = _median_cells(client.get(indicators["recycling"].get_absolute_url()).content.decode())
    # 2025-Q1: 50, 60, 70 (the council), 75, 80, 90 → median (70 + 75) / 2 = 72.5, all of 2025-Q1.
    assert cells[0].endswith(">72.5") and LATEST not in cells[0]
    # 2025-Q2: the five others at their 2025-Q1 figures beside the council's 70: 72.5 again, said so.
    assert ">72.5<span" in cells[1] and LATEST in cells[1]

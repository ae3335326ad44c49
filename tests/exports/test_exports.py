"""Exports open in every format and hold exactly what the database and the page hold."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from reports import exports as reports
from reports.models import ExportJob
from sharing.models import Visibility
from tests.exports.conftest import content_of, pdf_text, read_csv, read_xlsx
from tests.factories import ProjectFactory
from tests.portfolio.test_report_job_interrupted import worker  # noqa: F401 (fixture)

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def take(client, name, fmt, mode="immediate", **filters):
    return client.post(reverse("reports:export-take", args=[name]), {"format": fmt, "mode": mode, **filters})


@pytest.fixture
def risks(make_risk, personas, project):
    make_risk(title=FORMULA, category="financial", inherent_likelihood=5, inherent_impact=5)
    make_risk(title="Supplier cannot deliver on time", category="delivery")
    make_risk(title="-5 staff short", category="delivery", residual_likelihood=None, residual_impact=None)
    # The other council's risk must never appear.
    other = ProjectFactory(organisation=personas.other_council, owner=personas.outsider.user, title="Kingsmere's")
    from risk import services

    outsider_manager = personas.outsider
    outsider_manager.role = Role.MANAGER
    outsider_manager.save()
    services.risk_create(
        actor=outsider_manager.user,
        project=other,
        title="Kingsmere secret",
        category="delivery",
        inherent_likelihood=2,
        inherent_impact=2,
    )


def test_the_risk_register_csv_holds_the_filtered_register_with_formulas_neutralised(admin_client, risks):
    response = take(admin_client, "risk-register", "csv", category="financial")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="lantern-risk-register-')
    rows = read_csv(response)
    assert rows[0] == reports.EXPORTS["risk-register"].columns
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["risk"] == "'" + FORMULA
    assert row["inherent_score"] == "25"
    assert row["inherent_band"] == "Very high"
    assert row["project"] == "Text reminders for bin days"


def test_the_risk_register_csv_unfiltered_has_every_own_risk_and_none_of_another_council(admin_client, risks):
    rows = read_csv(take(admin_client, "risk-register", "csv"))
    titles = {row[1] for row in rows[1:]}
    assert titles == {"'" + FORMULA, "Supplier cannot deliver on time", "'-5 staff short"}


def test_the_risk_register_xlsx_has_no_live_formula_and_numbers_stay_numbers(admin_client, risks):
    from risk.models import Risk

    response = take(admin_client, "risk-register", "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows, sheet = read_xlsx(response)
    assert rows[0] == reports.EXPORTS["risk-register"].columns
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    by_title = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_title) == {"'" + FORMULA, "Supplier cannot deliver on time", "'-5 staff short"}
    for risk in Risk.objects.for_organisation(risks_org := Risk.objects.first().organisation):
        assert risks_org is not None
        key = ("'" + risk.title) if risk.title[0] in "=-" else risk.title
        assert by_title[key]["inherent_score"] == risk.inherent_score
        assert by_title[key]["residual_score"] == risk.residual_score


def test_the_risk_register_pdf_lists_each_risk(admin_client, risks):
    response = take(admin_client, "risk-register", "pdf", category="delivery")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "Supplier cannot deliver on time" in text
    assert "Kingsmere" not in text
    assert "HYPERLINK" not in text  # filtered out: it is a financial risk


def test_an_anonymised_lesson_of_another_council_has_no_organisation_person_or_contact(
    admin_client, make_lesson, personas
):
    from tests.factories import OrganisationFactory

    elsewhere = OrganisationFactory(name="Brackenford Borough Council")
    make_lesson(visibility=Visibility.ANONYMISED, organisation=elsewhere)
    own = make_lesson(visibility=Visibility.INTERNAL)
    for fmt in ("csv", "xlsx"):
        response = take(admin_client, "lessons", fmt)
        rows = read_csv(response) if fmt == "csv" else read_xlsx(response)[0]
        lessons = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        anonymised = next(row for row in lessons if row["anonymised"] in ("true", True))
        assert not anonymised["organisation"] and not anonymised["author"]
        assert not anonymised["contact_name"] and not anonymised["contact_email"]
        text = " ".join(str(v) for v in anonymised.values() if v is not None)
        assert "Brackenford" not in text and "Quince" not in text and "b.quince" not in text
        mine = next(row for row in lessons if row["anonymised"] in ("false", False))
        assert mine["organisation"] == own.organisation.name
    text = pdf_text(take(admin_client, "lessons", "pdf"))
    assert "Brackenford" not in text
    assert "Ashby Vale District Council" in text


def test_the_portfolio_register_shows_the_highest_open_residual_risk_and_its_band(admin_client, risks, project):
    rows = read_csv(take(admin_client, "portfolio-register", "csv"))
    register = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [row["title"] for row in register] == [project.title]
    assert register[0]["highest_residual_risk_score"] == "6"  # 2 × 3 from make_risk
    assert register[0]["risk_band"] == "Medium"
    assert register[0]["owner"] == project.owner.full_name


def test_the_gap_report_and_capacity_exports_hold_the_reports_figures(admin_client, personas, indicator):
    from decimal import Decimal

    from django.utils import timezone

    from portfolio.models import CapacityAssessment, CapacityFactor, GapReport, GapReportRow

    report = GapReport.objects.create(
        organisation=personas.council, computed_at=timezone.now(), period="2025-Q4", is_current=True
    )
    GapReportRow.objects.create(
        report=report,
        organisation=personas.council,
        indicator=indicator,
        period="2025-Q4",
        period_index=8103,
        actual=Decimal("120"),
        aspiration=Decimal("100"),
        gap_pct=Decimal("-20.0"),
        percentile=Decimal("50.0"),
        quartile=3,
        trend="worsening",
        incremental_unlikely=False,
    )
    rows, _ = read_xlsx(take(admin_client, "gap-report", "xlsx"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["indicator_code"] == indicator.code
    assert row["gap_pct"] == -20  # a negative number stays a number
    assert row["ons_code"] == personas.council.ons_code

    scores = dict.fromkeys(CapacityFactor.values, 4)
    CapacityAssessment.objects.create(
        organisation=personas.council, respondent=personas.members[Role.MANAGER].user, scores=scores
    )
    rows = read_csv(take(admin_client, "capacity-assessment", "csv"))
    assert rows[0] == reports.EXPORTS["capacity-assessment"].columns
    assert len(rows) == 1 + len(CapacityFactor.values)
    assert all(row[1] == "4" for row in rows[1:])


ALLOWED = {Role.ADMIN: 200, Role.AUDITOR: 200}


@pytest.mark.parametrize("role", Role.values)
def test_only_admins_and_auditors_reach_the_reports_pages(personas, role):
    client = personas.client_for(personas.members[role])
    expected = ALLOWED.get(role, 403)
    assert client.get(reverse("reports:index")).status_code == expected
    assert client.get(reverse("reports:export", args=["risk-register"])).status_code == expected
    assert take(client, "risk-register", "csv").status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_an_unknown_export_is_not_found(admin_client):
    assert admin_client.get(reverse("reports:export", args=["nothing"])).status_code == 404


def test_every_export_is_recorded_with_who_what_filter_and_rows(admin_client, risks, personas):
    content_of(take(admin_client, "risk-register", "csv", category="delivery", page="3"))
    job = ExportJob.objects.get()
    assert job.requested_by == personas.members[Role.ADMIN].user
    assert (job.export, job.format, job.mode) == ("risk-register", "csv", "immediate")
    assert job.filters == {"category": ["delivery"]}
    assert job.row_count == 2
    assert job.status == "done"


def test_a_background_export_shows_progress_then_a_download_kept_for_a_week(
    admin_client, risks, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = take(admin_client, "risk-register", "xlsx", mode="background")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert "Preparing your export" in admin_client.get(job.get_absolute_url()).content.decode()
    for callback in queued:  # the Celery job, queued once the export was recorded
        callback()
    page = admin_client.get(job.get_absolute_url())
    assert "Your export is ready" in page.content.decode()
    download = admin_client.get(reverse("reports:job-download", args=[job.public_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="lantern-risk-register-')
    rows, sheet = read_xlsx(download)
    assert len(rows) == 4
    # Another admin of the same council cannot fetch someone else's file.
    from tests.factories import MembershipFactory

    other_admin = personas.client_for(MembershipFactory(organisation=personas.council, role=Role.ADMIN))
    assert other_admin.get(job.get_absolute_url()).status_code == 404


def test_the_progress_partial_polls_until_the_job_is_finished(admin_client, personas, request):
    job = ExportJob.objects.create(
        organisation=personas.council,
        requested_by=personas.members[Role.ADMIN].user,
        export="risk-register",
        format="csv",
        mode="background",
        progress=40,
        status="running",
    )
    if connection.vendor == "postgresql":
        # A worker is preparing it: it holds the job's run lock (without one, the job has stopped).
        worker = request.getfixturevalue("worker")
        worker.execute("SELECT pg_advisory_lock(%s, %s)", [reports.EXPORT_RUN_LOCK, job.pk])
    partial = admin_client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "40% done" in partial
    assert "<html" not in partial


def test_a_large_export_is_prepared_in_the_background(admin_client, risks, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 2
    response = take(admin_client, "risk-register", "csv")
    assert response.status_code == 302
    assert ExportJob.objects.get().mode == "background"


def test_a_pdf_of_too_many_rows_is_refused_with_a_reason(admin_client, risks, settings):
    settings.EXPORT_PDF_MAX_ROWS = 1
    response = take(admin_client, "risk-register", "pdf")
    assert response.status_code == 400
    assert "A PDF can hold at most 1 rows" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_too_many_exports_in_an_hour_get_429(admin_client, risks, settings):
    settings.EXPORT_PER_HOUR = 2
    for _ in range(2):
        content_of(take(admin_client, "risk-register", "csv"))
    assert take(admin_client, "risk-register", "csv").status_code == 429


def test_the_filename_is_the_servers_whatever_is_sent(admin_client, risks):
    response = take(admin_client, "risk-register", "csv", filename='x"\r\nSet-Cookie: a=b')
    assert "Set-Cookie" not in response
    assert "\n" not in response["Content-Disposition"]


def test_exports_are_refused_by_get(admin_client):
    assert admin_client.get(reverse("reports:export-take", args=["risk-register"])).status_code == 405


def test_the_measurements_csv_holds_the_organisations_values_neutralised(admin_client, personas, indicator):
    """On PostgreSQL this is the COPY path, escaping in SQL; elsewhere the ORM path. Both read the same."""
    from decimal import Decimal

    from portfolio.models import Measurement

    for period, index, value in [("2025-Q1", 8100, "45.5"), ("=1+2", 8101, "-3.25")]:
        Measurement.objects.create(
            organisation=personas.council, indicator=indicator, period=period, period_index=index, value=Decimal(value)
        )
    Measurement.objects.create(
        organisation=personas.other_council, indicator=indicator, period="2025-Q1", period_index=8100, value=1
    )
    rows = read_csv(take(admin_client, "measurements", "csv"))
    assert rows[0] == reports.EXPORTS["measurements"].columns
    assert [(r[0], r[1], r[2], Decimal(r[3])) for r in rows[1:]] == [
        (personas.council.ons_code, indicator.code, "2025-Q1", Decimal("45.5")),
        (personas.council.ons_code, indicator.code, "'=1+2", Decimal("-3.25")),
    ]
    assert ExportJob.objects.get().row_count == 2


def test_the_measurements_csv_neutralises_every_trigger_as_the_python_writer_does(admin_client, personas, indicator):
    """Every character that starts a formula, through whichever path this database takes."""
    from portfolio.models import Measurement
    from reports.writers import TRIGGERS, cell

    periods = [f"{trigger}1+2" for trigger in TRIGGERS if trigger != "\0"] + ["2025-Q1", "é-Q1"]
    for index, period in enumerate(periods):
        Measurement.objects.create(
            organisation=personas.council, indicator=indicator, period=period, period_index=8100 + index, value=1
        )
    rows = read_csv(take(admin_client, "measurements", "csv"))
    assert [r[2] for r in rows[1:]] == [cell(period) for period in periods]
    assert [r[2] for r in rows[1:]][:3] == ["'=1+2", "'+1+2", "'-1+2"]

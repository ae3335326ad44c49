"""The committee pack: an admin names the committee and the meeting, a Celery job writes the PDF,
and the PDF holds the organisation's own figures (and nobody else's) in committee-report shape."""

import datetime
import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from innovation.models import BusinessCase, BusinessCaseOption, ProjectStage
from portfolio import gaps
from portfolio.models import GapReport, GapReportRow, Indicator, Service
from reports.models import ExportJob
from risk import scoring, services
from risk.models import Risk
from sharing.models import Visibility
from tests.factories import OrganisationFactory, ProjectFactory
from tests.portfolio.conftest import measure

pypdf = pytest.importorskip("pypdf")

MEETING = timezone.localdate() + datetime.timedelta(days=14)


def ask(client, **data):
    values = {"committee": "Overview and Scrutiny Committee", "meeting_date": MEETING.isoformat(), **data}
    return client.post(reverse("reports:committee-pack"), values)


def read_pdf(response) -> pypdf.PdfReader:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return pypdf.PdfReader(io.BytesIO(data))


def text_of(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _case(project, summary: str, innovate: tuple, recommended="innovate"):
    case = BusinessCase.objects.create(
        organisation=project.organisation, project=project, summary=summary, recommended_option=recommended
    )
    rows = {
        "innovate": innovate,
        "incremental": (Decimal(2000), Decimal(500), Decimal(1500), 3),
        "do_nothing": (Decimal(0), Decimal(0), Decimal(0), 3),
    }
    for kind, (one_off, running, benefit, years) in rows.items():
        BusinessCaseOption.objects.create(
            organisation=project.organisation,
            business_case=case,
            kind=kind,
            one_off_cost=one_off,
            running_cost=running,
            benefit=benefit,
            years=years,
        )
    return case


def _gap(organisation, indicator, gap, *, unlikely=False, report=None):
    report = report or GapReport.objects.create(
        organisation=organisation, computed_at=timezone.now(), period="2025-Q4", is_current=True
    )
    GapReportRow.objects.create(
        report=report,
        organisation=organisation,
        indicator=indicator,
        period="2025-Q4",
        period_index=8103,
        actual=Decimal("135"),
        aspiration=Decimal("100"),
        gap_pct=Decimal(gap),
        percentile=Decimal("25.0"),
        quartile=4,
        trend="worsening",
        incremental_unlikely=unlikely,
    )
    return report


@pytest.fixture
def council_data(personas, project, make_risk, manager, make_lesson, indicator):
    """The first council: two projects awaiting decision (one risk-assessed), one under way, a gap
    report and lessons; the second council: its own of each, none of which may appear."""
    member = personas.members[Role.MEMBER].user
    project.stage, project.sponsor, project.budget = ProjectStage.AWAITING_APPROVAL, member, Decimal(25000)
    project.save()
    _case(project, "Texts cost little and cut missed bins.", (Decimal(10000), Decimal(2000), Decimal(9000), 3))
    make_risk()  # residual 2 × 3 = 6, medium
    make_risk(
        title="Residents ignore the texts",
        category="service_users",
        inherent_likelihood=5,
        inherent_impact=4,
        residual_likelihood=4,
        residual_impact=4,
    )  # residual 16, very high: above the default appetite of 12
    services.assessment_update(
        actor=manager, project=project, summary="A late supplier is the main worry.", recommendation="Go ahead."
    )
    fridges = ProjectFactory(
        organisation=personas.council,
        owner=manager,
        title="Community fridge network",
        stage=ProjectStage.AWAITING_APPROVAL,
    )
    _case(fridges, "Fridges in four libraries.", (Decimal(4000), Decimal(1000), Decimal(3000), 2))
    under_way = ProjectFactory(
        organisation=personas.council,
        owner=manager,
        title="Digital parking permits",
        stage=ProjectStage.IMPLEMENTATION,
        budget=Decimal(40000),
    )
    make_risk(project=under_way, title="Permit system outage", residual_likelihood=3, residual_impact=5)

    other_manager = personas.outsider
    other_manager.role = Role.MANAGER
    other_manager.save()
    secret = ProjectFactory(
        organisation=personas.other_council,
        owner=other_manager.user,
        title="Kingsmere secret scheme",
        stage=ProjectStage.AWAITING_APPROVAL,
    )
    _case(secret, "Kingsmere's own case.", (Decimal(1), Decimal(1), Decimal(1), 1))
    services.risk_create(
        actor=other_manager.user,
        project=secret,
        title="Kingsmere secret risk",
        category="delivery",
        inherent_likelihood=5,
        inherent_impact=5,
        residual_likelihood=5,
        residual_impact=5,
    )

    parks = Indicator.objects.create(
        code="TEST-PARK-1",
        name="Parking fines paid on time",
        unit="%",
        polarity=Indicator.Polarity.HIGHER_IS_BETTER,
        frequency=Indicator.Frequency.QUARTERLY,
        service=Service.HIGHWAYS_TRANSPORT,
    )
    report = _gap(personas.council, indicator, "35.0", unlikely=True)
    _gap(personas.council, parks, "4.5", report=report)
    secret_indicator = Indicator.objects.create(
        code="TEST-KM-1",
        name="Kingsmere secret indicator",
        unit="%",
        polarity=Indicator.Polarity.HIGHER_IS_BETTER,
        frequency=Indicator.Frequency.QUARTERLY,
        service=Service.HIGHWAYS_TRANSPORT,
    )
    _gap(personas.other_council, secret_indicator, "80.0", unlikely=True)

    elsewhere = OrganisationFactory(name="Brackenford Borough Council")
    make_lesson(visibility=Visibility.ANONYMISED, organisation=elsewhere, title="Brackenford tried lockers")
    make_lesson(visibility=Visibility.INTERNAL, title="Our own lesson on reminders")
    make_lesson(visibility=Visibility.INTERNAL, organisation=personas.other_council, title="Kingsmere internal lesson")
    return {"project": project, "fridges": fridges}


@pytest.fixture
def admin_client(personas):
    return personas.client_for(personas.members[Role.ADMIN])


def generate(client, django_capture_on_commit_callbacks, **data):
    """Asks for a pack and runs the Celery job queued once the request committed; returns the job."""
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = ask(client, **data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(queued) == 1
    job = ExportJob.objects.get(export="committee-pack")
    assert response["Location"] == job.get_absolute_url()
    return job


def pack_text(client, django_capture_on_commit_callbacks, **data) -> tuple[str, pypdf.PdfReader]:
    job = generate(client, django_capture_on_commit_callbacks, **data)
    download = client.get(reverse("reports:job-download", args=[job.public_id]))
    assert download.status_code == 200
    if os.environ.get("LANTERN_KEEP_PACK"):  # to look at the pages: pdftoppm -png the file
        Path(os.environ["LANTERN_KEEP_PACK"]).write_bytes(b"".join(download.streaming_content))
        download = client.get(reverse("reports:job-download", args=[job.public_id]))
    assert download["Content-Disposition"].startswith('attachment; filename="lantern-committee-pack-')
    reader = read_pdf(download)
    return text_of(reader), reader


def test_the_pack_is_a_committee_report_with_the_councils_own_figures(
    admin_client, council_data, django_capture_on_commit_callbacks
):
    text, reader = pack_text(admin_client, django_capture_on_commit_callbacks)
    flat = " ".join(text.split())
    # The heading block and committee-report shape.
    assert "Ashby Vale District Council" in flat
    assert "Report to Overview and Scrutiny Committee" in flat
    assert f"Date of meeting {MEETING.day} {MEETING:%B %Y}" in flat
    assert "Report of" in flat and "Date of report" in flat
    for heading in (
        "Purpose of the report",
        "Recommendations",
        "1. Portfolio summary",
        "2. Projects awaiting decision",
        "3. The biggest gaps",
        "4. Risk heat map",
        "5. Recent lessons",
    ):
        assert heading in flat
    assert "considers the 2 projects awaiting decision" in flat
    # 2: each project awaiting decision, with its business case and risk summary.
    assert "Text reminders for bin days" in flat and "Community fridge network" in flat
    assert "Texts cost little and cut missed bins." in flat
    assert "Innovate (recommended)" in flat
    assert "£11,000" in flat  # net value: 9,000 × 3 − 10,000 − 2,000 × 3
    assert "the highest residual score is 16 (Very high), above the authority's risk appetite of 12" in flat
    assert "Residents ignore the texts" in flat and "A late supplier is the main worry." in flat
    assert "No risk assessment has been recorded." in flat  # the fridges
    # 1: totals by stage. Awaiting: budget 25,000 (the fridges have none); whole-life cost
    # 10,000 + 2,000 × 3 and 4,000 + 1,000 × 2; net value 11,000 and 0. Then the project under way
    # (40,000) and the closed one behind the council's own lesson.
    assert "Awaiting approval 2 £25,000 £22,000 £11,000" in flat
    assert "Implementation 1 £40,000" in flat
    assert "Total 4 £65,000 £22,000 £11,000" in flat
    # 3: the biggest gap first, flagged.
    assert "Households in temporary accommodation (TEST-HOM-1)" in flat
    assert flat.index("TEST-HOM-1") < flat.index("TEST-PARK-1")
    assert "35.0%" in flat and "Incremental improvement unlikely" in flat
    # Accessible basics: a title, real text, the headings as the outline.
    assert reader.metadata.title.startswith("Innovation portfolio: report to members: Overview and Scrutiny")
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "1. Portfolio summary" in outline and "5. Recent lessons" in outline


def test_the_heat_map_counts_are_the_databases(
    admin_client, personas, council_data, django_capture_on_commit_callbacks
):
    text, _ = pack_text(admin_client, django_capture_on_commit_callbacks)
    risks = Risk.objects.for_organisation(personas.council).live()
    for label, field in (("after controls (residual)", "residual"), ("before controls (inherent)", "inherent")):
        section = text.split(f"Risks {label}: ")[1]
        total, section = section.split("\n", 1)
        expected = {}
        for risk in risks:
            key = (getattr(risk, f"{field}_likelihood"), getattr(risk, f"{field}_impact"))
            if None not in key:
                expected[key] = expected.get(key, 0) + 1
        assert int(total) == sum(expected.values())
        for impact, name in reversed(scoring.IMPACT_LABELS.items()):
            line = re.search(rf"^{impact} {name}\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s", section, re.MULTILINE)
            assert line, f"no row for impact {impact} in {section[:400]}"
            counts = [int(n) for n in line.groups()]
            assert counts == [expected.get((likelihood, impact), 0) for likelihood in scoring.SCALE]
    assert "Kingsmere" not in text


def test_an_anonymised_lesson_shows_no_organisation_person_or_contact(
    admin_client, council_data, django_capture_on_commit_callbacks
):
    text, _ = pack_text(admin_client, django_capture_on_commit_callbacks)
    flat = " ".join(text.split())
    assert "An anonymised district council" in flat or "An anonymised" in flat
    assert "Our own lesson on reminders" in flat
    for leak in ("Brackenford", "Bartholomew", "Quince", "b.quince", "Ottoline", "01632"):
        assert leak not in flat


def test_another_councils_data_is_absent(admin_client, council_data, django_capture_on_commit_callbacks):
    text, _ = pack_text(admin_client, django_capture_on_commit_callbacks)
    assert "Kingsmere" not in text


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_admins_may_prepare_a_pack(personas, role):
    client = personas.client_for(personas.members[role])
    assert client.get(reverse("reports:committee-pack")).status_code == 403
    assert ask(client).status_code == 403
    assert not ExportJob.objects.exists()


def test_the_reports_page_offers_the_pack_to_admins_only(personas, admin_client):
    assert "Prepare a committee pack" in admin_client.get(reverse("reports:index")).content.decode()
    auditor = personas.client_for(personas.members[Role.AUDITOR])
    assert "Prepare a committee pack" not in auditor.get(reverse("reports:index")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"committee": "   "}, "Enter the name of the committee"),
        ({"meeting_date": ""}, "Enter the date of the meeting"),
        ({"meeting_date": "2026-02-30"}, "Enter the meeting date as a real date"),
        ({"meeting_date": "next Tuesday"}, "Enter the meeting date as a real date"),
        ({"meeting_date": "2001-01-01"}, "must be today or in the future"),
        ({"meeting_date": "2099-01-01"}, "within the next two years"),
        ({"committee": "C" * 121}, "120 characters or fewer"),
    ],
)
def test_bad_input_is_refused_with_an_error_summary_and_nothing_queued(
    admin_client, django_capture_on_commit_callbacks, data, message
):
    with django_capture_on_commit_callbacks() as queued:
        response = ask(admin_client, **data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and message in body
    assert "<title>Error:" in body
    assert not queued and not ExportJob.objects.exists()


def test_the_job_page_shows_progress_until_the_pack_is_ready(
    admin_client, council_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = ask(admin_client)
    job = ExportJob.objects.get()
    page = admin_client.get(response["Location"]).content.decode()
    assert "Preparing your committee pack" in page and "0% done" in page
    for callback in queued:
        callback()
    page = admin_client.get(response["Location"]).content.decode()
    assert "Your committee pack is ready" in page and "Download the committee pack (PDF)" in page
    job.refresh_from_db()
    assert job.status == "done" and job.filters["committee"] == "Overview and Scrutiny Committee"
    assert job.requested_by is not None and job.mode == "background"
    listing = admin_client.get(reverse("reports:index")).content.decode()
    assert "Committee pack</a> for Overview and Scrutiny Committee" in listing


def test_the_committee_name_is_text_in_the_pdf_whatever_it_holds(admin_client, django_capture_on_commit_callbacks):
    text, reader = pack_text(admin_client, django_capture_on_commit_callbacks, committee="Cabinet <b>& Scrutiny</b>")
    assert "Cabinet <b>& Scrutiny</b>" in " ".join(text.split())


@pytest.fixture
def recycling(db):
    return Indicator.objects.create(
        code="TEST-REC-1",
        name="Household waste recycled",
        unit="%",
        polarity=Indicator.Polarity.HIGHER_IS_BETTER,
        frequency=Indicator.Frequency.QUARTERLY,
        service=Service.WASTE,
    )


def test_a_council_first_to_report_a_quarter_is_not_told_it_leads_the_sector(
    admin_client, personas, recycling, django_capture_on_commit_callbacks
):
    # The council imports 2025-Q3 (40%, aspiration 60%) and nobody else has figures near it.
    measure(personas.council, recycling, "2025-Q2", 42)  # worsening
    measure(personas.council, recycling, "2025-Q3", 40, aspiration=60)
    gaps.gap_reports_build(organisation_ids=[personas.council.pk])
    text, _ = pack_text(admin_client, django_capture_on_commit_callbacks)
    flat = " ".join(text.split())
    section = flat.split("3. The biggest gaps")[1].split("4. Risk heat map")[0]
    assert "Household waste recycled (TEST-REC-1) 2025-Q3" in section
    assert "Too few organisations have reported this period" in section
    assert "Incremental improvement unlikely" in section  # R2 needs only the council's own figures


def test_the_pack_says_when_the_quartile_uses_others_latest_figures(
    admin_client, personas, recycling, django_capture_on_commit_callbacks
):
    # Five others reported 2025-Q2 only: 30, 35, 45, 50, 55. The council's 2025-Q3 40 is 3/6 = 50.0: quartile 3.
    for value in (30, 35, 45, 50, 55):
        measure(OrganisationFactory(), recycling, "2025-Q2", value)
    measure(personas.council, recycling, "2025-Q3", 40, aspiration=60)
    gaps.gap_reports_build(organisation_ids=[personas.council.pk])
    text, _ = pack_text(admin_client, django_capture_on_commit_callbacks)
    section = " ".join(text.split()).split("3. The biggest gaps")[1].split("4. Risk heat map")[0]
    assert "3. Compared with the latest figure each council has reported" in section
    assert "Too few organisations" not in section.split("Innovate?")[1]

"""A Welsh reader's reports come out in Welsh: the PDFs are written in the language of the request
(or, for the committee pack prepared by a worker, the language it was asked for in), while the
CSV keeps its machine column names, which scripts and spreadsheets read."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import exports as reports
from tests.exports.conftest import content_of, read_csv
from tests.exports.test_committee_pack import council_data, generate  # noqa: F401 (fixture)
from tests.exports.test_exports import risks, take  # noqa: F401 (fixture)


def _welsh(client):
    client.cookies["django_language"] = "cy"
    return client


def _text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), reader


def test_a_welsh_readers_risk_register_pdf_is_in_welsh(admin_client, risks):  # noqa: F811
    text, reader = _text(content_of(take(_welsh(admin_client), "risk-register", "pdf")))

    assert "Cofrestr risg" in text
    assert "Triniaeth" in text and "Tudalen 1" in text
    assert "Treatment" not in text
    assert reader.trailer["/Root"]["/Lang"] == "cy"


def test_a_welsh_readers_csv_keeps_its_machine_column_names(admin_client, risks):  # noqa: F811
    rows = read_csv(take(_welsh(admin_client), "risk-register", "csv"))

    assert rows[0] == reports.EXPORTS["risk-register"].columns


def test_a_committee_pack_asked_for_in_welsh_is_written_in_welsh(
    admin_client,
    council_data,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    job = generate(_welsh(admin_client), django_capture_on_commit_callbacks)
    text, reader = _text(content_of(admin_client.get(reverse("reports:job-download", args=[job.public_id]))))

    assert job.filters["language"] == "cy"
    assert "Diben yr adroddiad" in text and "Argymhellion" in text
    assert "Purpose of the report" not in text
    assert reader.trailer["/Root"]["/Lang"] == "cy"


def test_the_reports_page_reads_in_welsh(admin_client):
    page = _welsh(admin_client).get(reverse("reports:index")).content.decode()

    assert "Adroddiadau" in page and "Cofrestr risg" in page


def test_a_welsh_committee_packs_dates_have_welsh_months(
    admin_client,
    council_data,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    meeting = datetime.date(timezone.localdate().year + 1, 12, 10)
    job = generate(_welsh(admin_client), django_capture_on_commit_callbacks, meeting_date=meeting.isoformat())
    text, _ = _text(content_of(admin_client.get(reverse("reports:job-download", args=[job.public_id]))))

    assert f"10 Rhagfyr {meeting.year}" in text
    assert "December" not in text

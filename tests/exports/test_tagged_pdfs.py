"""Every PDF Lantern produces is tagged, so that a screen reader can use it (the accessibility
regulations): the committee pack and every export taken as a PDF."""

import pytest
from django.urls import reverse

from reports import exports as reports
from sharing.models import Visibility
from tests.exports.conftest import content_of
from tests.exports.pdf_checks import pdfua_findings, roles, tagging_faults
from tests.exports.test_committee_pack import council_data, generate  # noqa: F401 (fixture)
from tests.exports.test_exports import risks, take  # noqa: F401 (fixture)


@pytest.fixture
def everything(risks, make_lesson):  # noqa: F811
    make_lesson(visibility=Visibility.SECTOR)


@pytest.mark.parametrize("name", sorted(reports.EXPORTS))
def test_every_export_pdf_is_tagged_for_screen_readers(admin_client, everything, name, tmp_path):
    response = take(admin_client, name, "pdf")
    assert response.status_code == 200, response.content[:500]
    data = content_of(response)

    assert tagging_faults(data) == []
    findings = pdfua_findings(data, tmp_path)
    assert not findings, findings


def test_the_risk_register_pdf_reads_as_heading_then_one_table_with_header_cells(admin_client, risks):  # noqa: F811
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content_of(take(admin_client, "risk-register", "pdf"))))
    found = roles(reader)

    assert found[:2] == ["Document", "H1"]
    assert found.count("Table") == 1
    # One header row of ten columns, then one row a risk.
    assert found.count("TH") == 10
    assert found.count("TR") == 1 + 3
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_the_committee_pack_is_tagged_for_screen_readers(
    admin_client,
    council_data,  # noqa: F811
    django_capture_on_commit_callbacks,
    tmp_path,
):
    import io

    from pypdf import PdfReader

    job = generate(admin_client, django_capture_on_commit_callbacks)
    data = content_of(admin_client.get(reverse("reports:job-download", args=[job.public_id])))

    assert tagging_faults(data) == []
    findings = pdfua_findings(data, tmp_path)
    assert not findings, findings
    found = roles(PdfReader(io.BytesIO(data)))
    assert found.count("H1") == 1
    assert "H2" in found and "H3" in found
    assert found.count("Table") >= 3

"""Register and list PDFs are laid out for reading: human headings, money in pounds, dates in
words, a landscape table that fits the page, and its header row repeated on every page."""

import datetime
import io
from decimal import Decimal

from pypdf import PdfReader

from reports import pdf_layout, writers
from risk.models import Risk
from tests.exports.conftest import content_of
from tests.exports.test_exports import risks, take  # noqa: F401 (fixture)


def _pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_portfolio_register_pdf_reads_with_headings_pounds_and_dates_in_words(admin_client, project):
    project.budget, project.spend_to_date = Decimal("25000"), Decimal("1234.56")
    project.save()

    pages = _pages(content_of(take(admin_client, "portfolio-register", "pdf")))
    text = " ".join(pages)

    assert "Spent so far" in text and "Budget" in text
    assert "spend_to_date" not in text and "innovate_one_off_cost" not in text
    assert "£25,000" in text and "£1,235" in text


def test_risk_register_pdf_is_landscape_with_its_header_on_every_page(admin_client, risks, make_risk):  # noqa: F811
    for n in range(60):
        make_risk(title=f"Risk number {n}", review_date=datetime.date(2026, 3, 4))

    data = content_of(take(admin_client, "risk-register", "pdf"))
    reader = PdfReader(io.BytesIO(data))
    pages = _pages(data)

    assert len(pages) >= 2
    for page in reader.pages:
        assert page.mediabox.width > page.mediabox.height
    for text in pages:
        assert "Score after controls" in text and "Review by" in text
    assert "4 March 2026" in " ".join(pages)
    assert "2026-03-04" not in " ".join(pages)
    assert "residual_score" not in " ".join(pages)
    assert Risk.objects.count() > 60


def test_every_column_of_a_layout_is_one_of_its_exports_columns():
    from reports import exports

    for name, columns in pdf_layout.LAYOUTS.items():
        assert {column.name for column in columns} <= set(exports.EXPORTS[name].columns), name


def test_an_export_without_a_layout_gets_readable_headings(tmp_path):
    path = tmp_path / "x.pdf"
    writers.pdf_write(
        str(path), title="T", subtitle="s", columns=["review_date", "gap_pct"], rows=[[datetime.date(2026, 1, 2), 3]]
    )
    text = " ".join(_pages(path.read_bytes()))
    assert "Review date" in text and "Gap per cent" in text and "2 January 2026" in text

"""How the committee pack looks: the risk bands' colours, how money, numbers and dates read,
the type styles, and the table and document every section of reports.pack_pdf is drawn with."""

import datetime
from decimal import Decimal
from html import escape

from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from accounts.templatetags import govuk
from reports import tagged_pdf
from reports.tagged_pdf import SANS_BOLD
from risk.scoring import Band

# GOV.UK tag colours of the risk bands (risk.scoring.BAND_TAG_CLASSES): dark text on a light
# fill, which keeps a contrast above 7:1. The count and the key carry the meaning too.
BAND_COLOURS = {
    Band.LOW: ("#cce2d8", "#005a30"),
    Band.MEDIUM: ("#fff7bf", "#594d00"),
    Band.HIGH: ("#fcd6c3", "#6e3619"),
    Band.VERY_HIGH: ("#f4cdc6", "#2a0b06"),
}


def band_colours() -> dict[str, tuple[str, str]]:
    """The colours by band label, as the heat map's squares name their band: in the language the
    pack is being written in, should the bands' labels be translated."""
    return {str(band.label): colours for band, colours in BAND_COLOURS.items()}


GREY = colors.HexColor("#f3f2f1")
RULE = colors.HexColor("#b1b4b6")


def money(value: Decimal | None) -> str:
    """£1,234, or −£1,234 (a true minus sign, drawn from ReportLab's Symbol font): whole pounds,
    as members read a summary and as every page writes money (accounts' `money` filter)."""
    if value is None:
        return "–"
    return govuk.money(value)


def number(value) -> str:
    if value is None:
        return "–"
    text = f"{Decimal(value).normalize():f}"
    return text


def long_date(value: datetime.date | None) -> str:
    return date_format(value, "j F Y") if value else "–"


class Styles:
    def __init__(self):
        base = tagged_pdf.stylesheet()
        self.title = base["Title"].clone("pack-title", fontSize=20, leading=24, alignment=0, spaceAfter=6)
        self.h1 = base["Heading1"].clone("pack-h1", fontSize=15, leading=19, spaceBefore=10, spaceAfter=4)
        self.h2 = base["Heading2"].clone("pack-h2", fontSize=12, leading=15, spaceBefore=8, spaceAfter=3)
        self.body = base["BodyText"].clone("pack-body", fontSize=10, leading=13.5, spaceAfter=4)
        self.small = self.body.clone("pack-small", fontSize=8.5, leading=11, spaceAfter=0)
        self.small_bold = self.small.clone("pack-small-bold", fontName=SANS_BOLD)
        self.small_right = self.small.clone("pack-small-right", alignment=TA_RIGHT)
        self.small_bold_right = self.small_bold.clone("pack-small-bold-right", alignment=TA_RIGHT)
        self.label = self.body.clone("pack-label", fontName=SANS_BOLD, spaceAfter=0)
        self.value = self.body.clone("pack-value", spaceAfter=0)
        self.cell = ParagraphStyle("pack-cell", parent=self.small, alignment=1, fontName=SANS_BOLD, fontSize=11)


def para(text, style) -> Paragraph:
    """A paragraph of plain text: escaped, because reportlab's Paragraph reads its text as markup."""
    return Paragraph(escape(str(text)), style)


# The pack's title is its one H1; its numbered sections are H2, their parts H3.
ROLES = {"pack-title": "H1", "pack-h1": "H2", "pack-h2": "H3"}


class PackDocument(tagged_pdf.TaggedDocument):
    """A tagged document whose headings become the PDF's outline, so readers can jump between sections."""

    def __init__(self, filename, **kwargs):
        super().__init__(filename, roles=ROLES, **kwargs)

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name in ("pack-h1", "pack-h2"):
            text = flowable.getPlainText()
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=0 if flowable.style.name == "pack-h1" else 1, closed=False)


def table(data, widths, *, header_rows=1, extra_style=()):
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), GREY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *extra_style,
            ]
        )
    )
    # A table with no header row is labels and their values: each label heads its row.
    table.tag_row_headers = header_rows == 0
    return table

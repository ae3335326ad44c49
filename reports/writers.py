"""Rows out as CSV, XLSX and PDF, with formula injection neutralised in one place.

A spreadsheet treats a cell that begins with = + - @ (or a tab, carriage return, line feed
or NUL, which some programs strip before looking) as a formula, so text typed into
Lantern by anyone could run in the spreadsheet of the officer who opens an export
(CWE-1236). `cell` gives every such string a leading apostrophe; numbers stay numbers, so
a negative gap is still a number. The PostgreSQL COPY path does the same in SQL
(`sql_neutralised`), with the same trigger characters.
"""

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from html import escape

import xlsxwriter
from django.utils.translation import gettext, ngettext

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
# Rows between progress callbacks, and bytes gathered before a streamed chunk is sent.
PROGRESS_EVERY = 5_000
CHUNK_BYTES = 64 * 1024


def cell(value):
    """One value as it goes into a CSV or XLSX cell: numbers as numbers, everything else as safe text."""
    kind = type(value)
    if kind is str:  # the common case first: exports are mostly text
        return "'" + value if value.startswith(TRIGGERS) else value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        text = value.isoformat(timespec="seconds")
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    if text.startswith(TRIGGERS):
        return "'" + text
    return text


def sql_neutralised(column_sql: str) -> str:
    """PostgreSQL for a text column with `cell`'s apostrophe added in the database (the COPY path).

    The same triggers as TRIGGERS; NUL is left out because PostgreSQL text cannot hold it. The
    first character is compared as a number (ascii() gives its code point): over a million rows
    that adds about a tenth to the bare query, where comparing left(…, 1) as text doubled it.
    """
    codes = ", ".join(str(ord(trigger)) for trigger in TRIGGERS if trigger != "\0")
    return f"CASE WHEN ascii({column_sql}) IN ({codes}) THEN '''' || {column_sql} ELSE {column_sql} END"


class _Echo:
    """A file-like object whose write() hands back what it was given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(
    columns: list[str],
    rows: Iterable[list],
    on_row_count: Callable[[int], None] | None = None,
    *,
    bom: bool = True,
) -> Iterator[str]:
    """The CSV, row by row, gathered into chunks of about 64 KB: memory stays flat whatever the size.

    Starts with a byte-order mark so that Excel reads £ and accented names as UTF-8, unless
    `bom` is off (the gap report page's download and command, whose readers are scripts).
    """
    writer = csv.writer(_Echo())
    buffer = ["\ufeff" if bom else "", writer.writerow(columns)]
    size = 0
    count = 0
    for row in rows:
        line = writer.writerow([cell(value) for value in row])
        buffer.append(line)
        size += len(line)
        count += 1
        if size >= CHUNK_BYTES:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)
    if on_row_count is not None:
        on_row_count(count)


def xlsx_write(
    path: str, *, title: str, columns: list[str], rows: Iterable[list], progress: Callable[[int], None] | None = None
) -> int:
    """Writes an XLSX file row by row (xlsxwriter's constant-memory mode) and returns the row count.

    `strings_to_formulas` is off, so "=…" text is never a formula even before `cell` adds its
    apostrophe; every string is written as a string and every number as a number.
    """
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(_sheet_name(title))
    heading = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, columns, heading)
    sheet.freeze_panes(1, 0)
    write_string, write_number, write_blank = sheet.write_string, sheet.write_number, sheet.write_blank
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            value = cell(value)
            if isinstance(value, str):
                if value:
                    write_string(count, column, value)
                else:
                    write_blank(count, column, None)
            else:
                write_number(count, column, value)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    workbook.close()
    return count


def _sheet_name(title: str) -> str:
    # Excel refuses these characters in a sheet name, and more than 31 characters.
    return "".join(" " if c in "[]:*?/\\" else c for c in title)[:31] or "Export"


def pdf_write(
    path: str, *, title: str, subtitle: str, columns: list[str], rows: Iterable[list], export_name: str = ""
) -> int:
    """A tagged landscape A4 PDF of the rows, laid out for reading (reports.pdf_layout): the
    export's reading columns under human headings, money in pounds and dates in words, in one
    table whose header row repeats on every page, to a screen reader as once."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, Spacer, TableStyle

    from reports import pdf_layout, tagged_pdf

    styles = tagged_pdf.stylesheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    bold = small.clone("small-bold", fontName=tagged_pdf.SANS_BOLD)
    right = small.clone("small-right", alignment=2)
    bold_right = bold.clone("small-bold-right", alignment=2)
    numeric = {"money", "number", "percent"}

    layout = pdf_layout.columns_for(export_name, columns)
    cells_of = pdf_layout.pick(layout, columns)
    aligned = [(bold_right, right) if column.kind in numeric else (bold, small) for column in layout]

    def para(value: str, style):
        # Paragraph reads its text as markup: escape it, so that "<b>" typed by someone is just text.
        return Paragraph(escape(value), style)

    data = [[para(column.heading, head) for column, (head, _) in zip(layout, aligned, strict=True)]]
    data.extend([para(value, body) for value, (_, body) in zip(cells_of(row), aligned, strict=True)] for row in rows)
    count = len(data) - 1
    page_width, _height = landscape(A4)
    usable = page_width - 20 * mm
    total = sum(column.width for column in layout)
    table = LongTable(data, colWidths=[usable * column.width / total for column in layout], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.HexColor("#0b0c0c")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    rows_said = ngettext("%(count)s row", "%(count)s rows", count) % {"count": f"{count:,}"}

    def page_number(canvas, document):
        canvas.setFont(tagged_pdf.SANS, 8)
        canvas.drawString(10 * mm, 6 * mm, title)
        canvas.drawRightString(page_width - 10 * mm, 6 * mm, gettext("Page %(number)s") % {"number": document.page})

    document = tagged_pdf.TaggedDocument(
        path,
        roles={"Title": "H1"},
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author="Lantern",
    )
    document.build(
        [
            Paragraph(escape(title), styles["Title"]),
            Paragraph(escape(f"{subtitle.rstrip('.')}. {rows_said.capitalize()}."), styles["Normal"]),
            Spacer(1, 4 * mm),
            table,
        ],
        onFirstPage=page_number,
        onLaterPages=page_number,
    )
    return count

"""How an export reads as a PDF: the columns a reader needs, under human headings, with money
in pounds and dates in words.

The CSV and XLSX keep every column under its machine name, for the spreadsheets and scripts
that read them. A PDF is read by a person, on paper or with a screen reader, so it shows the
columns that fit across a landscape A4 page, chosen from the same rows (no second row shape:
`pick` takes them by name from the export's own columns), and says what each one is.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.templatetags import govuk


@dataclass(frozen=True)
class Column:
    name: str  # the export's column
    heading: str  # lazy: in the language of the reader the PDF is made for
    kind: str = "text"  # text, reference, money, date, number, percent, yes-no
    width: float = 1.0  # its share of the page's width


def _c(name, heading, kind="text", width=1.0) -> Column:
    return Column(name, heading, kind, width)


# Each export's PDF columns, in reading order. An export not named here shows all its columns,
# each under its name made readable.
LAYOUTS: dict[str, list[Column]] = {
    "portfolio-register": [
        _c("reference", _("Ref."), "reference", 0.45),
        _c("title", _("Project"), width=2.2),
        _c("stage", _("Stage"), width=1.1),
        _c("owner", _("Owner"), width=1.2),
        _c("service_areas", _("Service areas"), width=1.4),
        _c("budget", _("Budget"), "money", 0.9),
        _c("spend_to_date", _("Spent so far"), "money", 0.9),
        _c("rag", _("RAG status"), width=0.9),
        _c("innovate_net_value", _("Forecast net value"), "money", 1.0),
        _c("innovate_adjusted_net_value", _("After optimism bias"), "money", 1.0),
        _c("risk_band", _("Highest risk"), width=0.8),
        _c("latest_decision", _("Latest decision"), width=1.0),
        _c("latest_decision_date", _("Decided on"), "date", 1.0),
    ],
    "risk-register": [
        _c("project", _("Project"), width=1.6),
        _c("risk", _("Risk"), width=2.2),
        _c("category", _("Category"), width=1.1),
        _c("owner", _("Owner"), width=1.1),
        _c("inherent_score", _("Score before controls"), "number", 0.8),
        _c("treatment", _("Treatment"), width=0.9),
        _c("residual_score", _("Score after controls"), "number", 0.8),
        _c("residual_band", _("Band after controls"), width=0.9),
        _c("status", _("Status"), width=0.8),
        _c("review_date", _("Review by"), "date", 1.0),
    ],
    "gap-report": [
        _c("indicator_code", _("Indicator"), width=1.2),
        _c("period", _("Period"), width=0.8),
        _c("actual", _("Actual"), "number", 0.8),
        _c("aspiration", _("Aspiration"), "number", 0.8),
        _c("gap_pct", _("Gap"), "percent", 0.7),
        _c("comparison_group", _("Compared with"), width=1.2),
        _c("quartile", _("Quartile"), "number", 0.7),
        _c("position_note", _("Position among peers"), width=2.0),
        _c("trend", _("Trend"), width=0.8),
        _c("incremental_unlikely", _("Small steps unlikely to close it"), "yes-no", 1.0),
    ],
    "capacity-assessment": [
        _c("factor", _("Factor"), width=2.5),
        _c("organisation_median", _("Our median score"), "number"),
        _c("sector_median", _("Sector median score"), "number"),
        _c("respondents", _("People who answered"), "number"),
        _c("organisations_in_sector", _("Organisations in the sector"), "number"),
    ],
    "lessons": [
        _c("title", _("Lesson"), width=1.8),
        _c("summary", _("Summary"), width=3.0),
        _c("service", _("Service"), width=1.1),
        _c("outcome", _("Outcome"), width=1.0),
        _c("cost_band", _("Cost"), width=0.8),
        _c("organisation", _("Organisation"), width=1.3),
        _c("published_on", _("Published"), "date", 0.9),
    ],
    "measurements": [
        _c("ons_code", _("Organisation code")),
        _c("indicator_code", _("Indicator"), width=1.5),
        _c("period", _("Period")),
        _c("value", _("Value"), "number"),
    ],
}


# The headings of the columns of exports shown whole (no layout above), in the reader's language:
# each the same words as `heading` makes of its name in English.
HEADINGS = {
    "reference": _("Reference"),
    "date": _("Date"),
    "project_reference": _("Project reference"),
    "project": _("Project"),
    "decision": _("Decision"),
    "made_by": _("Made by"),
    "decision_taken_by": _("Decision taken by"),
    "quorum": _("Quorum"),
    "decision_makers": _("Decision makers"),
    "reasons": _("Reasons"),
    "option_taken": _("Option taken"),
    "options_rejected": _("Options rejected"),
    "interests_declared": _("Interests declared"),
    "dispensations": _("Dispensations"),
    "risks_accepted": _("Risks accepted"),
    "documents_relied_on": _("Documents relied on"),
    "supersedes": _("Supersedes"),
}


def columns_for(export_name: str, export_columns: list[str]) -> list[Column]:
    """The PDF's columns for an export: its layout, or every column with a readable heading."""
    layout = [column for column in LAYOUTS.get(export_name, []) if column.name in export_columns]
    return layout or [Column(name, HEADINGS.get(name) or heading(name)) for name in export_columns]


def heading(name: str) -> str:
    """A machine column name as words: "review_date" → "Review date"."""
    words = name.replace("_pct", " per cent").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def pick(columns: list[Column], export_columns: list[str]):
    """A function from a row of the export (in `export_columns` order) to the PDF's cells, as text."""
    positions = [export_columns.index(column.name) for column in columns]
    kinds = [column.kind for column in columns]

    def cells(row: list) -> list[str]:
        return [text(row[position], kind) for position, kind in zip(positions, kinds, strict=True)]

    return cells


def text(value, kind: str = "text") -> str:
    """A value as a reader reads it: £12,500, 3 March 2026, 12.5%, Yes; a blank is a dash."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or kind == "yes-no":
        return gettext("Yes") if value else gettext("No")
    if kind == "money" and isinstance(value, int | float | Decimal):
        return govuk.money(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if kind == "percent" and isinstance(value, int | float | Decimal):
        return f"{Decimal(value).normalize():f}%"
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    if isinstance(value, int) and kind != "reference":
        return f"{value:,}"
    return str(value)

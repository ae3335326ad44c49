"""The gap report, the capacity assessment and the organisation's measurements as rows.

Each reads through queries.py, as the pages do. These are row shapes only: columns and
typed values. reports/ writes them (CSV, XLSX, PDF, with formula neutralising in
reports.writers), and for the measurements, which can run to millions of rows, also has a
PostgreSQL COPY path (reports.copy_out). Portfolio imports nothing from reports.

The gap report has one row shape, GAP_COLUMNS and gap_rows: the report page's download,
`manage.py gap_report` and the reports page's export all write it.
"""

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import CharField, F, Value

from accounts.models import Organisation, User
from portfolio import groups, queries
from portfolio.models import Measurement

GAP_COLUMNS = [
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

CAPACITY_COLUMNS = ["factor", "organisation_median", "sector_median", "respondents", "organisations_in_sector"]

MEASUREMENT_COLUMNS = ["ons_code", "indicator_code", "period", "value"]


def gap_select(*, organisation: Organisation, user: User, data=None, group: str | None = None):
    """The current report's rows positioned within the comparison group named (a 404 for one that
    is not the organisation's), else the organisation's default; each says which group it is."""
    report = queries.gap_report_current(organisation=organisation)
    chosen, _ = groups.group_for_request(organisation=organisation, key=group)
    return queries.gap_rows_ranked(report=report, group=chosen.key).annotate(
        ons_code=F("organisation__ons_code"), comparison_group_label=Value(chosen.label, output_field=CharField())
    )


def gap_rows(rows) -> Iterator[list]:
    """The report's rows in GAP_COLUMNS order, biggest gap first: numbers as numbers (actual and
    aspiration without trailing zeros: 72.0000 → 72), the trend as its stored word, blanks as None.
    Percentile and quartile are relative to the comparison group the row names, blank where too
    few organisations in it are compared, and the position note says so, or that peers' latest
    earlier figures were used."""
    for row in rows.iterator(chunk_size=2000):
        yield [
            row.ons_code,
            row.indicator.code,
            row.period,
            _plain(row.actual),
            _plain(row.aspiration),
            row.gap_pct,
            row.comparison_group_label,
            row.percentile,
            row.quartile,
            row.peers_compared,
            row.position_note or None,
            row.trend or None,
            row.incremental_unlikely,
        ]


def _plain(value: Decimal | None) -> Decimal | None:
    """A decimal without trailing zeros after the point (72.0000 → 72, 72.5000 → 72.5)."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def capacity_select(*, organisation: Organisation, user: User, data=None) -> list[dict]:
    summary = queries.capacity_summary(organisation=organisation)
    return [
        {**factor, "respondents": summary["respondents"], "organisations": summary["organisations"]}
        for factor in summary["factors"]
    ]


def capacity_rows(factors: list[dict]) -> Iterator[list]:
    for factor in factors:
        yield [
            str(factor["factor"].label),
            factor["own"],
            factor["sector"],
            factor["respondents"],
            factor["organisations"],
        ]


def measurement_select(*, organisation: Organisation, user: User, data=None):
    return (
        Measurement.objects.for_organisation(organisation)
        .order_by("indicator_id", "period_index")
        .values_list("organisation__ons_code", "indicator__code", "period", "value")
    )


def measurement_rows(values) -> Iterator[list]:
    for ons_code, code, period, value in values.iterator(chunk_size=5000):
        yield [ons_code, code, period, value]

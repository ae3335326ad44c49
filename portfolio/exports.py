"""The gap report, the capacity assessment and the organisation's measurements as rows.

Each reads through queries.py, as the pages do. The measurements, which can run to millions
of rows, also have a PostgreSQL path: `COPY (SELECT …) TO STDOUT` read in 64 KB blocks
(reports.copy_out) with formula escaping done in the SQL (reports.writers.sql_neutralised),
about seven times faster than the ORM and csv module and within a tenth of psql's own
`\\copy` (bench.export_csv; DESIGN.md, chosen parts).
"""

from collections.abc import Iterator

from django.db import connection
from django.db.models import F

from accounts.models import Organisation, User
from portfolio import queries
from portfolio.models import Indicator, Measurement
from reports.copy_out import copy_out_blocks
from reports.writers import sql_neutralised

GAP_COLUMNS = [
    "ons_code",
    "indicator_code",
    "indicator_name",
    "period",
    "actual",
    "aspiration",
    "gap_pct",
    "percentile",
    "quartile",
    "trend",
    "incremental_unlikely",
]

CAPACITY_COLUMNS = ["factor", "organisation_median", "sector_median", "respondents", "organisations_in_sector"]

MEASUREMENT_COLUMNS = ["ons_code", "indicator_code", "period", "value"]


def gap_select(*, organisation: Organisation, user: User, data=None):
    report = queries.gap_report_current(organisation=organisation)
    return queries.gap_rows_ranked(report=report).annotate(ons_code=F("organisation__ons_code"))


def gap_rows(rows) -> Iterator[list]:
    for row in rows.iterator(chunk_size=2000):
        yield [
            row.ons_code,
            row.indicator.code,
            row.indicator.name,
            row.period,
            row.actual,
            row.aspiration,
            row.gap_pct,
            row.percentile,
            row.quartile,
            row.get_trend_display() if row.trend else None,
            row.incremental_unlikely,
        ]


def capacity_select(*, organisation: Organisation, user: User, data=None) -> list[dict]:
    summary = queries.capacity_summary(organisation=organisation)
    return [
        {**factor, "respondents": summary["respondents"], "organisations": summary["organisations"]}
        for factor in summary["factors"]
    ]


def capacity_rows(factors: list[dict]) -> Iterator[list]:
    for factor in factors:
        yield [factor["factor"].label, factor["own"], factor["sector"], factor["respondents"], factor["organisations"]]


def measurement_select(*, organisation: Organisation, user: User, data=None):
    return (
        Measurement.objects.for_organisation(organisation)
        .order_by("indicator_id", "period_index")
        .values_list("organisation__ons_code", "indicator__code", "period", "value")
    )


def measurement_rows(values) -> Iterator[list]:
    for ons_code, code, period, value in values.iterator(chunk_size=5000):
        yield [ons_code, code, period, value]


def measurement_copy_chunks(*, organisation: Organisation) -> Iterator[bytes]:
    """The same CSV as measurement_rows, made by PostgreSQL itself (COPY … TO STDOUT), chunk by chunk.

    Text columns are neutralised in the SQL exactly as reports.writers.cell does in Python;
    the value is numeric, so it goes out as a number. Values print without trailing zeros
    beyond those stored (numeric's text form), like the ORM path's Decimal.
    """
    sql = measurement_copy_sql()
    yield ("\ufeff" + ",".join(MEASUREMENT_COLUMNS) + "\r\n").encode()
    with connection.cursor() as cursor:
        # psycopg 3's own cursor, which streams COPY
        yield from copy_out_blocks(cursor.cursor, sql, [organisation.pk])


def measurement_copy_sql() -> str:
    """The COPY statement of measurement_copy_chunks, with the organisation's id as its one parameter."""
    ons_code, code, period = (sql_neutralised(c) for c in ("coalesce(o.ons_code, '')", "i.code", "m.period"))
    # Only table names and fixed SQL are formatted in; the organisation is a parameter.
    return (
        f"COPY (SELECT {ons_code}, {code}, {period}, m.value "  # noqa: S608
        f"FROM {Measurement._meta.db_table} m "
        f"JOIN {Indicator._meta.db_table} i ON i.id = m.indicator_id "
        f"JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id "
        "WHERE m.organisation_id = %s ORDER BY m.indicator_id, m.period_index"
        ") TO STDOUT WITH (FORMAT csv, HEADER false)"
    )


def measurement_copy_available() -> bool:
    return connection.vendor == "postgresql"

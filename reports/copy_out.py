"""`COPY … TO STDOUT` read in blocks of about 64 KB, for streamed CSV downloads on PostgreSQL.

libpq hands COPY's output over one row at a time, and psycopg's `Copy.read()` costs a
generator and a wait per row: over a million rows that was more than the database's own
work (bench.export_csv). Here the rows libpq has already received are taken straight from
it with `PGconn.get_copy_data` (psycopg's documented low-level libpq binding), and only
when none is waiting does psycopg's `read()` wait on the socket for the next one.

The measurements export, which can run to millions of rows, has its COPY statement here
too: about seven times faster than the ORM and csv module and within a tenth of psql's own
`\\copy` (bench.export_csv; DESIGN.md, chosen parts). Its formula escaping is done in the
SQL (reports.writers.sql_neutralised), the same as reports.writers.cell does in Python.
"""

from collections.abc import Iterator

import psycopg
from django.db import connection
from psycopg import pq

from accounts.models import Organisation
from portfolio.exports import MEASUREMENT_COLUMNS
from portfolio.models import Indicator, Measurement
from reports.writers import sql_neutralised

BLOCK_BYTES = 64 * 1024


def copy_out_blocks(cursor: psycopg.Cursor, sql: str, params: list) -> Iterator[bytes]:
    """The output of the COPY … TO STDOUT statement `sql`, in blocks of about BLOCK_BYTES."""
    pgconn = cursor.connection.pgconn
    with cursor.copy(sql, params) as copy:
        block = bytearray()
        while True:
            nbytes, data = pgconn.get_copy_data(1)  # 1: don't wait, say 0 if no row is here yet
            if nbytes > 0:
                block += data
                if len(block) >= BLOCK_BYTES:
                    yield bytes(block)
                    block.clear()
            elif nbytes == 0:
                data = copy.read()  # waits for the next row; b"" once COPY has ended
                if not data:
                    break
                block += data
            else:
                # libpq read the end of COPY itself: collect its result, as psycopg would have.
                _finish(copy, pgconn, cursor.connection.info.encoding)
                break
        if block:
            yield bytes(block)


def _finish(copy: psycopg.Copy, pgconn: pq.abc.PGconn, encoding: str) -> None:
    """Takes the COPY's final result off the connection, raises its error if it failed, and marks
    `copy` finished so that leaving its block doesn't read again."""
    failure = None
    while (result := pgconn.get_result()) is not None:
        if result.status != pq.ExecStatus.COMMAND_OK and failure is None:
            failure = result
    copy._finished = True  # noqa: SLF001 — psycopg's own flag for "final result already read"
    if failure is not None:
        raise psycopg.errors.error_from_result(failure, encoding=encoding)


def copy_available() -> bool:
    return connection.vendor == "postgresql"


def measurement_copy_chunks(*, organisation: Organisation) -> Iterator[bytes]:
    """The same CSV as portfolio.exports.measurement_rows through reports.writers, made by
    PostgreSQL itself (COPY … TO STDOUT), chunk by chunk.

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

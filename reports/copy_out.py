"""`COPY … TO STDOUT` read in blocks of about 64 KB, for streamed CSV downloads on PostgreSQL.

libpq hands COPY's output over one row at a time, and psycopg's `Copy.read()` costs a
generator and a wait per row: over a million rows that was more than the database's own
work (bench.export_csv). Here the rows libpq has already received are taken straight from
it with `PGconn.get_copy_data` (psycopg's documented low-level libpq binding), and only
when none is waiting does psycopg's `read()` wait on the socket for the next one.
"""

from collections.abc import Iterator

import psycopg
from psycopg import pq

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

"""The measurements CSV read from PostgreSQL's COPY in blocks: every row, in order, once, and a
COPY that fails part-way fails the download rather than ending it early."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection

from portfolio.models import Measurement
from reports.copy_out import BLOCK_BYTES, copy_out_blocks
from tests.exports.conftest import read_csv
from tests.exports.test_exports import take

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY … TO STDOUT is PostgreSQL's")


def test_a_measurements_csv_of_several_blocks_has_every_value_in_order(admin_client, personas, indicator, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 10_000
    Measurement.objects.bulk_create(
        Measurement(
            organisation=personas.council,
            indicator=indicator,
            period=f"{2000 + n // 4}-Q{n % 4 + 1}",
            period_index=(2000 + n // 4) * 4 + n % 4,
            value=Decimal(n) / 4 - 100,
        )
        for n in range(6_000)
    )
    response = take(admin_client, "measurements", "csv")
    assert response.status_code == 200
    rows = read_csv(response)
    assert len(rows) == 6_001
    assert [(r[2], Decimal(r[3])) for r in rows[1:]] == [
        (f"{2000 + n // 4}-Q{n % 4 + 1}", Decimal(n) / 4 - 100) for n in range(6_000)
    ]


@needs_postgresql
@pytest.mark.django_db
def test_copy_out_blocks_gives_psycopgs_rows_joined_in_blocks():
    sql = "COPY (SELECT n, 'row ' || n, n * 1.5 FROM generate_series(1, %s) n) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        blocks = list(copy_out_blocks(cursor.cursor, sql, [200_000]))
        with cursor.cursor.copy(sql, [200_000]) as copy:
            expected = b"".join(bytes(row) for row in copy)
    assert b"".join(blocks) == expected
    assert len(blocks) > 10
    assert all(BLOCK_BYTES <= len(block) < BLOCK_BYTES + 100 for block in blocks[:-1])
    assert list(csv.reader(io.StringIO(expected.decode())))[-1] == ["200000", "row 200000", "300000.0"]


@needs_postgresql
@pytest.mark.django_db
def test_a_copy_that_fails_part_way_raises_instead_of_ending_early():
    from django.db import transaction
    from psycopg.errors import DivisionByZero

    sql = "COPY (SELECT n, 1 / (n - %s) FROM generate_series(1, 300000) n) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        with pytest.raises(DivisionByZero), transaction.atomic():
            for _block in copy_out_blocks(cursor.cursor, sql, [250_000]):
                pass
        # The connection is still usable afterwards.
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@needs_postgresql
@pytest.mark.django_db(transaction=True)  # a download streams outside any transaction, as here
def test_a_download_abandoned_part_way_leaves_the_connection_usable():
    """A person who closes the tab mid-download: the response stops reading, COPY is ended."""
    sql = "COPY (SELECT n, 'row ' || n FROM generate_series(1, %s) n) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        blocks = copy_out_blocks(cursor.cursor, sql, [500_000])
        assert next(blocks).startswith(b"1,row 1\n")
        blocks.close()
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)

"""After a big import the gap report refreshes the planner's statistics (portfolio.pg_import);
the import itself only writes, as issue 17 measures it against COPY."""

import pytest
from django.db import connection

from portfolio import gaps, pg_import
from portfolio.models import GapReport
from portfolio.services import gap_reports
from tests.portfolio.test_imports import HEADER, run, write


@pytest.mark.parametrize(
    ("changed", "rows", "stale"),
    [
        # 50 + a tenth of 1,000 rows = 150: PostgreSQL's own autovacuum rule.
        (150, 1000, False),
        (151, 1000, True),
        # A table never analyzed reports no rows (reltuples -1, read as 0): 50 changes are not enough.
        (50, 0, False),
        (51, 0, True),
        # 1,000,000 new values into 953,000: far past 50 + 95,300.
        (1_000_000, 953_000, True),
        (95_351, 953_000, True),
        (95_350, 953_000, False),
    ],
)
def test_statistics_are_stale_by_postgresqls_own_rule(changed, rows, stale):
    assert pg_import.statistics_stale(changed=changed, rows=rows) is stale


def _rows_known_to_the_planner() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'portfolio_measurement'::regclass")
        return cursor.fetchone()[0]


@pytest.fixture
def council(personas, indicators):
    personas.council.ons_code = "E07000001"
    personas.council.save()
    return personas.council


@pytest.fixture
def no_autovacuum(transactional_db):
    """Autovacuum analyzing the table mid-test would hide who analyzed it."""
    if connection.vendor != "postgresql":
        pytest.skip("the planner's statistics are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE portfolio_measurement SET (autovacuum_enabled = false)")
        cursor.execute("ANALYZE portfolio_measurement")
    yield
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE portfolio_measurement RESET (autovacuum_enabled)")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_big_import_is_analyzed_by_the_gap_report_that_follows_not_by_the_import(
    tmp_path, council, no_autovacuum, monkeypatch
):
    assert _rows_known_to_the_planner() <= 0
    quarters = [f"{year}-Q{quarter}" for year in range(2000, 2025) for quarter in range(1, 5)]
    lines = [["E07000001", "NI192", quarter, "45"] for quarter in quarters]
    # The import alone, without the gap report it queues: it writes 100 values and the planner
    # still believes the table empty.
    with monkeypatch.context() as patched:
        patched.setattr(gap_reports, "gap_report_job_after_import", lambda **kwargs: None)
        checked = run(write(tmp_path, [HEADER, *lines]), council)
    assert (checked.error_count, checked.created) == (0, 100)
    assert _rows_known_to_the_planner() <= 0

    gaps.gap_reports_build(organisation_ids=[council.pk])
    assert _rows_known_to_the_planner() == 100

    # 20 more values are fewer than 50 + a tenth of 100: the report run after this import
    # leaves the statistics be.
    more = [["E07000001", "NI192", f"2025-Q{quarter}", "46"] for quarter in range(1, 5)]
    more += [["E07000001", "NI192", f"{year}-Q1", "47"] for year in range(2026, 2042)]
    assert run(write(tmp_path, [HEADER, *more]), council).created == 20
    assert GapReport.objects.filter(organisation=council, is_current=True).exists()
    assert _rows_known_to_the_planner() == 100

    # 200 more are not: the report run after this import refreshes them.
    most = [["E07000001", "NI191", f"{year}-Q{q}", "400"] for year in range(2000, 2050) for q in (1, 2, 3, 4)]
    assert run(write(tmp_path, [HEADER, *most]), council).created == 200
    assert _rows_known_to_the_planner() == 320

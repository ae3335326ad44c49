"""The fast path of an import on PostgreSQL: COPY the CSV into a staging table, check it
set-based, and write the values (and the previous figures of those it changes) in one statement.

The checks here only decide "every line is good". The moment any line is doubtful, the
caller falls back to the Python checker in `portfolio.imports`, which is the one place that
words the reasons and numbers the lines — so the two can never disagree on a message. The
SQL is deliberately stricter than Python (for example it wants at most four decimal places
and takes no thousands separators), so it never passes a line that Python would refuse.
"""

from django.db import IntegrityError, connection, transaction

from accounts.models import Organisation

STAGE = "portfolio_import_stage"
PARSED = "portfolio_import_parsed"
PERIODS = "portfolio_import_periods"
# Serialises imports, so that "insert the values not there yet" cannot race another import.
IMPORT_LOCK = 7_305_211
WORK_MEM = "64MB"

# Every period a file may name, with its kind and ordinal (the same rules as portfolio.periods):
# a hash join against this small table replaces pattern matching on every line.
PERIODS_SQL = f"""
CREATE TEMP TABLE {PERIODS} AS
SELECT format('%s-Q%s', year, quarter) AS label, 'quarterly' AS kind, year * 4 + quarter - 1 AS period_index
FROM generate_series(1900, 2200) AS year, generate_series(1, 4) AS quarter
UNION ALL
SELECT format('%s/%s', year, lpad(((year + 1) % 100)::text, 2, '0')), 'annual', year
FROM generate_series(1900, 2200) AS year
"""  # noqa: S608 - the table name is a constant

# The value column is typed numeric, so COPY itself refuses what is not a number (and the file
# goes to the Python checker, which also reads "1,234" and "12%"). NaN and infinities parse as
# numeric but are not values; more than four decimal places would be rounded differently by
# the two checkers; both are sent to the Python checker.
PARSE_SQL = f"""
CREATE TEMP TABLE {PARSED} AS
WITH codes AS MATERIALIZED (
    -- Each distinct pair of codes in the file, matched once rather than on every line.
    SELECT k.c1, k.c2, o.id AS organisation_id, i.id AS indicator_id, i.frequency
    FROM (SELECT DISTINCT c1, c2 FROM {STAGE}) k
    LEFT JOIN accounts_organisation o ON o.ons_code = upper(btrim(k.c1))
    -- The catalogue's indicators, and the row's organisation's own; none retired.
    LEFT JOIN portfolio_indicator i ON upper(i.code) = upper(btrim(k.c2)) AND i.retired_at IS NULL
         AND (i.organisation_id IS NULL OR i.organisation_id = o.id)
),
labels AS MATERIALIZED (
    SELECT d.c3, p.label, p.kind, p.period_index
    FROM (SELECT DISTINCT c3 FROM {STAGE}) d JOIN {PERIODS} p ON p.label = btrim(d.c3)
)
SELECT k.organisation_id, k.indicator_id, l.label AS period, l.period_index,
       CASE WHEN s.value NOT IN ('NaN', 'Infinity', '-Infinity') AND abs(s.value) < 1e12
                 AND s.value = round(s.value, 4)
            THEN s.value END AS value,
       l.kind = k.frequency AS frequency_ok
FROM {STAGE} s
-- A blank code or period (NULL) matches nothing, so the line is doubtful.
LEFT JOIN codes k ON k.c1 = s.c1 AND k.c2 = s.c2
LEFT JOIN labels l ON l.c3 = s.c3
"""  # noqa: S608 - table names are constants

DOUBTFUL_SQL = f"""
SELECT EXISTS (
    SELECT 1 FROM {PARSED}
    WHERE organisation_id IS NULL OR indicator_id IS NULL OR period_index IS NULL OR value IS NULL
       OR frequency_ok IS NOT TRUE
       OR (%(own)s IS NOT NULL AND organisation_id <> %(own)s)
)
"""  # noqa: S608
# Two lines for the same value: building this index fails (faster than grouping every line).
UNIQUE_SQL = f"CREATE UNIQUE INDEX ON {PARSED} (organisation_id, indicator_id, period_index)"

# Changed values are updated and new ones inserted, in one statement. A changed value's previous
# figure, with the source that set it and when, goes to its change table (read from the same
# snapshot as the UPDATE, so it is the figure before); a new value writes no row but its own,
# and an unchanged one nothing. A plain INSERT of the new values (rather than INSERT … ON
# CONFLICT) halves the write; the advisory lock taken first keeps another import from inserting
# the same values meanwhile.
WRITE_SQL = """
WITH staged AS MATERIALIZED (
    -- One look-up of the values already there serves both the changed and the new ones.
    SELECT p.organisation_id, p.indicator_id, p.period, p.period_index, p.value,
           m.id, m.value AS previous_value, m.source_id AS previous_source_id, m.updated_at AS previous_set_at
    FROM {parsed} p LEFT JOIN {table} m
      ON m.organisation_id = p.organisation_id AND m.indicator_id = p.indicator_id
     AND m.period_index = p.period_index
),
changed AS (
    SELECT * FROM staged WHERE id IS NOT NULL AND previous_value <> value
),
kept AS (
    INSERT INTO {changes} (figure_id, previous_value, previous_source_id, previous_set_at, source_id)
    SELECT id, previous_value, previous_source_id, previous_set_at, %(source)s FROM changed
),
updated AS (
    UPDATE {table} AS m SET value = c.value, source_id = %(source)s, updated_at = now()
    FROM changed c WHERE m.id = c.id
    RETURNING 1
),
inserted AS (
    INSERT INTO {table} (organisation_id, indicator_id, period, period_index, value, updated_at, source_id)
    SELECT organisation_id, indicator_id, period, period_index, value, now(), %(source)s FROM staged
    WHERE id IS NULL
    -- In index order: the unique index is then filled page by page rather than at random.
    ORDER BY organisation_id, indicator_id, period_index
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM inserted), (SELECT COUNT(*) FROM updated)
"""


def lock_imports() -> None:
    """Waits for any other import to finish; held until this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def available(path) -> bool:
    return connection.vendor == "postgresql" and path.suffix.lower() == ".csv"


def stage(path, progress=None) -> bool:
    """COPYs the file's lines (after the header) into the staging table. False when COPY cannot
    read it as plain four-column CSV with a number last (blank or ragged lines, bad encoding,
    "1,234" or "12%"): the Python checker then reads it, and explains whatever is wrong."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}, {PARSED}, {PERIODS}")
        # Sorts and hashes over a million lines in memory rather than in temporary files;
        # reset by drop(), which the caller always runs.
        cursor.execute(f"SET work_mem = '{WORK_MEM}'")
        cursor.execute(f"CREATE TEMP TABLE {STAGE} (c1 text, c2 text, c3 text, value numeric)")
        try:
            with transaction.atomic(), path.open("rb") as handle:
                sql = f"COPY {STAGE} FROM STDIN WITH (FORMAT csv, HEADER, ENCODING 'UTF8')"
                # No progress reports inside: the connection is busy with the COPY until it ends.
                with cursor.copy(sql) as copy:
                    while data := handle.read(1 << 20):
                        copy.write(data)
        except Exception:  # noqa: BLE001 - any COPY failure sends the file to the Python checker
            return False
        if progress:
            progress(30)
        # Without statistics the planner takes the file for a tenth of its size and sorts it.
        cursor.execute(f"ANALYZE {STAGE}")
        cursor.execute(PERIODS_SQL)
        cursor.execute(PARSE_SQL)
        cursor.execute(f"ANALYZE {PARSED}")
    return True


def all_good(organisation: Organisation | None) -> bool:
    """True when every staged line is certainly good for this uploader."""
    any_organisation = organisation is None or organisation.kind == Organisation.Kind.SECTOR_BODY
    own = None if any_organisation else organisation.pk
    with connection.cursor() as cursor:
        cursor.execute(DOUBTFUL_SQL, {"own": own})
        if cursor.fetchone()[0]:
            return False
        try:
            with transaction.atomic():
                cursor.execute(UNIQUE_SQL)
        except IntegrityError:
            return False
    return True


def write(model, *, source) -> tuple[int, int, list[int], int]:
    """Upserts the staged values, keeping each changed value's previous figure.
    (created, updated, organisation ids, rows)."""
    changes = model.change_model._meta.db_table
    sql = WRITE_SQL.format(table=model._meta.db_table, changes=changes, parsed=PARSED)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"source": source.pk})
        created, updated = cursor.fetchone()
        cursor.execute(f"SELECT DISTINCT organisation_id FROM {PARSED}")  # noqa: S608
        organisation_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COUNT(*) FROM {PARSED}")  # noqa: S608
        rows = cursor.fetchone()[0]
        # The rows written are counted in the table's statistics when this connection is next
        # idle, rather than up to a second later, so that the gap report queued after the import
        # sees them and refreshes the planner's statistics if they are stale (statistics_refresh).
        cursor.execute("SELECT pg_stat_force_next_flush()")
    return created, updated, organisation_ids, rows


# PostgreSQL's own rule for when autovacuum analyzes a table (autovacuum_analyze_threshold and
# autovacuum_analyze_scale_factor at their defaults): more rows changed since the last ANALYZE
# than 50 plus a tenth of the table.
STALE_ROWS, STALE_SHARE = 50, 0.1
STALENESS_SQL = """
SELECT s.n_mod_since_analyze, greatest(c.reltuples, 0)
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
WHERE s.relid = %s::regclass
"""


def statistics_stale(*, changed: int, rows: float) -> bool:
    return changed > STALE_ROWS + STALE_SHARE * rows


def statistics_refresh(*tables: str) -> list[str]:
    """ANALYZEs each table whose planner statistics are stale by PostgreSQL's own measure, so
    that a report run straight after a big import is planned on its new shape rather than
    waiting for autovacuum. The gap report calls it, not the import: the import's work is the
    write (issue 17 measures it against COPY), and only the report needs the statistics.
    Returns the tables analyzed."""
    analyzed = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(STALENESS_SQL, [table])
            found = cursor.fetchone()
            if found is not None and statistics_stale(changed=found[0], rows=found[1]):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
                analyzed.append(table)
    return analyzed


def drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}, {PARSED}, {PERIODS}")
        cursor.execute("RESET work_mem")

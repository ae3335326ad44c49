"""The fast path of an import on PostgreSQL: COPY the CSV into a staging table, check it
set-based, and write values and their history rows in one INSERT … ON CONFLICT statement.

The checks here only decide "every line is good". The moment any line is doubtful, the
caller falls back to the Python checker in `portfolio.imports`, which is the one place that
words the reasons and numbers the lines — so the two can never disagree on a message. The
SQL is deliberately stricter than Python (for example it wants at most four decimal places
and no exponent), so it never passes a line that Python would refuse.
"""

from django.db import connection, transaction

from accounts.models import Organisation

STAGE = "portfolio_import_stage"
PARSED = "portfolio_import_parsed"

QUARTER = r"^\d{4}-Q[1-4]$"
FINANCIAL_YEAR = r"^\d{4}/\d{2}$"
NUMBER = r"^[-+]?(\d{1,12}(\.\d{0,4})?|\.\d{1,4})$"

PARSE_SQL = f"""
CREATE TEMP TABLE {PARSED} AS
SELECT s.line, o.id AS organisation_id, i.id AS indicator_id, s.period,
       CASE k.kind
           WHEN 'quarterly' THEN substr(s.period, 1, 4)::int * 4 + substr(s.period, 7, 1)::int - 1
           WHEN 'annual' THEN CASE WHEN (substr(s.period, 1, 4)::int + 1) % 100 = substr(s.period, 6, 2)::int
                                   THEN substr(s.period, 1, 4)::int END
       END AS period_index,
       CASE WHEN s.value_text ~ '{NUMBER}' THEN s.value_text::numeric END AS value,
       k.kind IS NOT NULL AND k.kind = i.frequency AS frequency_ok
FROM (
    SELECT line, upper(btrim(c1)) AS ons_code, upper(btrim(c2)) AS code, btrim(c3) AS period,
           regexp_replace(replace(btrim(c4), ',', ''), '%$', '') AS value_text
    FROM {STAGE}
) s
CROSS JOIN LATERAL (
    SELECT CASE WHEN s.period ~ '{QUARTER}' THEN 'quarterly'
                WHEN s.period ~ '{FINANCIAL_YEAR}' THEN 'annual' END AS kind
) k
LEFT JOIN accounts_organisation o ON o.ons_code = s.ons_code
LEFT JOIN portfolio_indicator i ON upper(i.code) = s.code
"""  # noqa: S608 - table names and patterns are constants

DOUBTFUL_SQL = f"""
SELECT EXISTS (
    SELECT 1 FROM {PARSED}
    WHERE organisation_id IS NULL OR indicator_id IS NULL OR period_index IS NULL OR value IS NULL
       OR frequency_ok IS NOT TRUE OR period_index NOT BETWEEN 1900 * 4 AND 2200 * 4 + 3
       OR (%(own)s IS NOT NULL AND organisation_id <> %(own)s)
) OR EXISTS (
    SELECT 1 FROM {PARSED} GROUP BY organisation_id, indicator_id, period_index HAVING COUNT(*) > 1
)
"""  # noqa: S608

WRITE_SQL = """
WITH upserted AS (
    INSERT INTO {table} AS m (organisation_id, indicator_id, period, period_index, value, updated_at)
    SELECT organisation_id, indicator_id, period, period_index, value, now() FROM {parsed}
    -- In index order: the unique index is then filled page by page rather than at random.
    ORDER BY organisation_id, indicator_id, period_index
    ON CONFLICT (organisation_id, indicator_id, period_index)
    DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
    WHERE m.value IS DISTINCT FROM EXCLUDED.value
    RETURNING m.id, m.organisation_id, m.indicator_id, m.period, m.period_index, m.value, m.updated_at,
              (m.xmax = 0) AS inserted
),
history AS (
    INSERT INTO {history} (id, organisation_id, indicator_id, period, period_index, value, updated_at,
                           history_date, history_change_reason, history_type, history_user_id)
    SELECT id, organisation_id, indicator_id, period, period_index, value, updated_at,
           now(), %(reason)s, CASE WHEN inserted THEN '+' ELSE '~' END, %(user)s
    FROM upserted
    RETURNING history_type
)
SELECT COUNT(*) FILTER (WHERE history_type = '+'), COUNT(*) FILTER (WHERE history_type = '~') FROM history
"""


def available(path) -> bool:
    return connection.vendor == "postgresql" and path.suffix.lower() == ".csv"


def stage(path, progress=None) -> bool:
    """COPYs the file's lines (after the header) into the staging table, numbered as lines of
    the file. False when COPY cannot read it as plain four-column CSV (blank or ragged lines,
    bad encoding): the Python checker then explains what is wrong."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}; DROP TABLE IF EXISTS {PARSED}")
        # The first data line is line 2 of the file (the header is line 1).
        cursor.execute(
            f"CREATE TEMP TABLE {STAGE} (line bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), "
            "c1 text, c2 text, c3 text, c4 text)"
        )
        try:
            with transaction.atomic(), path.open("rb") as handle:
                sql = f"COPY {STAGE} (c1, c2, c3, c4) FROM STDIN WITH (FORMAT csv, HEADER, ENCODING 'UTF8')"
                # No progress reports inside: the connection is busy with the COPY until it ends.
                with cursor.copy(sql) as copy:
                    while data := handle.read(1 << 20):
                        copy.write(data)
        except Exception:  # noqa: BLE001 - any COPY failure sends the file to the Python checker
            return False
        if progress:
            progress(30)
        cursor.execute(PARSE_SQL)
        cursor.execute(f"ANALYZE {PARSED}")
    return True


def all_good(organisation: Organisation | None) -> bool:
    """True when every staged line is certainly good for this uploader."""
    any_organisation = organisation is None or organisation.kind == Organisation.Kind.SECTOR_BODY
    own = None if any_organisation else organisation.pk
    with connection.cursor() as cursor:
        cursor.execute(DOUBTFUL_SQL, {"own": own})
        return not cursor.fetchone()[0]


def write(model, *, actor, reason: str) -> tuple[int, int, list[int], int]:
    """Upserts the staged values with their history rows. (created, updated, organisation ids, rows)."""
    history = model.history.model._meta.db_table
    sql = WRITE_SQL.format(table=model._meta.db_table, history=history, parsed=PARSED)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"reason": reason[:100], "user": actor.pk if actor else None})
        created, updated = cursor.fetchone()
        cursor.execute(f"SELECT DISTINCT organisation_id FROM {PARSED}")  # noqa: S608
        organisation_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COUNT(*) FROM {PARSED}")  # noqa: S608
        rows = cursor.fetchone()[0]
        # A big import can change the table's shape; fresh statistics keep the gap report's
        # plan (which runs right after) sensible.
        cursor.execute(f"ANALYZE {model._meta.db_table}")
    return created, updated, organisation_ids, rows


def drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}; DROP TABLE IF EXISTS {PARSED}")

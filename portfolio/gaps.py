"""The gap report's numbers, computed set-based in the database (DESIGN.md, "Numbers that
must be computed the same way everywhere").

One INSERT … SELECT builds every indicator row of every report asked for: the latest period
with an actual value per organisation and indicator, the gap against that period's
aspiration, the sector position as CUME_DIST() over all organisations reporting that
indicator and period, and the trend as a least-squares slope from SUM aggregates over the
last four periods. The SQL runs unchanged on PostgreSQL and on SQLite 3.25 or later.

The reports are built inside one transaction and only then marked current, so a reader sees
the old report or the new one, never half of one; a run that dies leaves the old report,
and a second run simply replaces the first.
"""

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation
from portfolio.models import GapReport

# Step 1: each organisation's latest period per indicator with its actual value and aspiration,
# in a temporary table so that the planner knows its size. (As a CTE its size was a guess, and
# a bad guess, after a big import, made PostgreSQL compare every row with every other.)
# `{targets}` is one %s placeholder per new report id.
CURRENT_SQL = """
CREATE TEMP TABLE portfolio_gap_cur AS
SELECT l.report_id, m.id AS measurement_id, m.organisation_id, m.indicator_id, m.period, m.period_index,
       m.value AS actual, i.polarity, a.value AS aspiration
FROM (
    SELECT r.id AS report_id, m.organisation_id, m.indicator_id, MAX(m.period_index) AS period_index
    FROM portfolio_gapreport r
    JOIN portfolio_measurement m ON m.organisation_id = r.organisation_id
    WHERE r.id IN ({targets})
    GROUP BY r.id, m.organisation_id, m.indicator_id
) l
JOIN portfolio_measurement m
  ON m.organisation_id = l.organisation_id AND m.indicator_id = l.indicator_id AND m.period_index = l.period_index
JOIN portfolio_indicator i ON i.id = l.indicator_id
LEFT JOIN portfolio_aspiration a
  ON a.organisation_id = l.organisation_id AND a.indicator_id = l.indicator_id AND a.period_index = l.period_index
"""

# Step 2: every indicator row of every report, in one INSERT … SELECT.
ROWS_SQL = """
WITH cur AS (
    SELECT * FROM portfolio_gap_cur
),
slots AS (
    SELECT DISTINCT indicator_id, period_index FROM cur
),
ranked AS (
    -- The share of organisations reporting this indicator and period doing no better.
    SELECT m.id,
           CUME_DIST() OVER (PARTITION BY m.indicator_id, m.period_index ORDER BY i.polarity * m.value) AS cd
    FROM portfolio_measurement m
    JOIN slots s ON s.indicator_id = m.indicator_id AND s.period_index = m.period_index
    JOIN portfolio_indicator i ON i.id = m.indicator_id
),
recent AS (
    -- Sums for the least-squares slope of p*A over the last four periods; x is counted from
    -- the report's period so the sums stay small.
    SELECT c.measurement_id, COUNT(*) AS n,
           SUM(h.period_index - c.period_index) AS sx,
           SUM(c.polarity * h.value) AS sy,
           SUM((h.period_index - c.period_index) * c.polarity * h.value) AS sxy,
           SUM((h.period_index - c.period_index) * (h.period_index - c.period_index)) AS sxx
    FROM cur c
    JOIN portfolio_measurement h
      ON h.organisation_id = c.organisation_id AND h.indicator_id = c.indicator_id
     AND h.period_index BETWEEN c.period_index - 3 AND c.period_index
    GROUP BY c.measurement_id
),
scored AS (
    SELECT c.report_id, c.organisation_id, c.indicator_id, c.period, c.period_index, c.actual, c.aspiration,
           ROUND(CAST(100 * r.cd AS NUMERIC), 1) AS percentile,
           CASE WHEN c.aspiration IS NULL OR c.aspiration = 0 THEN NULL
                ELSE ROUND(100.0 * c.polarity * (c.aspiration - c.actual) / ABS(c.aspiration), 1) END AS gap_pct,
           CASE WHEN h.n < 2 OR c.aspiration IS NULL OR c.aspiration = 0 THEN NULL
                ELSE 100.0 * (h.n * h.sxy - h.sx * h.sy) / (h.n * h.sxx - h.sx * h.sx) / ABS(c.aspiration)
           END AS trend_pct
    FROM cur c
    -- Joined on the measurement's id: one key, so the planner cannot pick a join that
    -- compares every organisation with every other within an indicator and period.
    JOIN ranked r ON r.id = c.measurement_id
    JOIN recent h ON h.measurement_id = c.measurement_id
),
trended AS (
    SELECT s.*,
           CASE WHEN s.trend_pct IS NULL THEN ''
                WHEN s.trend_pct > 1 THEN 'improving'
                WHEN s.trend_pct < -1 THEN 'worsening'
                ELSE 'stable' END AS trend
    FROM scored s
)
INSERT INTO portfolio_gapreportrow
    (report_id, organisation_id, indicator_id, period, period_index, actual, aspiration,
     gap_pct, percentile, quartile, trend, incremental_unlikely)
SELECT report_id, organisation_id, indicator_id, period, period_index, actual, aspiration,
       gap_pct, percentile,
       CASE WHEN percentile > 75 THEN 1 WHEN percentile > 50 THEN 2 WHEN percentile > 25 THEN 3 ELSE 4 END,
       trend,
       CASE WHEN gap_pct >= 10 AND trend <> 'improving' THEN TRUE ELSE FALSE END
FROM trended
"""

AREAS_SQL = """
INSERT INTO portfolio_gapreportarearow
    (report_id, organisation_id, service, gap_pct, indicator_count, flagged_count)
SELECT g.report_id, g.organisation_id, i.service, ROUND(AVG(g.gap_pct), 1), COUNT(*),
       SUM(CASE WHEN g.incremental_unlikely THEN 1 ELSE 0 END)
FROM portfolio_gapreportrow g
JOIN portfolio_indicator i ON i.id = g.indicator_id
WHERE g.report_id IN ({targets})
GROUP BY g.report_id, g.organisation_id, i.service
"""


def _placeholders(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids))


@transaction.atomic
def gap_reports_build(*, organisation_ids: list[int] | None = None) -> list[GapReport]:
    """Rebuilds the gap report of each organisation named (every organisation when None)
    and makes the new ones current, all or nothing."""
    organisations = Organisation.objects.order_by("pk")
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    # Locking the organisations makes two runs for the same ones take turns, so the second
    # replaces the first rather than both trying to become current at once.
    ids = list(organisations.select_for_update().values_list("pk", flat=True))
    if not ids:
        return []
    now = timezone.now()
    reports = GapReport.objects.bulk_create([GapReport(organisation_id=pk, computed_at=now) for pk in ids])
    report_ids = [report.pk for report in reports]
    with connection.cursor() as cursor:
        for start in range(0, len(report_ids), 500):
            chunk = report_ids[start : start + 500]
            cursor.execute("DROP TABLE IF EXISTS portfolio_gap_cur")
            cursor.execute(CURRENT_SQL.format(targets=_placeholders(chunk)), chunk)
            cursor.execute("ANALYZE portfolio_gap_cur")
            cursor.execute(ROWS_SQL)
            cursor.execute(AREAS_SQL.format(targets=_placeholders(chunk)), chunk)
        cursor.execute("DROP TABLE portfolio_gap_cur")
    _label_periods(report_ids)
    GapReport.objects.filter(organisation_id__in=ids, is_current=True).update(is_current=False)
    GapReport.objects.filter(pk__in=report_ids).update(is_current=True)
    # Earlier reports are superseded; keeping only the current one keeps the tables small.
    GapReport.objects.filter(organisation_id__in=ids, is_current=False).delete()
    return reports


PERIOD_SQL = """
UPDATE portfolio_gapreport SET period = COALESCE((
    SELECT g.period FROM portfolio_gapreportrow g JOIN portfolio_indicator i ON i.id = g.indicator_id
    WHERE g.report_id = portfolio_gapreport.id
    ORDER BY CASE WHEN i.frequency = 'quarterly' THEN 1 ELSE 0 END DESC, g.period_index DESC
    LIMIT 1
), '')
WHERE id IN ({targets})
"""


def _label_periods(report_ids: list[int]) -> None:
    """Records each report's most recent period (quarters before years, since most indicators
    are quarterly)."""
    with connection.cursor() as cursor:
        for start in range(0, len(report_ids), 500):
            chunk = report_ids[start : start + 500]
            cursor.execute(PERIOD_SQL.format(targets=_placeholders(chunk)), chunk)

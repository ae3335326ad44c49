"""The gap report's numbers, computed set-based in the database (DESIGN.md, "Numbers that
must be computed the same way everywhere").

One INSERT … SELECT builds every indicator row of every report asked for: the latest period
with an actual value per organisation and indicator, the gap against that period's
aspiration, the sector position as CUME_DIST() over the organisations compared for that
indicator and period (those reporting it, or their latest figure from the four periods before;
none at all with fewer than five others), and the trend as a least-squares slope from SUM aggregates over the
last four periods. The SQL runs unchanged on PostgreSQL and on SQLite 3.25 or later.

Then each row's position within each comparison group besides every organisation (same kind,
same region, admins' groups: portfolio.groups), by the same rule: partitioned by the group where
its members share it (POSITIONS_SQL), and worked out for the row alone where the set is the
organisation's own, its nearest neighbours or a group it is not on (OWN_POSITIONS_SQL); before them, the
nearest neighbours of the organisations built (NEIGHBOURS_SQL; README, "Comparison groups and
nearest neighbours"). Every step reads one comparison (COMPARISON_SQL), worked out once.

The reports are built inside one transaction and only then marked current, so a reader sees
the old report or the new one, never half of one; a run that dies leaves the old report,
and a second run simply replaces the first.
"""

from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation
from portfolio import pg_import
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
    JOIN portfolio_indicator pi ON pi.id = m.indicator_id AND pi.purpose = 'performance'
    WHERE r.id IN ({targets})
    GROUP BY r.id, m.organisation_id, m.indicator_id
) l
JOIN portfolio_measurement m
  ON m.organisation_id = l.organisation_id AND m.indicator_id = l.indicator_id AND m.period_index = l.period_index
JOIN portfolio_indicator i ON i.id = l.indicator_id
LEFT JOIN portfolio_aspiration a
  ON a.organisation_id = l.organisation_id AND a.indicator_id = l.indicator_id AND a.period_index = l.period_index
"""

# Sector position (DESIGN.md, "Sector position"): a peer that has not reported the period yet is
# compared at its latest value from up to this many periods before it (same indicator, so the
# same frequency); a value older than that is left out.
EARLIER_PERIODS = 4
# No position is given unless at least this many organisations other than the reader's are in
# the comparison: with fewer, the first council to import a quarter would "lead the sector".
MIN_PEERS = 5

# The percentile and quartile from a CUME_DIST() `cd` and the number of others compared `peers`,
# the same for every comparison group (the rows' "all" and each group's positions).
PERCENTILE_SQL = f"CASE WHEN {{peers}} >= {MIN_PEERS} THEN ROUND(CAST(100 * {{cd}} AS NUMERIC), 1) END"
QUARTILE_SQL = """CASE WHEN {percentile} IS NULL THEN NULL
            WHEN {percentile} > 75 THEN 1 WHEN {percentile} > 50 THEN 2 WHEN {percentile} > 25 THEN 3 ELSE 4 END"""

# The comparison for each slot (indicator, period) of a `slots` relation the caller defines: each
# organisation with a value of the indicator in that period or in the EARLIER_PERIODS before it,
# once, at its latest value. The gap report and the indicator page both read it, so the two can
# never disagree about who is compared.
COMPARED_SQL = f"""
latest AS (
    SELECT s.indicator_id, s.period_index AS slot, m.organisation_id, MAX(m.period_index) AS period_index
    FROM slots s
    JOIN portfolio_measurement m
      ON m.indicator_id = s.indicator_id
     AND m.period_index BETWEEN s.period_index - {EARLIER_PERIODS} AND s.period_index
    GROUP BY s.indicator_id, s.period_index, m.organisation_id
),
compared AS (
    SELECT l.indicator_id, l.slot, l.organisation_id, m.id, m.period_index, m.value, i.polarity * m.value AS score
    FROM latest l
    JOIN portfolio_measurement m
      ON m.organisation_id = l.organisation_id AND m.indicator_id = l.indicator_id
     AND m.period_index = l.period_index
    JOIN portfolio_indicator i ON i.id = l.indicator_id
)
"""  # noqa: S608 - only this module's integer constants are put in

# Step 2: the comparison of each (indicator, period) the reports need, once, in a temporary table
# that the report rows and every comparison group's positions read.
COMPARISON_SQL = f"""
CREATE TEMP TABLE portfolio_gap_cmp AS
WITH slots AS (
    SELECT DISTINCT indicator_id, period_index FROM portfolio_gap_cur
),
{COMPARED_SQL}
SELECT indicator_id, slot, organisation_id, id, period_index, score FROM compared
"""  # noqa: S608 - only this module's constants are put in

# Step 3: every indicator row of every report, in one INSERT … SELECT.
# The temporary tables are read as tables, not through CTEs, so that the planner has their
# statistics (a CTE's row count is a guess, and a guess of one row, made here, chose a nested
# loop comparing every report row with every other).
ROWS_SQL = f"""
WITH windowed AS (
    -- The share of the comparison doing no better, how many others it holds, and whether any
    -- of them is there with an earlier period's figure.
    SELECT id, slot, period_index,
           CUME_DIST() OVER (PARTITION BY indicator_id, slot ORDER BY score) AS cd,
           COUNT(*) OVER (PARTITION BY indicator_id, slot) - 1 AS peers,
           MIN(period_index) OVER (PARTITION BY indicator_id, slot) AS earliest
    FROM portfolio_gap_cmp
),
ranked AS (
    -- A report's row is a value of its own period: keeping only those makes each measurement
    -- appear once, so the join below stays on one key.
    SELECT id, cd, peers, CASE WHEN earliest < slot THEN TRUE ELSE FALSE END AS earlier
    FROM windowed
    WHERE period_index = slot
),
recent AS (
    -- Sums for the least-squares slope of p*A over the last four periods; x is counted from
    -- the report's period so the sums stay small.
    SELECT c.measurement_id, COUNT(*) AS n,
           SUM(h.period_index - c.period_index) AS sx,
           SUM(c.polarity * h.value) AS sy,
           SUM((h.period_index - c.period_index) * c.polarity * h.value) AS sxy,
           SUM((h.period_index - c.period_index) * (h.period_index - c.period_index)) AS sxx
    FROM portfolio_gap_cur c
    JOIN portfolio_measurement h
      ON h.organisation_id = c.organisation_id AND h.indicator_id = c.indicator_id
     AND h.period_index BETWEEN c.period_index - 3 AND c.period_index
    GROUP BY c.measurement_id
),
scored AS (
    SELECT c.report_id, c.organisation_id, c.indicator_id, c.period, c.period_index, c.actual, c.aspiration,
           {PERCENTILE_SQL.format(peers="r.peers", cd="r.cd")} AS percentile,
           r.peers, r.earlier,
           CASE WHEN c.aspiration IS NULL OR c.aspiration = 0 THEN NULL
                ELSE ROUND(100.0 * c.polarity * (c.aspiration - c.actual) / ABS(c.aspiration), 1) END AS gap_pct,
           CASE WHEN h.n < 2 OR c.aspiration IS NULL OR c.aspiration = 0 THEN NULL
                ELSE 100.0 * (h.n * h.sxy - h.sx * h.sy) / (h.n * h.sxx - h.sx * h.sx) / ABS(c.aspiration)
           END AS trend_pct
    FROM portfolio_gap_cur c
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
     gap_pct, percentile, quartile, peers_compared, compared_with_latest, trend, incremental_unlikely)
SELECT report_id, organisation_id, indicator_id, period, period_index, actual, aspiration,
       gap_pct, percentile, {QUARTILE_SQL.format(percentile="percentile")},
       peers, earlier,
       trend,
       -- R2 needs only the organisation's own gap and trend, so it holds with or without a position.
       CASE WHEN gap_pct >= 10 AND trend <> 'improving' THEN TRUE ELSE FALSE END
FROM trended
"""  # noqa: S608 - only this module's constants are put in

# Nearest neighbours (DESIGN.md, "Comparison groups"): for each organisation named, the NEIGHBOURS
# others nearest on the contextual measures (catalogue indicators of purpose 'contextual', each
# at the organisation's latest value). Each measure is standardised over every organisation with
# a value of it, z = (x − mean) / sd with the population standard deviation (a measure all share
# one value of tells nobody apart and is left out); the distance is sqrt(Σ (z_a − z_b)²). Only
# organisations with a value of every measure are candidates, or have neighbours: a distance
# over fewer measures would not be comparable with one over all. Ties go to the lower ONS code.
NEIGHBOURS = 15
NEIGHBOURS_SQL = """
WITH measures AS (
    SELECT id FROM portfolio_indicator
    WHERE purpose = 'contextual' AND organisation_id IS NULL AND retired_at IS NULL
),
latest AS (
    SELECT m.organisation_id, m.indicator_id, MAX(m.period_index) AS period_index
    FROM portfolio_measurement m JOIN measures s ON s.id = m.indicator_id
    GROUP BY m.organisation_id, m.indicator_id
),
vals AS (
    SELECT l.organisation_id, l.indicator_id, CAST(m.value AS DOUBLE PRECISION) AS x
    FROM latest l
    JOIN portfolio_measurement m
      ON m.organisation_id = l.organisation_id AND m.indicator_id = l.indicator_id
     AND m.period_index = l.period_index
),
means AS (
    SELECT indicator_id, AVG(x) AS mean FROM vals GROUP BY indicator_id
),
spread AS (
    SELECT v.indicator_id, n.mean, SQRT(AVG((v.x - n.mean) * (v.x - n.mean))) AS sd
    FROM vals v JOIN means n ON n.indicator_id = v.indicator_id
    GROUP BY v.indicator_id, n.mean
    HAVING AVG((v.x - n.mean) * (v.x - n.mean)) > 0
),
z AS (
    SELECT v.organisation_id, v.indicator_id, (v.x - s.mean) / s.sd AS z
    FROM vals v JOIN spread s ON s.indicator_id = v.indicator_id
),
candidates AS (
    SELECT z.organisation_id, z.indicator_id, z.z FROM z
    JOIN (
        SELECT organisation_id FROM z GROUP BY organisation_id HAVING COUNT(*) = (SELECT COUNT(*) FROM spread)
    ) c ON c.organisation_id = z.organisation_id
),
pairs AS (
    SELECT a.organisation_id, b.organisation_id AS neighbour_id, SUM((a.z - b.z) * (a.z - b.z)) AS d2
    FROM candidates a
    JOIN candidates b ON b.indicator_id = a.indicator_id AND b.organisation_id <> a.organisation_id
    WHERE a.organisation_id IN ({targets})
    GROUP BY a.organisation_id, b.organisation_id
),
ranked AS (
    -- Rounded before ordering, so that distances equal but for floating-point noise tie.
    SELECT p.organisation_id, p.neighbour_id, SQRT(p.d2) AS distance,
           ROW_NUMBER() OVER (
               PARTITION BY p.organisation_id ORDER BY ROUND(CAST(p.d2 AS NUMERIC), 9), o.ons_code, o.id
           ) AS nearness
    FROM pairs p JOIN accounts_organisation o ON o.id = p.neighbour_id
)
INSERT INTO portfolio_nearestneighbour (organisation_id, neighbour_id, rank, distance)
SELECT organisation_id, neighbour_id, nearness, distance FROM ranked WHERE nearness <= %s
"""  # noqa: S608 - the targets and how many neighbours are %s placeholders

# The comparison groups shared by their members (a kind, a region, an admin's group for the
# organisations on it) that each report in `{targets}` has a position in: the set of
# organisations each is relative to (`set_key`), ranked once for all its members.
USES_SQL = """
CREATE TEMP TABLE portfolio_gap_use AS
SELECT r.id AS report_id, r.organisation_id, 'kind' AS comparison_group, 'kind:' || o.kind AS set_key,
       CAST(NULL AS INTEGER) AS group_id
FROM portfolio_gapreport r JOIN accounts_organisation o ON o.id = r.organisation_id
WHERE r.id IN ({targets}) AND o.kind <> 'sector_body'
UNION ALL
SELECT r.id, r.organisation_id, 'region', 'region:' || o.region, NULL
FROM portfolio_gapreport r JOIN accounts_organisation o ON o.id = r.organisation_id
WHERE r.id IN ({targets}) AND o.region <> ''
UNION ALL
SELECT r.id, r.organisation_id, 'group-' || CAST(g.id AS VARCHAR(12)), 'grp:' || CAST(g.id AS VARCHAR(12)), g.id
FROM portfolio_gapreport r
JOIN portfolio_comparisongroup g ON g.organisation_id = r.organisation_id OR g.shared
JOIN portfolio_comparisongroup_members m ON m.comparisongroup_id = g.id AND m.organisation_id = r.organisation_id
WHERE r.id IN ({targets})
"""
USES_PLACEHOLDER_COUNT = 3

SETS_SQL = """
CREATE TEMP TABLE portfolio_gap_set AS
SELECT k.set_key, o.id AS member_id
FROM (SELECT DISTINCT set_key FROM portfolio_gap_use WHERE comparison_group = 'kind') k
JOIN accounts_organisation o ON k.set_key = 'kind:' || o.kind
UNION ALL
SELECT k.set_key, o.id
FROM (SELECT DISTINCT set_key FROM portfolio_gap_use WHERE comparison_group = 'region') k
JOIN accounts_organisation o ON k.set_key = 'region:' || o.region
UNION ALL
SELECT k.set_key, m.organisation_id
FROM (SELECT DISTINCT set_key, group_id FROM portfolio_gap_use WHERE group_id IS NOT NULL) k
JOIN portfolio_comparisongroup_members m ON m.comparisongroup_id = k.group_id
"""

# Each report row's position within each shared set: the same rule as the row's own (the same
# comparison, CUME_DIST(), MIN_PEERS, percentile and quartile), partitioned by the set.
POSITIONS_SQL = f"""
WITH grouped AS (
    SELECT s.set_key, c.indicator_id, c.slot, c.id, c.period_index, c.score
    FROM portfolio_gap_cmp c JOIN portfolio_gap_set s ON s.member_id = c.organisation_id
),
windowed AS (
    SELECT set_key, id, slot, period_index,
           CUME_DIST() OVER (PARTITION BY set_key, indicator_id, slot ORDER BY score) AS cd,
           COUNT(*) OVER (PARTITION BY set_key, indicator_id, slot) - 1 AS peers,
           MIN(period_index) OVER (PARTITION BY set_key, indicator_id, slot) AS earliest
    FROM grouped
),
ranked AS (
    SELECT set_key, id, peers, CASE WHEN earliest < slot THEN TRUE ELSE FALSE END AS earlier,
           {PERCENTILE_SQL.format(peers="peers", cd="cd")} AS percentile
    FROM windowed
    WHERE period_index = slot
)
INSERT INTO portfolio_gapreportposition
    (report_id, indicator_id, comparison_group, percentile, quartile, peers_compared, compared_with_latest)
SELECT c.report_id, c.indicator_id, u.comparison_group, r.percentile,
       {QUARTILE_SQL.format(percentile="r.percentile")}, r.peers, r.earlier
FROM portfolio_gap_cur c
JOIN portfolio_gap_use u ON u.report_id = c.report_id
JOIN ranked r ON r.set_key = u.set_key AND r.id = c.measurement_id
"""  # noqa: S608 - only this module's constants are put in

# The groups whose set is each report's own: its nearest neighbours, and an admin's group the
# organisation is not on (its own group, or one shared with it), which compares it with the group's
# members. One row per other organisation in the set (`other_id`; NULL for a group with no
# members, which still gives a position row, one with no peers).
OTHERS_SQL = """
CREATE TEMP TABLE portfolio_gap_others AS
SELECT r.id AS report_id, 'neighbours' AS comparison_group, n.neighbour_id AS other_id
FROM portfolio_gapreport r JOIN portfolio_nearestneighbour n ON n.organisation_id = r.organisation_id
WHERE r.id IN ({targets})
UNION ALL
SELECT r.id, 'group-' || CAST(g.id AS VARCHAR(12)), m.organisation_id
FROM portfolio_gapreport r
JOIN portfolio_comparisongroup g ON g.organisation_id = r.organisation_id OR g.shared
LEFT JOIN portfolio_comparisongroup_members m ON m.comparisongroup_id = g.id
WHERE r.id IN ({targets})
  AND NOT EXISTS (
      SELECT 1 FROM portfolio_comparisongroup_members own
      WHERE own.comparisongroup_id = g.id AND own.organisation_id = r.organisation_id
  )
"""
OTHERS_PLACEHOLDER_COUNT = 2

# Each report row's position in a set of its own, by the same rule worked out for the row alone
# rather than by ranking every such set in full (an organisation is in its own neighbour set and,
# on average, fifteen others'): CUME_DIST() of the row is the share of the set scoring no better
# than it, itself included, (1 + others at or below its score) / (1 + others compared).
OWN_POSITIONS_SQL = f"""
WITH counted AS (
    SELECT c.report_id, c.indicator_id, o.comparison_group, COUNT(p.id) AS peers,
           CAST(1 + SUM(CASE WHEN p.score <= c.polarity * c.actual THEN 1 ELSE 0 END) AS DOUBLE PRECISION)
               / (1 + COUNT(p.id)) AS cd,
           CASE WHEN MIN(p.period_index) < c.period_index THEN TRUE ELSE FALSE END AS earlier
    FROM portfolio_gap_cur c
    JOIN portfolio_gap_others o ON o.report_id = c.report_id
    LEFT JOIN portfolio_gap_cmp p
      ON p.organisation_id = o.other_id AND p.indicator_id = c.indicator_id AND p.slot = c.period_index
    GROUP BY c.report_id, c.measurement_id, c.indicator_id, c.period_index, c.polarity, c.actual, o.comparison_group
),
ranked AS (
    SELECT report_id, indicator_id, comparison_group, peers, earlier,
           {PERCENTILE_SQL.format(peers="peers", cd="cd")} AS percentile
    FROM counted
)
INSERT INTO portfolio_gapreportposition
    (report_id, indicator_id, comparison_group, percentile, quartile, peers_compared, compared_with_latest)
SELECT report_id, indicator_id, comparison_group, percentile, {QUARTILE_SQL.format(percentile="percentile")},
       peers, earlier
FROM ranked
"""  # noqa: S608 - only this module's constants are put in

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


TEMPORARY_TABLES = (
    "portfolio_gap_cur",
    "portfolio_gap_cmp",
    "portfolio_gap_use",
    "portfolio_gap_set",
    "portfolio_gap_others",
)


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
    if connection.vendor == "postgresql":
        pg_import.statistics_refresh("portfolio_measurement", "portfolio_aspiration")
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            targets = _placeholders(chunk)
            cursor.execute(f"DELETE FROM portfolio_nearestneighbour WHERE organisation_id IN ({targets})", chunk)  # noqa: S608
            cursor.execute(NEIGHBOURS_SQL.format(targets=targets), [*chunk, NEIGHBOURS])
        for start in range(0, len(report_ids), 500):
            chunk = report_ids[start : start + 500]
            targets = _placeholders(chunk)
            for table in TEMPORARY_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(CURRENT_SQL.format(targets=targets), chunk)
            cursor.execute("ANALYZE portfolio_gap_cur")
            cursor.execute(COMPARISON_SQL)
            cursor.execute("ANALYZE portfolio_gap_cmp")
            cursor.execute(ROWS_SQL)
            cursor.execute(USES_SQL.format(targets=targets), chunk * USES_PLACEHOLDER_COUNT)
            cursor.execute(SETS_SQL)
            cursor.execute("ANALYZE portfolio_gap_set")
            cursor.execute(POSITIONS_SQL)
            cursor.execute(OTHERS_SQL.format(targets=targets), chunk * OTHERS_PLACEHOLDER_COUNT)
            cursor.execute("ANALYZE portfolio_gap_others")
            cursor.execute(OWN_POSITIONS_SQL)
            cursor.execute(AREAS_SQL.format(targets=targets), chunk)
        for table in TEMPORARY_TABLES:
            cursor.execute(f"DROP TABLE {table}")
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


SERIES_SQL = f"""
WITH slots (indicator_id, period_index) AS (
    VALUES {{slots}}
),
{COMPARED_SQL}
SELECT slot, organisation_id, period_index, value FROM compared
"""  # noqa: S608 - constants; the slots are %s placeholders


@dataclass
class SectorPoint:
    """The sector's side of one period on an indicator's page."""

    median: Decimal | None  # None when too few organisations are compared
    peers: int  # organisations other than the reader's in the comparison
    compared_with_latest: bool  # some of them are there with an earlier period's figure


def sector_points(*, organisation_id: int, indicator_id: int, period_indexes: list[int]) -> dict[int, SectorPoint]:
    """The sector median of each period, over the same comparison as the gap report's position,
    for the indicator's page."""
    if not period_indexes:
        return {}
    values: dict[int, list[Decimal]] = {index: [] for index in period_indexes}
    peers = dict.fromkeys(period_indexes, 0)
    earlier = dict.fromkeys(period_indexes, False)
    params = [n for index in period_indexes for n in (indicator_id, index)]
    with connection.cursor() as cursor:
        cursor.execute(SERIES_SQL.format(slots=", ".join(["(%s, %s)"] * len(period_indexes))), params)
        for slot, peer_id, period_index, value in cursor.fetchall():
            values[slot].append(value if isinstance(value, Decimal) else Decimal(str(value)))
            if peer_id != organisation_id:
                peers[slot] += 1
                earlier[slot] = earlier[slot] or period_index < slot
    return {
        index: SectorPoint(
            median=median(values[index]) if peers[index] >= MIN_PEERS else None,
            peers=peers[index],
            compared_with_latest=earlier[index],
        )
        for index in period_indexes
    }

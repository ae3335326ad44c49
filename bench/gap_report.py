"""Gap reports and imports at sector scale, as ratios to plain PostgreSQL measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench python -m bench.gap_report \
        [--organisations 331] [--indicators 120] [--quarters 24] [--import-rows 1000000]

Builds a throwaway test database (test_<name>, dropped afterwards) holding `--organisations`
authorities each reporting `--indicators` quarterly indicators for `--quarters` quarters
(331 × 120 × 24 is about 950,000 values) and an aspiration for each latest quarter. Then:

1. Whole-sector recompute: `services.gap_reports_compute()` (every report built and swapped in
   whole, with trend and service-area rows, nearest neighbours, and each row's position in three
   comparison groups: same kind, same region and nearest neighbours, for which the organisations
   are given four kinds, ten regions and four contextual measures) against ONE hand-written SQL query that computes
   the same gaps and percentiles and fetches them. Also the peak memory (max RSS) of a separate
   worker-like process that runs the Celery task body for the whole sector.
2. Import: `services.measurements_import()` of a `--import-rows` CSV of new values (full
   validation, then the write of the values, each carrying its import) against the write any
   correct import must do: PostgreSQL's COPY of the same rows, already as the table's columns,
   into the live measurement table with its indexes, foreign keys and the values already there.
   Both run in transactions rolled back, alternately. The gap recompute that an import queues is
   left out (it is 1.). Also, for scale only, COPY of the file into a bare table, and how long
   each step of the import takes.

It refuses to run on anything but PostgreSQL.
"""

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

# The same rule as portfolio.gaps (DESIGN.md, "Sector position"), written plainly: each
# organisation's latest period; for each such indicator and period, every organisation's latest
# value from that period or the four before it; CUME_DIST() over those, and no position with
# fewer than five others.
BASELINE_SQL = """
WITH latest AS (
    SELECT organisation_id, indicator_id, MAX(period_index) AS period_index
    FROM portfolio_measurement GROUP BY organisation_id, indicator_id
),
slots AS (
    SELECT DISTINCT indicator_id, period_index FROM latest
),
peers AS (
    SELECT s.indicator_id, s.period_index AS slot, m.organisation_id, MAX(m.period_index) AS period_index
    FROM slots s JOIN portfolio_measurement m
      ON m.indicator_id = s.indicator_id AND m.period_index BETWEEN s.period_index - 4 AND s.period_index
    GROUP BY s.indicator_id, s.period_index, m.organisation_id
),
ranked AS (
    SELECT p.organisation_id, p.indicator_id, p.slot, p.period_index, m.value, i.polarity,
           CUME_DIST() OVER (PARTITION BY p.indicator_id, p.slot ORDER BY i.polarity * m.value) AS cd,
           COUNT(*) OVER (PARTITION BY p.indicator_id, p.slot) - 1 AS others
    FROM peers p
    JOIN portfolio_measurement m ON m.organisation_id = p.organisation_id AND m.indicator_id = p.indicator_id
                                AND m.period_index = p.period_index
    JOIN portfolio_indicator i ON i.id = p.indicator_id
)
SELECT r.organisation_id, r.indicator_id, r.period_index,
       CASE WHEN a.value = 0 THEN NULL ELSE ROUND(100.0 * r.polarity * (a.value - r.value) / ABS(a.value), 1) END,
       CASE WHEN r.others >= 5 THEN ROUND((100 * r.cd)::numeric, 1) END
FROM ranked r
JOIN latest l ON l.organisation_id = r.organisation_id AND l.indicator_id = r.indicator_id
             AND l.period_index = r.slot AND r.period_index = r.slot
LEFT JOIN portfolio_aspiration a ON a.organisation_id = r.organisation_id AND a.indicator_id = r.indicator_id
                               AND a.period_index = r.period_index
"""


def _median_seconds(work, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _seed(organisations: int, indicators: int, quarters: int):
    from django.db import connection

    from accounts.models import Organisation, Region
    from portfolio import periods
    from portfolio.catalogue import catalogue_load
    from portfolio.models import Indicator

    catalogue_load(Indicator)
    Indicator.objects.performance().filter(frequency="annual").update(frequency="quarterly")
    existing = Indicator.objects.performance().count()
    Indicator.objects.bulk_create(
        Indicator(
            code=f"BENCH-{n}", name=f"Bench {n}", unit="%", polarity=1 if n % 3 else -1, frequency="quarterly",
            service="corporate",
        )
        for n in range(max(0, indicators - existing))
    )  # fmt: skip
    chosen = list(Indicator.objects.performance().order_by("pk")[:indicators])
    # Comparison groups (portfolio.groups): four kinds, ten regions, and the contextual measures
    # nearest neighbours are found on, so that every report has a position in three groups
    # besides every organisation's.
    kinds = ["district", "unitary", "metropolitan", "london_borough"]
    regions = [value for value, _ in Region.choices]
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench Council {n}",
            ons_code=f"E06{n:06d}",
            kind=kinds[n % len(kinds)],
            region=regions[n % len(regions)],
        )
        for n in range(organisations)
    )
    contextual = list(Indicator.objects.filter(purpose=Indicator.Purpose.CONTEXTUAL))
    rng = random.Random(2007)
    first = 2020 * 4
    with connection.cursor() as cursor:
        columns = "(organisation_id, indicator_id, period, period_index, value, updated_at)"
        with cursor.copy(f"COPY portfolio_measurement {columns} FROM STDIN") as copy:
            for org in orgs:
                for indicator in chosen:
                    level = rng.uniform(20, 80)
                    for q in range(quarters):
                        index = first + q
                        level += rng.gauss(0.2, 2)
                        copy.write_row(
                            (org.pk, indicator.pk, f"{index // 4}-Q{index % 4 + 1}", index, round(level, 2), "now")
                        )
        year = periods.parse("2024/25")
        with cursor.copy(f"COPY portfolio_measurement {columns} FROM STDIN") as copy:
            for org in orgs:
                for indicator in contextual:
                    copy.write_row(
                        (org.pk, indicator.pk, year.label, year.index, round(rng.lognormvariate(4, 1), 2), "now")
                    )
        last = first + quarters - 1
        with cursor.copy(f"COPY portfolio_aspiration {columns} FROM STDIN") as copy:
            for org in orgs:
                for indicator in chosen:
                    copy.write_row(
                        (org.pk, indicator.pk, f"{last // 4}-Q{last % 4 + 1}", last, rng.uniform(30, 90), "now")
                    )
        cursor.execute("ANALYZE")
    return orgs, chosen  # fmt: skip


def _write_import_file(path: Path, orgs, indicators, rows: int) -> None:
    """`rows` values for quarters after the seeded ones (so they are all new)."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ons_code", "indicator_code", "period", "value"])
        written, year = 0, 2030
        while written < rows:
            for quarter in range(1, 5):
                for org in orgs:
                    for indicator in indicators:
                        writer.writerow([org.ons_code, indicator.code, f"{year}-Q{quarter}", f"{50 + written % 37}.5"])
                        written += 1
                        if written == rows:
                            return
            year += 1


def _child_peak_memory() -> None:
    """Runs the nightly task body for the whole sector and prints this process's peak RSS (MB)."""
    import resource

    import django

    django.setup()
    from portfolio import tasks

    tasks.gap_reports_compute_all()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", type=int, default=331)
    parser.add_argument("--indicators", type=int, default=120)
    parser.add_argument("--quarters", type=int, default=24)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child_peak_memory()
        return 0

    import django

    django.setup()
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection

    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL database.", file=sys.stderr)
        return 2
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    test_name = connection.settings_dict["NAME"]
    try:
        from portfolio import services
        from portfolio.models import GapReportPosition, GapReportRow, Measurement

        started = time.perf_counter()
        orgs, indicators = _seed(args.organisations, args.indicators, args.quarters)
        values = Measurement.objects.count()
        print(
            f"Gap reports: {len(orgs)} organisations × {len(indicators)} indicators × {args.quarters} quarters "
            f"= {values:,} values on {connection.vendor} (seeded in {time.perf_counter() - started:.0f} s)"
        )

        def recompute():
            services.gap_reports_compute(organisation_ids=None)

        def baseline():
            with connection.cursor() as cursor:
                cursor.execute(BASELINE_SQL)
                cursor.fetchall()

        recompute()  # warm
        baseline()
        rows = GapReportRow.objects.count()
        positions = GapReportPosition.objects.values("comparison_group").distinct().count()
        # Alternating runs, so that a busy machine slows both sides alike.
        ours_runs, plain_runs = [], []
        for _ in range(args.repeat):
            ours_runs.append(_median_seconds(recompute, 1))
            plain_runs.append(_median_seconds(baseline, 1))
        ours, plain = statistics.median(ours_runs), statistics.median(plain_runs)
        print(
            f"  whole-sector recompute / one hand-written query:  {ours / plain:5.2f}×  "
            f"({ours:.2f} s vs {plain:.2f} s, medians of {args.repeat}; {rows:,} report rows, each also positioned "
            f"in {positions} comparison groups; target ≤ 1.3)"
        )
        env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict, test_name)}
        result = subprocess.run(
            [sys.executable, "-m", "bench.gap_report", "--child"], env=env, capture_output=True, text=True, check=True
        )
        print(f"  worker peak memory (max RSS) for the whole sector: {result.stdout.strip().splitlines()[-1]} MB "
              "(target < 300 MB)")  # fmt: skip

        if args.import_rows:
            _bench_import(args, orgs, indicators, services)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


def _database_url(settings_dict: dict, name: str) -> str:
    user, password = settings_dict["USER"], settings_dict["PASSWORD"] or ""
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{name}"


def _bench_import(args, orgs, indicators, services) -> None:
    """The import against the write any correct import must do: COPY of the same rows, already as
    the table's columns and in its unique index's order (as the import writes them), into the live
    measurement table with its indexes, foreign keys and the values already there. Both run in a
    transaction that is rolled back, alternately, so each run meets the same table and a busy
    machine slows both alike. Also, for scale only, COPY of the file into a bare table, and where
    the import's own time goes."""
    from django.db import connection, transaction

    from portfolio import pg_import
    from portfolio.models import Measurement, ValueSource

    table = Measurement._meta.db_table
    columns = "organisation_id, indicator_id, period, period_index, value, updated_at, source_id"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.csv"
        _write_import_file(path, orgs, indicators, args.import_rows)
        source = ValueSource.objects.create(reason="bench: the rows COPY writes")
        rows = _table_rows(path, source.pk)

        def copy_live():
            with transaction.atomic(), connection.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for start in range(0, len(rows), 1 << 20):
                        copy.write(rows[start : start + (1 << 20)])
                transaction.set_rollback(True)

        def copy_bare():
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "CREATE TABLE bench_bare (ons_code text, indicator_code text, period text, value numeric)"
                )
                with (
                    path.open("rb") as handle,
                    cursor.copy("COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER)") as copy,
                ):
                    while data := handle.read(1 << 20):
                        copy.write(data)
                transaction.set_rollback(True)

        steps: dict[str, list[float]] = {}

        def timed(name, work):
            def run(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return work(*args, **kwargs)
                finally:
                    steps.setdefault(name, []).append(time.perf_counter() - started)

            return run

        before = Measurement.objects.count()
        checks = []

        def ours():
            with transaction.atomic():
                checked = services.measurements_import(path=path, organisation=None, actor=None, reason="bench")
                checks.append((checked.error_count, checked.created, Measurement.objects.count() - before))
                # The gap report run it queues would first refresh the planner's statistics
                # (pg_import.statistics_refresh): timed for scale, not counted in the import.
                with connection.cursor() as cursor:
                    started = time.perf_counter()
                    cursor.execute(f"ANALYZE {table}")
                    steps.setdefault("then the report's ANALYZE", []).append(time.perf_counter() - started)
                transaction.set_rollback(True)  # the gap report run it queues never starts

        originals = {name: getattr(pg_import, name) for name in ("stage", "all_good", "write")}
        labels = {"stage": "COPY the file and match it", "all_good": "check every line", "write": "write"}
        for name, work in originals.items():
            setattr(pg_import, name, timed(labels[name], work))
        ours_runs, live_runs, bare_runs = [], [], []
        try:
            for _ in range(args.repeat):
                ours_runs.append(_median_seconds(ours, 1))
                live_runs.append(_median_seconds(copy_live, 1))
                bare_runs.append(_median_seconds(copy_bare, 1))
        finally:
            for name, work in originals.items():
                setattr(pg_import, name, work)
        assert all(c == (0, args.import_rows, args.import_rows) for c in checks), checks
        ours_time, live, bare = (statistics.median(r) for r in (ours_runs, live_runs, bare_runs))
        print(
            f"Import of {args.import_rows:,} new rows ({path.stat().st_size / 1e6:.0f} MB CSV) into {before:,} values"
        )
        print(
            f"  import / COPY into the live measurement table: {ours_time / live:5.2f}×  "
            f"({ours_time:.2f} s vs {live:.2f} s, medians of {args.repeat}; target ≤ 2)"
        )  # fmt: skip
        print(
            f"  import / COPY of the file into a bare table, for scale: {ours_time / bare:5.2f}×  "
            f"({ours_time:.2f} s vs {bare:.2f} s)"
        )
        analyze = steps.pop("then the report's ANALYZE")
        spent = ", ".join(f"{name} {statistics.median(times):.2f} s" for name, times in steps.items())
        print(f"  where the import's time goes (medians): {spent}")
        print(
            f"  and the gap report it queues first refreshes the planner's statistics: ANALYZE "
            f"{statistics.median(analyze):.2f} s (median; part of the recompute, not of the import)"
        )


def _table_rows(path: Path, source_id: int) -> bytes:
    """The file's rows as COPY text of the measurement table's columns: what the import writes, in
    the order it writes them (the unique index's), so that the baseline is the fastest plain write."""
    from django.db import connection

    from accounts.models import Organisation
    from portfolio import periods
    from portfolio.models import Indicator

    organisations = dict(Organisation.objects.filter(ons_code__isnull=False).values_list("ons_code", "id"))
    indicators = dict(Indicator.objects.values_list("code", "id"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()::text")
        now = cursor.fetchone()[0]
    rows = []
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for ons_code, code, period, value in reader:
            rows.append((organisations[ons_code], indicators[code], periods.parse(period).index, period, value))
    rows.sort()
    return "".join(f"{o}\t{i}\t{p}\t{index}\t{v}\t{now}\t{source_id}\n" for o, i, index, p, v in rows).encode()


if __name__ == "__main__":
    sys.exit(main())

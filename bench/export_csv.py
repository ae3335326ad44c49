"""CSV export of a million measurements, as a ratio to psql's \\copy of the same rows, measured in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_export python -m bench.export_csv [--rows 1000000]

Builds a throwaway test database (test_<name>, dropped afterwards) with one organisation
holding `--rows` actual values, then times, alternately and `--repeat` times each:

1. Lantern's measurements CSV export as the download view streams it (reports.exports.csv_stream:
   on PostgreSQL `COPY (SELECT …) TO STDOUT` through psycopg with the formula escaping in the
   SQL), read to the end;
2. the baseline: `psql -c "\\copy (SELECT …) TO STDOUT WITH (FORMAT csv)"` of the same rows
   without escaping, its output thrown away;
3. the portable path every other database takes (ORM iterator + csv module + reports.writers.cell).

It prints the medians, the ratios (target ≤ 1.5 for 1 against 2) and this process's peak
memory growth while exporting (flat: the CSV is never held whole). On SQLite only 3 runs,
against the sqlite3 module's own cursor + csv writer as the baseline.
"""

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")


def _seed(rows: int):
    from django.db import connection

    from accounts.models import Organisation
    from portfolio.models import Indicator, Measurement

    organisation = Organisation.objects.create(name="Bench Council", ons_code="E06999999", kind="unitary")
    indicators = max(1, rows // 1000)
    Indicator.objects.bulk_create(
        Indicator(code=f"B{n:05d}", name=f"Bench {n}", unit="%", polarity=1, frequency="quarterly", service="waste")
        for n in range(indicators)
    )
    first = Indicator.objects.order_by("pk").first().pk
    table = Measurement._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (organisation_id, indicator_id, period, period_index, value, updated_at) "  # noqa: S608
                "SELECT %s, %s + (n / 1000), 'P' || lpad((n %% 1000)::text, 4, '0'), n %% 1000, "
                "round((random() * 200 - 50)::numeric, 2), now() FROM generate_series(0, %s - 1) n",
                [organisation.pk, first, rows],
            )
            cursor.execute(f"ANALYZE {table}")
        else:
            batch = []
            for n in range(rows):
                batch.append((organisation.pk, first + n // 1000, f"P{n % 1000:04d}", n % 1000, (n % 250) - 50.25))
                if len(batch) == 50_000 or n == rows - 1:
                    cursor.executemany(
                        f"INSERT INTO {table} (organisation_id, indicator_id, period, period_index, value, updated_at) "  # noqa: S608
                        "VALUES (%s, %s, %s, %s, %s, CURRENT_TIMESTAMP)",
                        batch,
                    )
                    batch = []
    return organisation


def _time(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import django

    django.setup()
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from accounts.models import User
        from reports import exports as reports
        from reports.models import ExportJob
        from reports.writers import csv_chunks

        started = time.perf_counter()
        organisation = _seed(args.rows)
        user = User.objects.create_user(email="bench@example.org", password=None)
        export = reports.EXPORTS["measurements"]
        seeded = time.perf_counter() - started
        print(f"CSV export of {args.rows:,} measurements on {connection.vendor} (seeded in {seeded:.0f} s)")

        def prepared():
            selected = export.select(organisation=organisation, user=user, data={})
            job = ExportJob.objects.create(
                organisation=organisation, requested_by=user, export=export.name, format="csv", mode="immediate"
            )
            return reports.Prepared(export=export, job=job, selected=selected, count=args.rows)

        def ours():
            size = 0
            for chunk in reports.csv_stream(prepared()):
                size += len(chunk)
            return size

        def portable():
            p = prepared()
            for _chunk in csv_chunks(export.columns, export.rows(p.selected, organisation=organisation)):
                pass

        if connection.vendor == "postgresql":
            sql = (
                "SELECT o.ons_code, i.code, m.period, m.value FROM portfolio_measurement m "
                "JOIN portfolio_indicator i ON i.id = m.indicator_id JOIN accounts_organisation o "
                f"ON o.id = m.organisation_id WHERE m.organisation_id = {organisation.pk} "
                "ORDER BY m.indicator_id, m.period_index"
            )
            settings = connection.settings_dict
            env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
            command = [
                "psql", "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
                "-U", settings["USER"], "-d", settings["NAME"], "-q", "-v", "ON_ERROR_STOP=1",
                "-c", f"\\copy ({sql}) TO STDOUT WITH (FORMAT csv)",
            ]  # fmt: skip

            def baseline():
                subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)  # noqa: S603

            from reports.copy_out import measurement_copy_sql

            escaped_select = measurement_copy_sql().removeprefix("COPY (").split(") TO STDOUT")[0]
            escaped_command = [
                *command[:-1],
                f"\\copy ({escaped_select % organisation.pk}) TO STDOUT WITH (FORMAT csv)",
            ]

            def baseline_escaped():
                subprocess.run(escaped_command, env=env, stdout=subprocess.DEVNULL, check=True)  # noqa: S603

        else:

            def baseline():
                raw = connection.connection
                writer = csv.writer(open(os.devnull, "w"))  # noqa: SIM115
                for row in raw.execute(
                    "SELECT o.ons_code, i.code, m.period, m.value FROM portfolio_measurement m "
                    "JOIN portfolio_indicator i ON i.id = m.indicator_id JOIN accounts_organisation o "
                    "ON o.id = m.organisation_id ORDER BY m.indicator_id, m.period_index"
                ):
                    writer.writerow(row)

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        ours()  # warm, and the memory measurement
        rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        baseline()
        ours_runs, base_runs, portable_runs, escaped_runs = [], [], [], []
        for _ in range(args.repeat):
            ours_runs.append(_time(ours))
            base_runs.append(_time(baseline))
            if connection.vendor == "postgresql":
                portable_runs.append(_time(portable))
                escaped_runs.append(_time(baseline_escaped))
        o, b = statistics.median(ours_runs), statistics.median(base_runs)
        name = "COPY export" if connection.vendor == "postgresql" else "portable export"
        base_name = "psql \\copy" if connection.vendor == "postgresql" else "sqlite3 cursor + csv"
        # The ≤ 1.5 target is PostgreSQL's (its COPY path); on SQLite the portable path's ratio is reported.
        target = "target ≤ 1.5" if connection.vendor == "postgresql" else "reported only: the target is PostgreSQL's"
        print(f"  {name} / {base_name}: {o / b:5.2f}×  ({o:.2f} s vs {b:.2f} s, medians of {args.repeat}; {target})")
        if portable_runs:
            p = statistics.median(portable_runs)
            print(f"  portable export (ORM + csv) / psql \\copy: {p / b:5.2f}×  ({p:.2f} s)")
            e = statistics.median(escaped_runs)
            print(
                f"  psql \\copy of the same escaping SELECT / psql \\copy: {e / b:5.2f}×  ({e:.2f} s: the SQL's share)"
            )
        print(f"  peak memory growth while exporting: {rss_growth:.0f} MB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""XLSX export of 100,000 rows: rows a second and memory, measured in one run.

    python -m bench.export_xlsx [--rows 100000]          # SQLite, or DATABASE_URL=postgres://…

Builds a throwaway test database with one organisation holding `--rows` actual values and
writes the measurements export as XLSX exactly as a download or background job does
(reports.exports.write_file → reports.writers.xlsx_write: xlsxwriter in constant-memory mode,
strings_to_formulas off, every cell through the formula-injection helper). Prints rows a
second (target ≥ 15,000) and this process's peak memory growth while writing (flat: rows
are flushed to disk as they are written).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)

    import django

    django.setup()
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection

    from bench.export_csv import _seed

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from accounts.models import User
        from reports import exports as reports
        from reports.models import ExportJob

        organisation = _seed(args.rows)
        user = User.objects.create_user(email="bench@example.org", password=None)
        export = reports.EXPORTS["measurements"]

        def run(path: str) -> int:
            selected = export.select(organisation=organisation, user=user, data={})
            job = ExportJob.objects.create(
                organisation=organisation, requested_by=user, export=export.name, format="xlsx", mode="background"
            )
            prepared = reports.Prepared(export=export, job=job, selected=selected, count=args.rows)
            return reports.write_file(prepared, path)

        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "export.xlsx")
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started, cpu_started = time.perf_counter(), time.process_time()
            rows = run(path)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
            size = os.path.getsize(path) / 1e6
        assert rows == args.rows, rows
        print(f"XLSX export of {rows:,} measurement rows on {connection.vendor}")
        print(f"  {rows / seconds:,.0f} rows a second ({seconds:.2f} s, {size:.1f} MB file; target ≥ 15,000 rows/s)")
        # On a shared machine the wall clock counts other processes' turns too; CPU time does not.
        print(f"  {rows / cpu:,.0f} rows a second of this process's CPU time ({cpu:.2f} s)")
        print(f"  peak memory growth while writing: {growth:.0f} MB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

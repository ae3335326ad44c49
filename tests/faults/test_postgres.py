"""PostgreSQL faults, on a cluster of the test's own: a restart under load loses no committed
write, and a pg_dump backup restores into a fresh database with every row (scripts/check_restore.sh)."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.faults.conftest import django_env as _env

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.faults, pytest.mark.services]

# A writer like a busy site: each save is the Organisation service's own ORM write, in its own
# transaction; a save that fails (the server is restarting) is tried again, as a person would.
# It prints a pk only after the commit returned, so every printed pk is an acknowledged write.
WRITER = """
import sys, time
import django
django.setup()
from django.db import OperationalError, InterfaceError, close_old_connections, transaction
from accounts.models import Organisation
deadline = time.monotonic() + float(sys.argv[1])
n = 0
while time.monotonic() < deadline:
    n += 1
    try:
        with transaction.atomic():
            pk = Organisation.objects.create(name=f"Council {n}", kind="district").pk
    except (OperationalError, InterfaceError):
        close_old_connections()
        from django.db import connection
        connection.close()
        time.sleep(0.05)
        continue
    print(pk, flush=True)
"""


def test_a_postgresql_restart_under_load_loses_no_committed_write(throwaway_postgres, lantern_db):
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, "12"], cwd=ROOT, env=_env(lantern_db), stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    time.sleep(3)
    throwaway_postgres.restart("fast")  # a clean restart: sessions cut off mid-transaction
    time.sleep(3)
    throwaway_postgres.restart("immediate")  # a crash: no checkpoint, recovery from the WAL
    acknowledged = set()
    for writer in writers:
        out, _ = writer.communicate(timeout=60)
        acknowledged |= {int(line) for line in out.split()}
    stored = {int(pk) for pk in throwaway_postgres.psql("SELECT id FROM accounts_organisation", "lantern").split()}
    assert acknowledged, "the writers committed nothing"
    assert acknowledged <= stored, f"{len(acknowledged - stored)} committed writes were lost"
    # The writers went on writing after each restart: the site reconnects by itself.
    assert max(acknowledged) > min(acknowledged) + 50


def direct_counts(server, database: str) -> dict[str, int]:
    """Each table's count(*), asked of the database directly, one query per table."""
    tables = server.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", database).split()
    # The names are the catalogue's own (Django's lower-case table names), not input.
    query = " UNION ALL ".join(f"SELECT '{table}', count(*) FROM public.\"{table}\"" for table in tables)  # noqa: S608
    rows = server.psql(query, database).splitlines()
    return {name: int(count) for name, count in (row.split("|") for row in rows)}


@pytest.fixture(scope="module")
def demo_db(throwaway_postgres):
    """A migrated Lantern database holding the demo data (seed_demo), on the throwaway cluster."""
    throwaway_postgres.psql("CREATE DATABASE lantern_demo")
    url = throwaway_postgres.url("lantern_demo")
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=_env(url), check=True, capture_output=True
        )
    return url


def check_restore(url: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "scripts/check_restore.sh"), url, *args],
        cwd=ROOT,
        env={**_env(url), "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restores_into_a_fresh_database_with_every_row(throwaway_postgres, demo_db, tmp_path):
    dump = tmp_path / "lantern.dump"
    result = check_restore(demo_db, str(dump))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""  # no SQL error passed over
    counts = direct_counts(throwaway_postgres, "lantern_demo")
    assert len(counts) > 50 and counts["portfolio_measurement"] > 1000  # the demo data is there
    assert f"Same rows in all {len(counts)} tables ({sum(counts.values())} rows)" in result.stdout
    assert "Every migration is applied in the restored copy" in result.stdout
    assert result.stdout.rstrip().endswith("Restore check passed")
    assert dump.stat().st_size > 0
    # and the scratch copy is gone
    assert "lantern_demo_restore_check" not in throwaway_postgres.psql("SELECT datname FROM pg_database")


def test_the_restore_check_fails_when_the_copy_differs(throwaway_postgres, demo_db):
    """A row lost in the restored copy (planted through the script's documented hook) fails the
    check, naming the table and both counts."""
    before = direct_counts(throwaway_postgres, "lantern_demo")["portfolio_measurement"]
    result = check_restore(
        demo_db,
        RESTORE_CHECK_TAMPER_SQL="DELETE FROM portfolio_measurement WHERE id = "
        "(SELECT min(id) FROM portfolio_measurement)",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        f"portfolio_measurement: {before} rows in the source, {before - 1} rows in the restored copy" in result.stderr
    )
    assert "Restore check FAILED" in result.stderr
    assert "passed" not in result.stdout
    # The source is untouched, and the scratch copy is gone.
    assert direct_counts(throwaway_postgres, "lantern_demo")["portfolio_measurement"] == before
    assert "lantern_demo_restore_check" not in throwaway_postgres.psql("SELECT datname FROM pg_database")


def test_the_restore_check_fails_on_a_table_missing_from_the_copy(throwaway_postgres, demo_db):
    rows = direct_counts(throwaway_postgres, "lantern_demo")["sharing_adoption"]
    result = check_restore(demo_db, RESTORE_CHECK_TAMPER_SQL="DROP TABLE sharing_adoption")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"sharing_adoption: {rows} rows in the source, no such table in the restored copy" in result.stderr


def test_the_restore_check_stops_at_an_sql_error(demo_db):
    """psql runs with ON_ERROR_STOP: a failing statement ends the check rather than being passed over."""
    result = check_restore(demo_db, RESTORE_CHECK_TAMPER_SQL="SELECT no_such_column FROM portfolio_measurement")
    assert result.returncode != 0
    assert "no_such_column" in result.stderr
    assert "passed" not in result.stdout


def test_the_restore_check_refuses_a_database_with_no_tables(throwaway_postgres):
    throwaway_postgres.psql("CREATE DATABASE empty_lantern")
    try:
        result = check_restore(throwaway_postgres.url("empty_lantern"))
    finally:
        throwaway_postgres.psql("DROP DATABASE empty_lantern")
    assert result.returncode == 1
    assert "No tables in empty_lantern's public schema: nothing to check" in result.stderr
    assert "passed" not in result.stdout

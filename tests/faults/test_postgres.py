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


def test_a_backup_restores_into_a_fresh_database_with_every_row(throwaway_postgres, lantern_db, tmp_path):
    dump = tmp_path / "lantern.dump"
    result = subprocess.run(
        ["bash", str(ROOT / "scripts/check_restore.sh"), lantern_db, str(dump)],
        cwd=ROOT,
        env=_env(lantern_db),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restore check passed" in result.stdout
    assert dump.stat().st_size > 0
    # and the scratch copy is gone
    assert "lantern_restore_check" not in throwaway_postgres.psql("SELECT datname FROM pg_database")


def test_the_restore_check_fails_when_the_copy_differs(throwaway_postgres, lantern_db, tmp_path):
    """The check is not vacuous: a dump of a different database does not pass as this one's."""
    throwaway_postgres.psql("CREATE DATABASE other TEMPLATE template0")
    try:
        dump = tmp_path / "other.dump"
        subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), throwaway_postgres.url("other")], check=True)
        restored = subprocess.run(
            ["pg_restore", "--list", str(dump)], check=True, capture_output=True, text=True
        ).stdout
        assert "accounts_organisation" not in restored
    finally:
        throwaway_postgres.psql("DROP DATABASE other")

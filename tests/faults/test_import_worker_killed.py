"""A Celery worker killed (SIGKILL) in the middle of writing a measurement import leaves none of
the file's values, the import's page says it was interrupted and that nothing was imported, and
"Try again" imports every line exactly once.

A real worker on a throwaway Redis and PostgreSQL takes a file big enough that its one write
statement runs for a while; the test waits until PostgreSQL shows that statement running, checks
that the worker holds the job's run lock (so the page still says "running"), and kills it there.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.faults.conftest import ROOT, django_env

pytestmark = [pytest.mark.faults, pytest.mark.services]
CELERY = Path(sys.executable).with_name("celery")
ROWS = 120_000  # about 3.5 MB: its write runs for seconds (15 s for twice as many here), easily caught midway
ONS_CODE = "E07000999"
RUN_LOCK = 7_305_212  # portfolio.services.IMPORT_RUN_LOCK

# MEDIA_ROOT in a temporary directory: the upload must not be left in the work tree.
SETTINGS = """
from config.settings import *  # noqa: F403
MEDIA_ROOT = {media!r}
"""

SETUP = """
import sys, django
django.setup()
from pathlib import Path
from django.conf import settings
from accounts.models import Membership, Organisation, Role, User
from portfolio.models import ImportJob, Indicator
rows, ons_code = int(sys.argv[1]), sys.argv[2]
org = Organisation.objects.create(name="Killed Import Council", kind="district", ons_code=ons_code)
admin = User.objects.create_user(email="admin@killed-import.example", full_name="Ada Admin")
Membership.objects.create(user=admin, organisation=org, role=Role.ADMIN)
periods = [f"{year}-Q{quarter}" for year in range(1900, 2201) for quarter in range(1, 5)]
count = -(-rows // len(periods))
Indicator.objects.bulk_create([
    Indicator(code=f"KILL{n:04d}", name=f"Killed import {n}", unit="count", polarity=1, frequency="quarterly",
              service="waste")
    for n in range(count)
])
job = ImportJob(organisation=org, uploaded_by=admin, original_name="every quarter since 1900.csv")
name = f"imports/{job.public_id}.csv"
path = Path(settings.MEDIA_ROOT) / name
path.parent.mkdir(parents=True, exist_ok=True)
with path.open("w", encoding="utf-8") as handle:
    handle.write("ons_code,indicator_code,period,value\\n")
    lines = (f"{ons_code},KILL{n:04d},{period},{(n * 7 + i) % 1000}.25\\n"
             for n in range(count) for i, period in enumerate(periods))
    for _, line in zip(range(rows), lines):
        handle.write(line)
job.file.name = name
job.save()
print(org.pk, admin.pk, job.pk, flush=True)
"""

QUEUE = """
import sys, django
django.setup()
from portfolio import tasks
assert tasks.import_job_run.delay(job_id=int(sys.argv[1])) is not None
"""

# The import page's status box (what the page shows, and what it polls every second), and its
# "Try again" button, through the views themselves.
PAGE = """
import sys, django
django.setup()
from django.test import RequestFactory
from accounts.models import User
from portfolio import views
from portfolio.models import ImportJob
job = ImportJob.objects.select_related("organisation").get(pk=int(sys.argv[1]))
user = User.objects.get(pk=int(sys.argv[2]))
if sys.argv[3] == "retry":
    request = RequestFactory().post(f"{job.get_absolute_url()}retry/")
    request.user, request.organisation = user, job.organisation
    print(views.import_job_retry_view(request, public_id=job.public_id).status_code)
else:
    request = RequestFactory().get(job.get_absolute_url())
    request.user, request.organisation, request.htmx = user, job.organisation, True
    print(views.import_job_view(request, public_id=job.public_id).content.decode())
"""


def _python(code: str, env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def _worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(CELERY), "-A", "config", "worker", "--pool=solo", "-c", "1", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.kill()
    worker.wait(10)


def _counts(check, org: int, job: int) -> tuple[int, int, int]:
    """The organisation's values, those carrying the job's import as their source, and the job's sources."""
    values = check.execute(
        "SELECT count(*), count(*) FILTER (WHERE s.import_job_id = %s) FROM portfolio_measurement m "
        "LEFT JOIN portfolio_valuesource s ON s.id = m.source_id WHERE m.organisation_id = %s",
        [job, org],
    ).fetchone()
    sources = check.execute("SELECT count(*) FROM portfolio_valuesource WHERE import_job_id = %s", [job])
    return values[0], values[1], sources.fetchone()[0]


def test_a_worker_killed_mid_import_leaves_nothing_the_page_says_so_and_trying_again_imports_it_once(
    throwaway_postgres, lantern_db, throwaway_redis, tmp_path
):
    (tmp_path / "media").mkdir()
    (tmp_path / "fault_settings.py").write_text(SETTINGS.format(media=str(tmp_path / "media")))
    env = {
        **django_env(lantern_db, throwaway_redis.url),
        "DJANGO_SETTINGS_MODULE": "fault_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    org, admin, job = map(int, _python(SETUP, env, str(ROWS), ONS_CODE).split())
    dsn = lantern_db.replace("postgres://", "postgresql://")

    worker = _worker(env, tmp_path / "worker.log")
    try:
        _python(QUEUE, env, str(job))
        with psycopg.connect(dsn, autocommit=True) as watcher:
            deadline = time.monotonic() + 180
            writer = None
            while writer is None and time.monotonic() < deadline:
                writer = watcher.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = 'lantern' AND state = 'active' "
                    "AND query ILIKE '%%INSERT INTO portfolio_measurement%%' AND pid <> pg_backend_pid()"
                ).fetchone()
                if writer is None:
                    assert worker.poll() is None, (tmp_path / "worker.log").read_text()
                    time.sleep(0.02)
            if writer is None:
                pytest.fail("the worker never reached the write: " + (tmp_path / "worker.log").read_text())
            status = watcher.execute("SELECT status FROM portfolio_importjob WHERE id = %s", [job]).fetchone()[0]
            assert status == "running"
            # The live worker holds the job's run lock, so its page goes on saying "running".
            assert watcher.execute("SELECT pg_try_advisory_lock(%s, %s)", [RUN_LOCK, job]).fetchone()[0] is False
            os.kill(worker.pid, signal.SIGKILL)  # mid-statement: part of the file's values are written
            worker.wait(10)
            killed_at = time.monotonic()
            # PostgreSQL notices the worker has gone (client_connection_check_interval), ends the
            # statement, rolls its transaction back and lets the run lock go.
            while watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [writer[0]]).fetchone()[0]:
                assert time.monotonic() - killed_at < 60, "the killed worker's statement ran on"
                time.sleep(0.1)
            print(f"statement ended {time.monotonic() - killed_at:.1f}s after the kill")
            assert _counts(watcher, org, job) == (0, 0, 0), "nothing of the file was kept"
            status = watcher.execute("SELECT status FROM portfolio_importjob WHERE id = %s", [job]).fetchone()[0]
            assert status == "running"  # as the dead worker left it, until someone looks
    finally:
        _stop(worker)

    # The admin's page: interrupted, nothing imported, and a way to try again.
    page = _python(PAGE, env, str(job), str(admin), "show")
    assert "was interrupted" in page and "Nothing from the file was imported" in page
    assert ">Try again</button>" in page and "% done" not in page
    with psycopg.connect(dsn, autocommit=True) as check:
        assert check.execute("SELECT status FROM portfolio_importjob WHERE id = %s", [job]).fetchone()[0] == "failed"

    # Try again: a new worker imports every line of the kept file, once.
    assert _python(PAGE, env, str(job), str(admin), "retry") == "302"
    worker = _worker(env, tmp_path / "worker2.log")
    try:
        with psycopg.connect(dsn, autocommit=True) as check:
            deadline = time.monotonic() + 300
            while True:
                status, created = check.execute(
                    "SELECT status, created_count FROM portfolio_importjob WHERE id = %s", [job]
                ).fetchone()
                if status in ("done", "failed", "invalid"):
                    break
                assert time.monotonic() < deadline, "the retried import did not finish"
                assert worker.poll() is None, (tmp_path / "worker2.log").read_text()
                time.sleep(0.2)
            assert (status, created) == ("done", ROWS)
            # Each value created once, carrying the one record of the import that set it.
            assert _counts(check, org, job) == (ROWS, ROWS, 1)
            changes = check.execute("SELECT count(*) FROM portfolio_measurementchange").fetchone()[0]
            assert changes == 0, "a new value keeps no earlier figure"
    finally:
        _stop(worker)
    assert "Figures imported" in _python(PAGE, env, str(job), str(admin), "show")
    assert not list((tmp_path / "media" / "imports").iterdir()), "the imported file is not kept"

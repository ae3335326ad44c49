"""A Celery worker killed (SIGKILL) in the middle of a gap report leaves the previous report
current, never half of a new one; the run's page says it stopped, and the report can be run again.

A real worker on a throwaway Redis and PostgreSQL takes the job; the test holds a lock on the
report table so the worker is caught inside the report's transaction, kills it there, then lets go.
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

SETUP = """
import django
django.setup()
from accounts.models import Organisation
from portfolio import gaps
from portfolio.models import GapReport, GapReportJob
from portfolio import tasks
org = Organisation.objects.create(name="Killed Worker Council", kind="district")
gaps.gap_reports_build(organisation_ids=[org.pk])
previous = GapReport.objects.get(organisation=org, is_current=True)
job = GapReportJob.objects.create(organisation=org)
print(org.pk, previous.pk, job.pk, flush=True)
"""

QUEUE = """
import sys, django
django.setup()
from portfolio import tasks
assert tasks.gap_report_job_run.delay(job_id=int(sys.argv[1])) is not None
"""

# The run's status box, as the page shows it and polls it, through the view itself.
PAGE = """
import sys, django
django.setup()
from django.test import RequestFactory
from accounts.models import Membership, Role, User
from portfolio import views
from portfolio.models import GapReportJob
job = GapReportJob.objects.select_related("organisation").get(pk=int(sys.argv[1]))
request = RequestFactory().get(job.get_absolute_url())
request.user = User.objects.create_user(email="admin@killed-worker.example", full_name="Ada Admin")
Membership.objects.create(user=request.user, organisation=job.organisation, role=Role.ADMIN)
request.organisation, request.htmx = job.organisation, True
print(views.report_job_view(request, public_id=job.public_id).content.decode())
"""

# "Run the report again": a new run, taken to the end.
RERUN = """
import sys, django
django.setup()
from portfolio import services
from portfolio.models import GapReportJob
job = GapReportJob.objects.get(pk=int(sys.argv[1]))
again = GapReportJob.objects.create(organisation=job.organisation)
print(services.gap_report_job_run(job_id=again.pk).status)
"""


def _python(code: str, env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def test_a_worker_killed_mid_report_leaves_the_previous_report_and_the_job_can_be_rerun(
    throwaway_postgres, lantern_db, throwaway_redis, tmp_path
):
    env = django_env(lantern_db, throwaway_redis.url)
    org, previous, job = map(int, _python(SETUP, env).split())
    dsn = lantern_db.replace("postgres://", "postgresql://")
    with psycopg.connect(dsn) as blocker:
        blocker.execute("LOCK TABLE portfolio_gapreport IN ACCESS EXCLUSIVE MODE")  # held until rollback
        worker = subprocess.Popen(
            [str(CELERY), "-A", "config", "worker", "--pool=solo", "-c", "1", "--without-heartbeat",
             "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT, env=env, stdout=open(tmp_path / "worker.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115 - ends with the worker
        )  # fmt: skip
        try:
            _python(QUEUE, env, str(job))
            with psycopg.connect(dsn, autocommit=True) as watcher:
                for _ in range(600):
                    waiting = watcher.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'lantern'"
                    ).fetchone()[0]
                    if waiting:
                        break
                    time.sleep(0.1)
                else:
                    pytest.fail(
                        "the worker never reached the report's transaction: " + (tmp_path / "worker.log").read_text()
                    )
                status = watcher.execute("SELECT status FROM portfolio_gapreportjob WHERE id = %s", [job]).fetchone()[0]
                assert status == "running"
            os.kill(worker.pid, signal.SIGKILL)  # mid-transaction: the report's rows are half written
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
            blocker.rollback()

    with psycopg.connect(dsn, autocommit=True) as check:
        for _ in range(100):  # the killed session's backend ends once it has the lock and finds no client
            if not check.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'lantern' AND pid <> pg_backend_pid()"
            ).fetchone()[0]:
                break
            time.sleep(0.1)
        reports = check.execute(
            "SELECT id, is_current FROM portfolio_gapreport WHERE organisation_id = %s", [org]
        ).fetchall()
        assert reports == [(previous, True)], "the previous report is the only one, and current"

    # Nothing holds the run any more: its page says it stopped, and a new run replaces the report.
    page = _python(PAGE, env, str(job))
    assert "The report stopped before it finished" in page and "The previous report is still shown" in page
    assert _python(RERUN, env, str(job)) == "done"
    with psycopg.connect(dsn, autocommit=True) as check:
        current = check.execute(
            "SELECT id FROM portfolio_gapreport WHERE organisation_id = %s AND is_current", [org]
        ).fetchall()
        assert len(current) == 1 and current[0][0] != previous

"""The gap-report job on a real Celery worker, through Redis, against PostgreSQL.

Reuses the worker harness of tests/config/test_celery_worker.py, but points the worker at
this test run's database so that it sees the rows the test commits.
"""

import os
import signal
import subprocess
import uuid
from decimal import Decimal

import pytest
from celery import Celery
from django.db import connection

from portfolio.models import GapReport, GapReportJob, GapReportRow, Indicator, JobStatus
from tests.config.test_celery_worker import CELERY, IN_CI, ROOT, _forget_queue, _Worker
from tests.factories import OrganisationFactory
from tests.portfolio.conftest import measure

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(transactional_db, tmp_path):
    redis_url, database_url = os.environ.get("REDIS_URL", ""), os.environ.get("DATABASE_URL", "")
    if not (redis_url and database_url.startswith("postgres")):
        if IN_CI:
            pytest.fail("CI must run the gap-report worker test with REDIS_URL and a PostgreSQL DATABASE_URL")
        pytest.skip("Set REDIS_URL and a PostgreSQL DATABASE_URL to run the gap report on a real worker")
    db = connection.settings_dict
    test_database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"lantern-portfolio-test-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": test_database_url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [str(CELERY), "-A", "config", "worker", "--pool=solo", "-c", "1", "-Q", queue, "-n", f"{queue}@%h"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    client = Celery("lantern-portfolio-test-client", broker=redis_url, backend=redis_url)
    client.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])
    try:
        yield _Worker(process=process, queue=queue, client=client, outbox=tmp_path, log_path=log_path)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        _forget_queue(client, queue)
        client.close()


def test_a_worker_computes_the_gap_report_in_postgresql(worker):
    recycling = Indicator.objects.create(
        code="NI192", name="Recycling", unit="%", polarity=1, frequency="quarterly", service="waste"
    )
    council = OrganisationFactory()
    measure(council, recycling, "2025-Q1", 70)
    measure(council, recycling, "2025-Q2", 72, aspiration=80)
    # Five neighbours, the fewest that give a position: 60, 65, 72 (the council), 75, 80, 90 → 3/6.
    for value in (80, 60, 65, 75, 90):
        measure(OrganisationFactory(), recycling, "2025-Q2", value)

    assert worker.run("portfolio.tasks.gap_reports_compute", kwargs={"organisation_ids": None}, timeout=240) == 6

    row = GapReportRow.objects.get(report__organisation=council, report__is_current=True)
    assert (row.gap_pct, row.percentile, row.quartile, row.trend) == (Decimal("10.0"), Decimal("50.0"), 3, "improving")
    assert GapReport.objects.filter(is_current=True).count() == 6


def test_a_requested_run_reports_its_progress_as_done(worker):
    council = OrganisationFactory()
    job = GapReportJob.objects.create(organisation=council)
    worker.run("portfolio.tasks.gap_report_job_run", kwargs={"job_id": job.pk}, timeout=240)
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    assert GapReport.objects.filter(organisation=council, is_current=True).exists()

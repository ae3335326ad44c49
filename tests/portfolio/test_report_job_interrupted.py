"""A gap report run whose worker died part-way (killed, out of memory, its machine restarted): its
page says so, and that the previous report is still shown, instead of "running" for ever; a run
whose worker is alive still shows as running. tests/faults/test_worker_killed.py kills a real
worker in the middle of a report."""

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from portfolio import services
from portfolio.models import GapReport, GapReportJob, JobStatus

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker's run lock is PostgreSQL's"),
]


@pytest.fixture
def worker():
    """Another database session, standing for a live worker: it can hold a job's run lock."""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as session:
        yield session


def _running(personas) -> GapReportJob:
    return GapReportJob.objects.create(
        organisation=personas.council, requested_by=personas.members[Role.ADMIN].user, status=JobStatus.RUNNING
    )


def test_a_run_whose_worker_has_gone_says_so_and_offers_to_run_again(personas):
    job = _running(personas)
    page = personas.client_for(personas.members[Role.MANAGER]).get(job.get_absolute_url()).content.decode()
    assert "The report could not be updated" in page
    assert "The report stopped before it finished" in page
    assert "The previous report is still shown" in page
    assert f'action="{reverse("portfolio:report-compute")}"' in page and "Run the report again" in page
    assert 'hx-trigger="every 1s"' not in page  # it stops polling
    job.refresh_from_db()
    assert (job.status, job.failure) == (JobStatus.FAILED, services.GAP_REPORT_INTERRUPTED)
    # An officer may see the run, but not start another.
    officer_page = personas.client_for(personas.members[Role.OFFICER]).get(job.get_absolute_url()).content.decode()
    assert "The report stopped before it finished" in officer_page and "Run the report again" not in officer_page


def test_a_run_whose_worker_is_alive_still_shows_as_running(personas, worker):
    job = _running(personas)
    worker.execute("SELECT pg_advisory_lock(%s, %s)", [services.GAP_REPORT_RUN_LOCK, job.pk])
    page = personas.client_for(personas.members[Role.ADMIN]).get(job.get_absolute_url()).content.decode()
    assert "Updating the report" in page and 'hx-trigger="every 1s"' in page
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_a_run_delivered_twice_is_computed_by_one_worker_only(personas, worker):
    job = GapReportJob.objects.create(organisation=personas.council)
    worker.execute("SELECT pg_advisory_lock(%s, %s)", [services.GAP_REPORT_RUN_LOCK, job.pk])
    assert services.gap_report_job_run(job_id=job.pk).status == JobStatus.QUEUED
    assert not GapReport.objects.filter(organisation=personas.council).exists()
    worker.execute("SELECT pg_advisory_unlock(%s, %s)", [services.GAP_REPORT_RUN_LOCK, job.pk])
    assert services.gap_report_job_run(job_id=job.pk).status == JobStatus.DONE
    assert GapReport.objects.filter(organisation=personas.council, is_current=True).count() == 1

"""An export or committee pack whose worker died part-way (killed, out of memory, its machine
restarted): its page says it stopped, instead of "Preparing" for ever, and "Try again" prepares it
with the same choices, once. As for imports (tests/portfolio/test_import_interrupted.py), the one
runner (jobs.runner) notices it: a running job whose run lock nobody holds has lost its worker."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from reports import exports
from reports.models import ExportJob
from tests.exports.test_exports import risks  # noqa: F401 (fixture)
from tests.portfolio.test_report_job_interrupted import worker  # noqa: F401 (fixture)

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker's run lock is PostgreSQL's")


def _job(personas, *, status: str, failure: str = "", export: str = "risk-register", **fields) -> ExportJob:
    return ExportJob.objects.create(
        organisation=personas.council,
        requested_by=personas.members[Role.ADMIN].user,
        export=export,
        format=ExportJob.Format.CSV if export != "committee-pack" else ExportJob.Format.PDF,
        mode=ExportJob.Mode.BACKGROUND,
        status=status,
        failure=failure,
        progress=40,
        **fields,
    )


@postgresql_only
def test_an_export_whose_worker_died_shows_as_stopped_and_can_be_tried_again(
    personas,
    admin_client,
    risks,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    job = _job(personas, status=ExportJob.Status.RUNNING, row_count=3)
    page = admin_client.get(job.get_absolute_url()).content.decode()
    assert "The export was interrupted" in page and "because the server preparing it stopped" in page
    assert f'action="{reverse("reports:job-retry", args=[job.public_id])}"' in page and ">Try again</button>" in page
    assert 'hx-trigger="every 1s"' not in page  # it stops polling
    job.refresh_from_db()
    assert (job.status, job.failure) == (ExportJob.Status.FAILED, exports.EXPORT_INTERRUPTED)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("reports:job-retry", args=[job.public_id]))
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.failure, job.row_count) == (ExportJob.Status.DONE, "", 3)
    assert "Your export is ready" in admin_client.get(job.get_absolute_url()).content.decode()
    assert ExportJob.objects.count() == 1  # the same export, prepared again: no second audit row


@postgresql_only
def test_an_export_whose_worker_is_alive_still_shows_as_preparing(personas, admin_client, worker):  # noqa: F811
    job = _job(personas, status=ExportJob.Status.RUNNING)
    worker.execute("SELECT pg_advisory_lock(%s, %s)", [exports.EXPORT_RUN_LOCK, job.pk])
    page = admin_client.get(job.get_absolute_url()).content.decode()
    assert "Preparing: 40% done" in page and 'hx-trigger="every 1s"' in page
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING


@postgresql_only
def test_a_stopped_committee_pack_is_listed_as_failed_on_the_reports_page(personas, admin_client):
    job = _job(personas, status=ExportJob.Status.RUNNING, export="committee-pack")
    admin_client.get(reverse("reports:index"))
    job.refresh_from_db()
    assert (job.status, job.failure) == (ExportJob.Status.FAILED, exports.EXPORT_INTERRUPTED)


@pytest.mark.django_db
def test_an_interrupted_committee_pack_offers_to_prepare_it_again_with_the_same_choices(
    personas, admin_client, django_capture_on_commit_callbacks
):
    options = {"committee": "Overview and Scrutiny Committee", "meeting_date": "2026-03-12", "report_of": ""}
    job = _job(personas, status=ExportJob.Status.FAILED, failure=exports.EXPORT_INTERRUPTED, export="committee-pack")
    ExportJob.objects.filter(pk=job.pk).update(filters=options)
    page = admin_client.get(job.get_absolute_url()).content.decode()
    assert "The committee pack was interrupted" in page and ">Try again</button>" in page

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("reports:job-retry", args=[job.public_id]))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.filters == options
    assert "Your committee pack is ready" in admin_client.get(job.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_export_that_failed_for_another_reason_or_was_tried_again_is_not_started_twice(
    personas, admin_client, django_capture_on_commit_callbacks
):
    failed = _job(personas, status=ExportJob.Status.FAILED, failure=exports.EXPORT_FAILED)
    page = admin_client.get(failed.get_absolute_url()).content.decode()
    assert "could not be prepared" in page and ">Try again</button>" not in page
    with django_capture_on_commit_callbacks(execute=True) as queued:
        admin_client.post(reverse("reports:job-retry", args=[failed.public_id]))
    failed.refresh_from_db()
    assert (failed.status, queued) == (ExportJob.Status.FAILED, [])


@pytest.mark.django_db
def test_only_the_person_who_asked_may_try_an_interrupted_export_again(personas):
    job = _job(personas, status=ExportJob.Status.FAILED, failure=exports.EXPORT_INTERRUPTED)
    auditor = personas.client_for(personas.members[Role.AUDITOR])
    assert auditor.post(reverse("reports:job-retry", args=[job.public_id])).status_code == 404
    assert personas.client_for(personas.members[Role.OFFICER]).post(
        reverse("reports:job-retry", args=[job.public_id])
    ).status_code in (403, 404)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED

"""An import whose worker died part-way (killed, out of memory, its machine restarted): its page
says it was interrupted and that nothing was imported, and "Try again" imports the file it kept,
once. tests/faults/test_import_worker_killed.py kills a real worker in the middle of the write."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from portfolio import imports, services
from portfolio.models import ImportJob, JobStatus, Measurement, ValueSource

pytestmark = pytest.mark.django_db

ROWS = [
    ["ons_code", "indicator_code", "period", "value"],
    ["E07000001", "NI192", "2025-Q1", "71"],
    ["E07000001", "NI192", "2025-Q2", "72.5"],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # The kept files go to MEDIA_ROOT; tests must not leave them in the work tree.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def admin(personas, indicators):
    personas.council.ons_code = "E07000001"
    personas.council.save()
    return personas.client_for(personas.members[Role.ADMIN])


def _job(personas, *, status: str, failure: str = "", keep_file: bool = True) -> ImportJob:
    job = ImportJob(
        organisation=personas.council,
        uploaded_by=personas.members[Role.ADMIN].user,
        original_name="quarter figures.csv",
        status=status,
        failure=failure,
        progress=1,
    )
    if keep_file:
        job.file.save(f"{job.public_id}.csv", ContentFile(imports.csv_text(ROWS).encode()), save=False)
    job.save()
    return job


def _interrupted(personas) -> ImportJob:
    """As import_job_check_interrupted records an import whose worker has gone."""
    return _job(personas, status=JobStatus.FAILED, failure=services.INTERRUPTED)


def test_an_interrupted_import_says_nothing_was_imported_and_offers_to_try_again(personas, admin):
    job = _interrupted(personas)
    page = admin.get(job.get_absolute_url()).content.decode()
    assert "The import of quarter figures.csv was interrupted" in page
    assert "Nothing from the file was imported" in page
    assert f'action="{reverse("portfolio:import-retry", args=[job.public_id])}"' in page
    assert ">Try again</button>" in page
    assert "Failed" in admin.get(reverse("portfolio:import")).content.decode()  # in the list of imports


def test_trying_again_imports_the_kept_file_exactly_once(personas, admin, django_capture_on_commit_callbacks):
    job = _interrupted(personas)
    url = reverse("portfolio:import-retry", args=[job.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url)
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.created_count, job.failure) == (JobStatus.DONE, 2, "")
    assert not job.file  # imported, so no longer kept
    assert sorted(Measurement.objects.values_list("period", flat=True)) == ["2025-Q1", "2025-Q2"]
    assert set(Measurement.objects.values_list("source__import_job", flat=True)) == {job.pk}
    assert "Figures imported" in admin.get(job.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url).status_code == 302  # pressed again: nothing more happens
    assert Measurement.objects.count() == 2 and ValueSource.objects.count() == 1


@pytest.mark.parametrize(
    "status,failure,keep_file",
    [
        (JobStatus.DONE, "", False),
        (JobStatus.INVALID, "", False),
        (JobStatus.FAILED, "Something went wrong while importing. Nothing was imported.", False),
        (JobStatus.FAILED, services.INTERRUPTED, False),  # interrupted, but its file has gone
        (JobStatus.RUNNING, "", True),
        (JobStatus.QUEUED, "", True),
    ],
)
def test_only_an_interrupted_import_with_its_file_can_be_tried_again(
    personas, admin, django_capture_on_commit_callbacks, status, failure, keep_file
):
    job = _job(personas, status=status, failure=failure, keep_file=keep_file)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert admin.post(reverse("portfolio:import-retry", args=[job.public_id])).status_code == 302
    assert not callbacks
    job.refresh_from_db()
    assert (job.status, job.failure) == (status, failure)
    assert not Measurement.objects.exists()
    if status != JobStatus.RUNNING:  # opening a running one whose worker has gone is the last test's case
        assert ">Try again</button>" not in admin.get(job.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_admins_may_try_an_import_again(personas, admin, role):
    job = _interrupted(personas)
    client = personas.client_for(personas.members[role])
    assert client.post(reverse("portfolio:import-retry", args=[job.public_id])).status_code == 403
    assert admin.get(reverse("portfolio:import-retry", args=[job.public_id])).status_code == 405
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_a_task_delivered_again_for_an_interrupted_import_imports_nothing(personas, admin):
    # With late acknowledgement the broker may hand the killed worker's task to another worker
    # later: the admin decides whether to try again, so it must not import behind their back.
    job = _interrupted(personas)
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.failure) == (JobStatus.FAILED, services.INTERRUPTED)
    assert not Measurement.objects.exists()


def test_a_running_import_whose_worker_has_gone_is_recorded_as_interrupted(personas, admin):
    job = _job(personas, status=JobStatus.RUNNING)
    page = admin.get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    if connection.vendor == "postgresql":
        # No session holds the job's run lock: whoever ran it is gone.
        assert (job.status, job.failure) == (JobStatus.FAILED, services.INTERRUPTED)
        assert job.finished_at is not None
        assert "was interrupted" in page and ">Try again</button>" in page
    else:
        # Without PostgreSQL, tasks run in the process that asked for them: there is no
        # separate worker to lose, so a running import is left running.
        assert job.status == JobStatus.RUNNING
        assert "% done" in page


def test_an_interrupted_imports_file_is_deleted_after_a_week_and_the_page_says_to_upload_it_again(personas, admin):
    from datetime import timedelta

    from django.utils import timezone

    from portfolio import tasks

    now = timezone.now()
    stale, fresh = _interrupted(personas), _interrupted(personas)
    ImportJob.objects.filter(pk=stale.pk).update(finished_at=now - timedelta(days=8))
    ImportJob.objects.filter(pk=fresh.pk).update(finished_at=now - timedelta(days=6))
    stale_path = Path(stale.file.path)
    assert stale_path.exists()
    assert "kept for 7 days" in admin.get(stale.get_absolute_url()).content.decode()

    assert tasks.interrupted_import_files_delete.delay().get() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert not stale_path.exists() and not stale.file
    assert (stale.status, stale.failure) == (JobStatus.FAILED, services.INTERRUPTED_FILE_DELETED)
    assert fresh.file and Path(fresh.file.path).exists() and fresh.failure == services.INTERRUPTED
    page = admin.get(stale.get_absolute_url()).content.decode()
    assert "has now been deleted: upload it again to import it" in page and ">Try again</button>" not in page
    assert admin.post(reverse("portfolio:import-retry", args=[stale.public_id])).status_code == 302
    stale.refresh_from_db()
    assert stale.status == JobStatus.FAILED and not Measurement.objects.exists()
    assert services.interrupted_import_files_delete() == 0  # run again: nothing more to do

"""The one runner of background jobs (jobs.runner): every kind of job is a jobs.models.Job and
registered with it, and what it does for one kind it does for all: kept files expire."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from jobs import runner
from jobs.models import Job
from reports import tasks as reports_tasks
from reports.models import ExportJob


def test_every_background_job_is_a_job_of_the_one_runner():
    job_models = {model for model in apps.get_models() if issubclass(model, Job)}
    assert {model.__name__ for model in job_models} >= {"ImportJob", "GapReportJob", "ExportJob"}
    assert job_models == set(runner.JOB_KINDS)
    assert len({kind.lock for kind in runner.JOB_KINDS.values()}) == len(runner.JOB_KINDS), "one run lock per kind"


def test_two_kinds_may_not_share_a_run_lock():
    kind = runner.JOB_KINDS[ExportJob]
    with pytest.raises(ValueError, match="share the run lock"):
        runner.job_kind_register(model=type("Other", (), {}), task=kind.task, lock=kind.lock, interrupted="", failed="")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_a_background_exports_file_is_deleted_after_a_week_and_its_page_says_it_expired(personas):
    admin = personas.members[Role.ADMIN]

    def made(days_ago: int) -> ExportJob:
        job = ExportJob(
            organisation=personas.council,
            requested_by=admin.user,
            export="risk-register",
            format="csv",
            mode=ExportJob.Mode.BACKGROUND,
            status=ExportJob.Status.DONE,
            row_count=1,
            finished_at=timezone.now() - timedelta(days=days_ago),
        )
        job.file.save(f"{job.public_id}.csv", ContentFile(b"title\r\nA risk\r\n"), save=False)
        job.save()
        return job

    stale, fresh = made(8), made(6)
    stale_path = Path(stale.file.path)

    assert reports_tasks.export_files_expire.delay().get() == 1  # the beat task, by its registered name

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert not stale_path.exists() and not stale.file and stale.status == ExportJob.Status.DONE
    assert fresh.file and Path(fresh.file.path).exists()
    page = personas.client_for(admin).get(stale.get_absolute_url()).content.decode()
    assert "This export has expired" in page
    assert reports_tasks.export_files_expire.delay().get() == 0  # run again: nothing more to do


@pytest.mark.django_db
def test_a_job_that_waited_for_the_queue_no_longer_says_so_once_a_worker_runs_it(personas):
    # The worker may load the row before job_queue has cleared the note: it must not save it back.
    from portfolio import services
    from portfolio.models import GapReportJob

    job = GapReportJob.objects.create(organisation=personas.council, failure=runner.NOT_QUEUED)
    job = services.gap_report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.failure) == ("done", "")

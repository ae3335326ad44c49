"""An export or a committee pack asked for while Redis (the job queue) is down waits, says so,
and is queued and prepared once Redis is back, as imports and gap report runs are: every kind
of background job is queued and requeued the same way (jobs.runner.JOB_KINDS)."""

import pytest
from celery.contrib.django.task import DjangoTask
from django.apps import apps
from kombu.exceptions import OperationalError

from jobs import runner, tasks
from reports.models import ExportJob
from tests.exports.test_committee_pack import ask
from tests.exports.test_exports import risks, take  # noqa: F401 (fixture)


@pytest.fixture
def redis_down(monkeypatch):
    """Every task's queuing fails as it does with Redis unreachable; `redis_down.undo()` brings it back."""

    def unreachable(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(DjangoTask, "apply_async", unreachable)
    return monkeypatch


def _requeue_once_redis_is_back(redis_down) -> int:
    redis_down.undo()
    return tasks.jobs_requeue.apply(kwargs={"older_than_seconds": 0}).get()


def test_an_export_asked_for_while_redis_is_down_is_prepared_once_it_is_back(
    admin_client,
    risks,  # noqa: F811
    redis_down,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = take(admin_client, "risk-register", "csv", mode="background")
    job = ExportJob.objects.get()
    page = admin_client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and "the job queue is unavailable" in page
    assert job.status == ExportJob.Status.QUEUED

    assert _requeue_once_redis_is_back(redis_down) == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.failure == ""
    assert "Your export is ready" in admin_client.get(job.get_absolute_url()).content.decode()


def test_a_committee_pack_asked_for_while_redis_is_down_is_prepared_once_it_is_back(
    admin_client, redis_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(admin_client)
    job = ExportJob.objects.get(export="committee-pack")
    assert job.status == ExportJob.Status.QUEUED and job.failure == runner.NOT_QUEUED

    assert _requeue_once_redis_is_back(redis_down) == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert "Your committee pack is ready" in admin_client.get(job.get_absolute_url()).content.decode()


def test_every_model_of_a_background_job_is_a_registered_job_kind():
    job_models = {
        model
        for model in apps.get_models()
        if {"status", "failure", "progress", "created_at"} <= {field.name for field in model._meta.fields}
    }
    assert len(job_models) >= 3
    assert job_models <= set(runner.JOB_KINDS), "register the job's model with runner.job_kind_register"

"""With Redis (the cache and the Celery broker) stopped, the site keeps serving and saving,
and a job that could not be queued waits as queued and is queued again once Redis is back."""

import pytest
from django.urls import reverse

from config.celery import app
from portfolio.models import GapReportJob, JobStatus

pytestmark = [pytest.mark.faults, pytest.mark.services]


@pytest.fixture
def broker_at(settings):
    """Points the cache and Celery's broker at a Redis of the test's own, tasks really queued."""
    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)

    def point(redis):
        settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": redis.url}}
        # As production has it with Redis: sessions and signed-in people read from there first.
        settings.SESSION_ENGINE = "accounts.sessions"
        settings.PEOPLE_IN_CACHE = True
        app.conf.broker_url, app.conf.result_backend = redis.url, redis.url
        app.conf.task_always_eager = False
        app.conf.broker_connection_timeout = 1
        app._pool = None
        app.amqp._producer_pool = None
        return redis

    yield point
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None


def _queued_messages(redis) -> int:
    import redis as redis_client

    return redis_client.Redis.from_url(redis.url).llen("celery")


def test_with_redis_stopped_pages_still_show_and_a_gap_report_request_is_saved_and_queued_later(
    transactional_db, personas, throwaway_redis, broker_at
):
    redis = broker_at(throwaway_redis)
    admin = personas.client_for(personas.members["admin"])
    officer = personas.client_for(personas.members["officer"])

    # Redis up: the request is queued for a worker.
    response = admin.post(reverse("portfolio:report-compute"))
    assert response.status_code == 302
    assert _queued_messages(redis) == 1

    for client in (admin, officer):  # signed in from Redis alone
        assert "Sign out" in client.get(reverse("accessibility")).content.decode()
    redis.stop()
    for client in (admin, officer):  # and from PostgreSQL now
        assert "Sign out" in client.get(reverse("accessibility")).content.decode()
    for client, name in [(officer, "home"), (officer, "innovation:idea-list"), (admin, "portfolio:report")]:
        assert client.get(reverse(name)).status_code == 200, name

    # Saving still works: an idea is logged, and the gap report request is recorded.
    response = officer.post(
        reverse("innovation:idea-create"),
        {"title": "Saved while Redis is down", "problem": "Potholes", "proposal": "Fix them", "source": "staff"},
    )
    assert response.status_code < 500
    response = admin.post(reverse("portfolio:report-compute"))
    assert response.status_code == 302, response.status_code
    job = GapReportJob.objects.latest("created_at")
    assert job.status == JobStatus.QUEUED
    page = admin.get(response["Location"])
    assert page.status_code == 200
    assert "the job queue is unavailable" in page.content.decode()
    assert job.failure  # recorded as not queued

    # Redis back: the waiting job is queued again by the retry job (run by beat).
    redis.start()
    app._pool = None
    app.amqp._producer_pool = None
    from jobs import tasks

    tasks.jobs_requeue.apply(kwargs={"older_than_seconds": 0})
    assert _queued_messages(redis) >= 1
    job.refresh_from_db()
    assert job.failure == "" and job.status == JobStatus.QUEUED

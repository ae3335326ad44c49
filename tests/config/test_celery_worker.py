"""A real Celery worker, started as operators start it, takes tasks from Redis.

Everywhere else tests run tasks eagerly; this is the one place that proves the broker,
the JSON serialiser, task discovery and the worker's Django set-up work together. The
worker listens on a queue of its own, so parallel runs on the same Redis never take
each other's tasks.
"""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeoutError

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if IN_CI:
            pytest.fail("REDIS_URL is not set: CI must run the Celery worker test against Redis", pytrace=False)
        pytest.skip("Set REDIS_URL (for example redis://127.0.0.1:6379/0) to run a real Celery worker")
    return url


@pytest.fixture(scope="module")
def worker(redis_url, tmp_path_factory):
    """A worker process on a queue of its own, ended however the tests finish."""
    queue = f"lantern-test-{uuid.uuid4().hex}"
    outbox = tmp_path_factory.mktemp("outbox")
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"filemail:///{outbox}",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [
        str(CELERY),
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "-c",
        "1",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    # Not the current app: shared tasks (accounts.tasks.send_email…) resolve to the current app
    # of the thread that calls them, and later tests in this process must keep queuing to
    # Lantern's own app, which runs them in process, not to this client's Redis queue.
    client = Celery("lantern-test-client", broker=redis_url, backend=redis_url, set_as_current=False)
    client.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])
    try:
        yield _Worker(process=process, queue=queue, client=client, outbox=outbox, log_path=log_path)
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


class _Worker:
    def __init__(self, *, process, queue, client, outbox, log_path):
        self.process = process
        self.queue = queue
        self.client = client
        self.outbox = outbox
        self.log_path = log_path

    def run(self, task_name: str, *, kwargs: dict | None = None, timeout: float = 60):
        """Sends a task by name to this worker's queue and waits for its result."""
        result = self.client.send_task(task_name, kwargs=kwargs or {}, queue=self.queue)
        try:
            return result.get(timeout=timeout)
        except Exception:
            state = "exited" if self.process.poll() is not None else "still running"
            print(f"The worker is {state}. Its log:\n{self.log_path.read_text()}")
            raise
        finally:
            result.forget()


def _forget_queue(client: Celery, queue: str) -> None:
    # Kombu remembers each queue's binding in Redis; leave nothing of this run behind.
    with client.connection_for_write() as connection:
        redis = connection.default_channel.client
        for key in redis.scan_iter(f"*{queue}*"):
            redis.delete(key)
        for key in redis.scan_iter("_kombu.binding.*"):
            for member in redis.smembers(key):
                if queue.encode() in member:
                    redis.srem(key, member)


def test_a_worker_answers_the_ping_task(worker):
    assert worker.run("lantern.ping") == "pong"


def test_a_worker_sends_an_email_through_the_send_email_task(worker):
    subject = f"Worker test {uuid.uuid4().hex}"

    result = worker.run(
        "accounts.tasks.send_email",
        kwargs={"to": ["someone@council.example"], "subject": subject, "body": "Sent by a real worker."},
    )

    assert result is None
    sent = [path.read_text() for path in worker.outbox.iterdir()]
    assert len(sent) == 1
    assert f"Subject: {subject}" in sent[0]
    assert "To: someone@council.example" in sent[0]
    assert "Sent by a real worker." in sent[0]


def test_a_worker_refuses_a_pickled_task(worker):
    """Celery accepts JSON only, so a pickle payload (which could run code) is never executed."""
    client = worker.client
    with client.connection_for_write() as connection, connection.Producer() as producer:
        producer.publish(
            {"args": [], "kwargs": {}},
            serializer="pickle",
            routing_key=worker.queue,
            headers={"task": "lantern.ping", "id": str(uuid.uuid4()), "lang": "py"},
        )
    # The worker discards the message it may not decode, and goes on answering.
    assert worker.run("lantern.ping") == "pong"
    assert "pickle" in worker.log_path.read_text().lower()


def test_the_ping_goes_unanswered_when_no_worker_takes_its_queue(redis_url):
    """The ping is a check that can fail: with no worker on the queue, asking times out rather than
    answering "pong" (from a cached result, an eager run in process, or anything else)."""
    queue = f"lantern-test-nobody-{uuid.uuid4().hex}"
    client = Celery("lantern-test-client", broker=redis_url, backend=redis_url, set_as_current=False)
    client.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])
    try:
        result = client.send_task("lantern.ping", queue=queue)
        with pytest.raises(CeleryTimeoutError):
            result.get(timeout=3)
        assert result.state == "PENDING"
        result.forget()
    finally:
        _forget_queue(client, queue)
        client.close()

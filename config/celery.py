"""The Celery application. Redis is the broker when REDIS_URL is set; without it,
settings make every task run eagerly in the calling process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("lantern")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="lantern.ping")
def ping() -> str:
    """Answers 'pong': lets operators and tests check that a worker is taking tasks."""
    return "pong"

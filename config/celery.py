"""The Celery application. Redis is the broker when REDIS_URL is set; without it,
settings make every task run eagerly in the calling process."""

import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
logger = logging.getLogger(__name__)


class LanternTask(DjangoTask):
    """A task whose queuing never breaks the request that asked for it.

    With Redis down, `.delay()` raised after the request's transaction had committed, so a saved
    change answered with an error page. Now the failure is logged and `None` returned; the job
    rows that asked for the work stay queued, and jobs.tasks.jobs_requeue (beat) queues them
    again once Redis is back, whatever their kind (jobs.runner.JOB_KINDS). A task
    with `run_here_when_not_queued` (the emails) runs in the calling process instead.

    It derives from Celery's DjangoTask, which a custom task class would otherwise replace, so
    that services keep `delay_on_commit` (queue only once their transaction has committed)."""

    run_here_when_not_queued = False

    def apply_async(self, args=None, kwargs=None, **options):
        try:
            return super().apply_async(args, kwargs, **options)
        except (OperationalError, RedisConnectionError, OSError) as error:
            logger.error("Task %s could not be queued (%s)", self.name, error)
            if self.run_here_when_not_queued:
                return self.apply(args, kwargs)
            return None


app = Celery("lantern", task_cls=LanternTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="lantern.ping")
def ping() -> str:
    """Answers 'pong': lets operators and tests check that a worker is taking tasks."""
    return "pong"

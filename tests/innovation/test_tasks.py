"""Celery entry points and their beat schedule."""

import datetime

import pytest
from django.conf import settings
from django.core import mail

from innovation import services, tasks

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_overdue_milestones_daily_and_both_digests():
    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "innovation.tasks.notify_overdue_milestones" in schedule
    # The digests are every app's now (accounts.notices); innovation.tasks.send_digests stays registered.
    digests = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "accounts.tasks.digest_send"]
    assert sorted(e["args"][0] for e in digests) == ["daily", "weekly"]


def test_the_overdue_task_emails_the_owner(advance, manager, risk_ready, django_capture_on_commit_callbacks):
    project = advance("implementation")
    services.milestone_add(actor=manager, project=project, title="Late one", due_date=datetime.date(2021, 3, 1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_overdue_milestones.delay().get() == 1
    assert mail.outbox[0].to == [manager.email] and "1 March 2021" in mail.outbox[0].body


def test_the_weekly_digest_task_sends_nothing_when_nobody_has_anything_waiting():
    assert tasks.send_digests.delay("weekly").get() == 0
    assert mail.outbox == []

from celery.schedules import crontab
from django.conf import settings

from config.celery import app
from risk import tasks


def test_overdue_review_emails_are_scheduled_weekly():
    entry = settings.CELERY_BEAT_SCHEDULE["risk-weekly-overdue-reviews"]
    assert entry["task"] == tasks.remind_overdue_reviews.name == "risk.tasks.remind_overdue_reviews"
    assert entry["schedule"] == crontab(day_of_week="mon", hour=7, minute=0)
    assert entry["task"] in app.tasks

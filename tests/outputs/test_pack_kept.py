"""A committee pack can be downloaded until at least a week after the meeting it was made for."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reports import exports
from reports.models import ExportJob


def _pack(personas, *, meeting: datetime.date, finished: datetime.datetime) -> ExportJob:
    admin = personas.members[Role.ADMIN].user
    job = exports.committee_pack_request(
        user=admin, organisation=personas.council, committee="Cabinet", meeting_date=meeting
    )
    job.status, job.finished_at = ExportJob.Status.DONE, finished
    job.file.save("pack.pdf", ContentFile(b"%PDF-1.4 pack"), save=False)
    job.save()
    return job


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_pack_made_a_month_before_its_meeting_downloads_until_a_week_after_it(personas, media):
    now = timezone.now()
    meeting = timezone.localdate() + datetime.timedelta(days=30)
    job = _pack(personas, meeting=meeting, finished=now)
    last_evening = timezone.make_aware(
        datetime.datetime.combine(meeting + datetime.timedelta(days=7), datetime.time(23))
    )

    assert job.expires_at >= last_evening
    # The nightly clean-up, run on the evening a week after the meeting, leaves the file alone.
    assert exports.jobs_expired_delete(now=last_evening) == 0
    job.refresh_from_db()
    assert job.file
    response = personas.client_for(personas.members[Role.ADMIN]).get(
        reverse("reports:job-download", kwargs={"public_id": job.public_id})
    )
    assert response.status_code == 200


def test_pack_is_deleted_once_a_week_after_its_meeting_has_passed(personas, media):
    meeting = timezone.localdate() + datetime.timedelta(days=30)
    job = _pack(personas, meeting=meeting, finished=timezone.now())
    later = timezone.make_aware(datetime.datetime.combine(meeting + datetime.timedelta(days=9), datetime.time(1)))

    assert exports.jobs_expired_delete(now=later) == 1
    job.refresh_from_db()
    assert not job.file


def test_pack_for_a_meeting_already_past_is_still_kept_a_week_from_when_it_was_made(personas, media):
    finished = timezone.now()
    job = _pack(personas, meeting=timezone.localdate() - datetime.timedelta(days=20), finished=finished)

    assert job.expires_at == finished + datetime.timedelta(days=7)

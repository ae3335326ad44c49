"""The gap report recompute after an import, and the nightly one, are jobs like any other: each
has a GapReportJob row (so it runs once, however often its message is delivered, and a worker
dying in it is noticed), not a bare task."""

import pytest

from portfolio import gaps, services, tasks
from portfolio.models import GapReport, GapReportJob, JobStatus
from tests.factories import OrganisationFactory
from tests.portfolio.test_imports import HEADER, places, run, write  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """The organisations of every gap report build, in order."""
    calls = []
    build = gaps.gap_reports_build

    def counted(*, organisation_ids=None):
        calls.append(organisation_ids)
        return build(organisation_ids=organisation_ids)

    monkeypatch.setattr(gaps, "gap_reports_build", counted)
    return calls


def test_the_recompute_after_an_import_is_a_job_that_runs_once_when_delivered_twice(
    tmp_path,
    places,  # noqa: F811
    personas,
    builds,
    django_capture_on_commit_callbacks,
):
    admin = personas.members["admin"].user
    path = write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", "45.5"]])
    with django_capture_on_commit_callbacks(execute=True):
        assert run(path, places["own"], admin).created == 1

    job = GapReportJob.objects.get()
    assert (job.organisation, job.requested_by, job.status) == (places["own"], admin, JobStatus.DONE)
    assert builds == [[places["own"].pk]]
    assert GapReport.objects.filter(organisation=places["own"], is_current=True).count() == 1

    # The same message delivered again (Redis redelivers what a worker took but never acknowledged).
    tasks.gap_report_job_run.delay(job_id=job.pk)
    assert builds == [[places["own"].pk]], "the report was not built a second time"
    assert GapReportJob.objects.get().status == JobStatus.DONE


def test_an_import_of_several_organisations_figures_recomputes_them_in_one_job(
    tmp_path,
    places,  # noqa: F811
    builds,
    django_capture_on_commit_callbacks,
):
    path = write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", "45.5"], ["E07000002", "NI192", "2025-Q1", "50"]])
    with django_capture_on_commit_callbacks(execute=True):
        run(path, places["network"])  # a sector body may import anyone's figures

    job = GapReportJob.objects.get()
    expected = sorted([places["own"].pk, places["neighbour"].pk])
    assert (job.organisation, job.organisation_ids, job.status, job.report_count) == (None, expected, "done", 2)
    assert builds == [expected]
    # A run across organisations belongs to none: no organisation's pages can reach it.
    assert not GapReportJob.objects.for_organisation(places["own"]).exists()


def test_the_nightly_recompute_is_one_job_for_the_whole_sector(personas, builds):
    OrganisationFactory()
    assert tasks.gap_reports_compute_all.delay().get() == 3

    job = GapReportJob.objects.get()
    assert (job.organisation, job.organisation_ids, job.status, job.report_count) == (None, None, "done", 3)
    assert builds == [None]


def test_a_recompute_queued_under_the_old_task_name_still_runs_as_a_job(personas, builds):
    assert tasks.gap_reports_compute.delay(organisation_ids=[personas.council.pk]).get() == 1
    job = GapReportJob.objects.get()
    assert (job.organisation, job.status) == (personas.council, JobStatus.DONE)


def test_a_recompute_that_fails_says_the_previous_report_is_still_shown(personas, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(gaps, "gap_reports_build", broken)
    job = services.gap_report_job_run_now(organisation_ids=[personas.council.pk])
    assert (job.status, job.failure, job.progress) == (JobStatus.FAILED, services.GAP_REPORT_FAILED, 100)
    assert job.finished_at is not None

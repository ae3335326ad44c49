"""Scheduled reports: an admin has an export emailed every month; the daily run sends each one once
a month, on its day, with the file attached, while the admin who set it up is still an admin."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from reports import schedules, tasks
from reports.models import ExportJob, ScheduledReport
from tests.factories import MembershipFactory, ProjectFactory

LONDON = ZoneInfo("Europe/London")
SET_UP = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
RECIPIENTS = "finance.team@ashby.example\nChief.Executive@ashby.example"


def at(day: int, month: int = 12, hour: int = 6, minute: int = 15, year: int = 2026):
    """The clock at a morning's beat run (6.15am, London)."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON), tick=False)


@pytest.fixture
def admin_client(personas):
    return personas.client_for(personas.members[Role.ADMIN])


@pytest.fixture
def risks(make_risk, personas):
    make_risk(title="Budget overspend", category="financial", inherent_likelihood=5, inherent_impact=5)
    make_risk(title="=SUM(A1) costs", category="financial")
    make_risk(title="Supplier cannot deliver on time", category="delivery")


def set_up(client, name="risk-register", **data):
    values = {"format": "csv", "recipients": RECIPIENTS, "day_of_month": "5", **data}
    return client.post(reverse("reports:export-schedule", args=[name]), values)


def schedule_for(personas, **fields) -> ScheduledReport:
    values = {
        "organisation": personas.council,
        "created_by": personas.members[Role.ADMIN].user,
        "export": "risk-register",
        "format": "csv",
        "filters": {"category": ["financial"]},
        "recipients": ["finance.team@ashby.example", "chief.executive@ashby.example"],
        "day_of_month": 5,
        "created_at": SET_UP,
    }
    values.update(fields)
    return ScheduledReport.objects.create(**values)


def run(django_capture_on_commit_callbacks) -> int:
    """The daily beat run, with the sending it queues once committed."""
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.scheduled_reports_send_due.delay().get()


# ---------------------------------------------------------------- setting one up


def test_an_admin_sets_up_a_monthly_export_with_the_pages_filter(admin_client, personas, risks):
    page = admin_client.get(reverse("reports:export", args=["risk-register"]), {"category": "financial"})
    assert "Email this export every month, with this filter" in page.content.decode()
    assert f"{reverse('reports:export-schedule', args=['risk-register'])}?category=financial" in page.content.decode()
    form = admin_client.get(reverse("reports:export-schedule", args=["risk-register"]), {"category": "financial"})
    assert 'name="category" value="financial"' in form.content.decode()

    response = set_up(admin_client, category="financial", page="2")
    assert response.status_code == 302 and response["Location"] == reverse("reports:schedules")
    schedule = ScheduledReport.objects.get()
    assert schedule.organisation == personas.council
    assert schedule.created_by == personas.members[Role.ADMIN].user
    assert (schedule.export, schedule.format, schedule.day_of_month) == ("risk-register", "csv", 5)
    assert schedule.filters == {"category": ["financial"]}
    assert schedule.recipients == ["finance.team@ashby.example", "Chief.Executive@ashby.example"]
    listing = admin_client.get(reverse("reports:schedules")).content.decode()
    assert "Risk register" in listing and "finance.team@ashby.example" in listing and "Day 5 of each month" in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"recipients": ""}, "Enter at least one email address"),
        ({"recipients": " \n , "}, "Enter at least one email address"),
        ({"recipients": "finance.team@ashby.example\nnot-an-address"}, "“not-an-address” is not an email address"),
        ({"recipients": "a@b"}, "is not an email address"),
        ({"recipients": "x@ashby.example\r\nBcc: evil@evil.example"}, "is not an email address"),
        ({"recipients": "\n".join(f"p{n}@ashby.example" for n in range(21))}, "Enter at most 20 email addresses"),
        ({"day_of_month": "0"}, "between 1 and 28"),
        ({"day_of_month": "29"}, "between 1 and 28"),
        ({"day_of_month": "first"}, "Enter the day of the month as a number"),
        ({"format": "exe"}, "Select CSV, Excel (XLSX) or PDF"),
        ({"category": "not-a-category"}, "The filter is not one the export page accepts"),
    ],
)
def test_bad_input_is_refused_with_an_error_summary_and_nothing_saved(admin_client, data, message):
    response = set_up(admin_client, **data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and message in body
    assert not ScheduledReport.objects.exists()


def test_twenty_recipients_repeated_in_another_case_are_accepted_once_each(admin_client):
    addresses = [f"p{n}@ashby.example" for n in range(20)]
    response = set_up(admin_client, recipients="\n".join(addresses + [a.upper() for a in addresses]))
    assert response.status_code == 302
    assert ScheduledReport.objects.get().recipients == addresses


def test_an_unknown_export_cannot_be_scheduled(admin_client):
    assert set_up(admin_client, name="nothing").status_code == 404


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_admins_set_up_see_or_delete_schedules(personas, role):
    schedule = schedule_for(personas)
    client = personas.client_for(personas.members[role])
    assert client.get(reverse("reports:schedules")).status_code == 403
    assert client.get(reverse("reports:export-schedule", args=["risk-register"])).status_code == 403
    assert set_up(client).status_code == 403
    assert client.post(reverse("reports:schedule-delete", args=[schedule.pk])).status_code == 403
    assert ScheduledReport.objects.count() == 1


def test_another_councils_admin_neither_sees_nor_deletes_a_schedule(personas):
    schedule = schedule_for(personas)
    other_admin = personas.client_for(MembershipFactory(organisation=personas.other_council, role=Role.ADMIN))
    assert "finance.team@ashby.example" not in other_admin.get(reverse("reports:schedules")).content.decode()
    assert other_admin.post(reverse("reports:schedule-delete", args=[schedule.pk])).status_code == 404
    assert ScheduledReport.objects.filter(pk=schedule.pk).exists()


def test_any_admin_of_the_council_deletes_a_schedule_by_post_only(personas):
    schedule = schedule_for(personas)
    another_admin = personas.client_for(MembershipFactory(organisation=personas.council, role=Role.ADMIN))
    url = reverse("reports:schedule-delete", args=[schedule.pk])
    assert another_admin.get(url).status_code == 405
    response = another_admin.post(url)
    assert response.status_code == 302
    assert not ScheduledReport.objects.exists()


def test_deleting_needs_the_csrf_token(personas):
    schedule = schedule_for(personas)
    client = Client(enforce_csrf_checks=True)
    client.cookies = personas.client_for(personas.members[Role.ADMIN]).cookies
    assert client.post(reverse("reports:schedule-delete", args=[schedule.pk])).status_code == 403
    assert ScheduledReport.objects.exists()


def test_an_organisation_keeps_at_most_its_limit_of_schedules(admin_client, personas, settings):
    settings.SCHEDULED_REPORTS_PER_ORGANISATION = 1
    schedule_for(personas)
    response = set_up(admin_client)
    assert "already has 1 scheduled reports" in response.content.decode()
    assert ScheduledReport.objects.count() == 1


# ---------------------------------------------------------------- sending


def test_the_daily_run_is_in_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-send-scheduled-reports"]
    assert entry["task"] == "config.tasks.scheduled_reports_send_due"
    assert entry["schedule"].hour == {6} and entry["schedule"].day_of_month == set(range(1, 32))


def test_a_due_schedule_is_emailed_with_the_filtered_export_attached(
    personas, risks, mailoutbox, django_capture_on_commit_callbacks
):
    schedule_for(personas)
    with at(5):
        assert run(django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["finance.team@ashby.example", "chief.executive@ashby.example"]
    assert email.subject == "Risk register for Ashby Vale District Council, December 2026"
    assert "Filter: category: financial" in email.body and "Rows: 2" in email.body
    ((filename, content, mimetype),) = email.attachments
    assert filename.startswith("lantern-risk-register-") and filename.endswith(".csv")
    assert mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig") if isinstance(content, bytes) else content)))
    assert {row[1] for row in rows[1:]} == {"Budget overspend", "'=SUM(A1) costs"}
    job = ExportJob.objects.get()
    assert (job.mode, job.status, job.row_count) == ("scheduled", "done", 2)
    assert job.requested_by == personas.members[Role.ADMIN].user
    schedule = ScheduledReport.objects.get()
    assert schedule.last_sent_period == "2026-12"


def test_an_xlsx_schedule_attaches_a_workbook_with_no_live_formula(
    personas, risks, mailoutbox, django_capture_on_commit_callbacks
):
    schedule_for(personas, format="xlsx")
    with at(6):
        run(django_capture_on_commit_callbacks)
    ((filename, content, mimetype),) = mailoutbox[0].attachments
    assert filename.endswith(".xlsx") and mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert len(list(sheet.iter_rows())) == 3
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_running_twice_in_a_month_sends_once(personas, risks, mailoutbox, django_capture_on_commit_callbacks):
    schedule_for(personas)
    with at(5):
        assert run(django_capture_on_commit_callbacks) == 1
    with at(5, hour=9):
        assert run(django_capture_on_commit_callbacks) == 0
    with at(20):
        assert run(django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 1
    assert ExportJob.objects.count() == 1
    with at(5, month=1, year=2027):
        assert run(django_capture_on_commit_callbacks) == 1  # and again next month
    assert len(mailoutbox) == 2


def test_a_claimed_schedule_is_not_claimed_by_a_second_run(personas, risks, django_capture_on_commit_callbacks):
    """Two runs at once: the second finds the month already claimed by the first's conditional update."""
    schedule_for(personas)
    with at(5), django_capture_on_commit_callbacks() as queued:
        assert schedules.schedules_send_due() == 1
        assert schedules.schedules_send_due() == 0
    assert len(queued) == 1


def test_a_schedule_before_its_day_is_not_sent(personas, risks, mailoutbox, django_capture_on_commit_callbacks):
    schedule_for(personas, day_of_month=10)
    with at(9, hour=23):
        assert run(django_capture_on_commit_callbacks) == 0
    assert not mailoutbox
    with at(11):  # a missed day (beat was down) is caught up later in the month
        assert run(django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 1


def test_a_schedule_set_up_after_its_day_waits_for_next_month(
    personas, risks, mailoutbox, django_capture_on_commit_callbacks
):
    schedule_for(personas, day_of_month=5, created_at=datetime.datetime(2026, 12, 12, 9, 0, tzinfo=LONDON))
    with at(13):
        assert run(django_capture_on_commit_callbacks) == 0
    with at(5, month=1, year=2027):
        assert run(django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("change", ["deactivated", "demoted", "user_disabled", "user_deleted"])
def test_a_schedule_whose_admin_has_gone_is_paused_not_sent(
    admin_client, personas, risks, mailoutbox, django_capture_on_commit_callbacks, change
):
    """The rule: an export leaves by email only while the admin who set it up still answers for it."""
    owner = MembershipFactory(organisation=personas.council, role=Role.ADMIN)
    schedule = schedule_for(personas, created_by=owner.user)
    if change == "deactivated":
        owner.is_active = False
        owner.save()
    elif change == "demoted":
        owner.role = Role.MANAGER
        owner.save()
    elif change == "user_disabled":
        owner.user.is_active = False
        owner.user.save()
    else:
        owner.user.delete()
    with at(5):
        assert run(django_capture_on_commit_callbacks) == 0
    assert not mailoutbox and not ExportJob.objects.exists()
    schedule.refresh_from_db()
    assert schedule.last_sent_period == ""
    assert "Paused" in admin_client.get(reverse("reports:schedules")).content.decode()


def test_a_large_export_is_linked_for_its_admin_not_attached(
    personas, risks, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_EMAIL_ATTACH_MAX_BYTES = 10
    schedule_for(personas)
    with at(5):
        run(django_capture_on_commit_callbacks)
    email = mailoutbox[0]
    assert not email.attachments
    job = ExportJob.objects.get()
    assert "too large to attach" in email.body
    assert f"{settings.SITE_URL.rstrip('/')}{job.get_absolute_url()}" in email.body
    assert job.is_downloadable


def test_each_council_gets_only_its_own_rows(personas, risks, mailoutbox, django_capture_on_commit_callbacks):
    from risk import services

    outsider = personas.outsider
    outsider.role = Role.MANAGER
    outsider.save()
    other = ProjectFactory(organisation=personas.other_council, owner=outsider.user, title="Kingsmere's")
    services.risk_create(
        actor=outsider.user,
        project=other,
        title="Kingsmere budget risk",
        category="financial",
        inherent_likelihood=2,
        inherent_impact=2,
    )
    other_admin = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN)
    schedule_for(personas)
    schedule_for(personas, organisation=personas.other_council, created_by=other_admin.user, recipients=["k@k.example"])
    with at(5):
        assert run(django_capture_on_commit_callbacks) == 2
    by_recipient = {email.to[0]: email.attachments[0][1] for email in mailoutbox}
    own = by_recipient["finance.team@ashby.example"]
    own = own.decode("utf-8-sig") if isinstance(own, bytes) else own
    theirs = by_recipient["k@k.example"]
    theirs = theirs.decode("utf-8-sig") if isinstance(theirs, bytes) else theirs
    assert "Kingsmere" not in own and "Budget overspend" in own
    assert "Kingsmere budget risk" in theirs and "Budget overspend" not in theirs


def test_markup_in_the_recipients_comes_back_escaped(admin_client):
    response = set_up(admin_client, recipients="<script>alert(1)</script>")
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert not ScheduledReport.objects.exists()

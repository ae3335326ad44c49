"""Scheduled reports: any export of the reports page emailed every month to named recipients.

An admin chooses the export, its format and filter (from the export's page), the recipients
and a day of the month (1 to 28). Beat runs `schedules_send_due` every morning; it sends each
schedule whose day has come this month and that has not been sent this month.

- **Once a month, however often the run repeats.** A schedule is claimed by one conditional
  UPDATE that sets `last_sent_period` to this month only where it is not that already: of two
  runs at once (or a run repeated), exactly one changes the row and sends.
- **Whose export.** It is taken as the admin who set it up takes it: their organisation, their
  filter, their reading of the lessons. It is sent only while that person is still active and
  an active admin of the organisation. When they leave, or lose the admin role, the schedule
  stops (shown as paused on the page) until another admin sets it up again: an export leaving
  the authority by email must always have a current admin answering for it. Lantern has no
  switch that deactivates a whole organisation; one with no active admin sends nothing.
- **Attachment or link.** The file is attached when it is at most EXPORT_EMAIL_ATTACH_MAX_BYTES
  (10 MB, below most councils' mail limits). A larger one is not attached: the email says so and
  links to the job page, where the admin who set it up can download it for a week. The
  recipients are not necessarily Lantern users, so no unauthenticated link is ever sent.
- Every sending is an ExportJob (mode "scheduled"): who, what, which filter, how many rows.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access, languages, notices
from accounts import queries as accounts_queries
from accounts.models import Organisation, Role, User
from reports import exports
from reports.models import ExportJob, ScheduledReport

logger = logging.getLogger("lantern.exports")
PERMISSION = "reports.schedule"


def per_organisation() -> int:
    """Schedules one organisation may keep: enough for every export in every format, twice over."""
    return getattr(settings, "SCHEDULED_REPORTS_PER_ORGANISATION", 50)


def attach_max_bytes() -> int:
    return getattr(settings, "EXPORT_EMAIL_ATTACH_MAX_BYTES", 10 * 1024 * 1024)


def period_of(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


# ---------------------------------------------------------------- reads


def schedule_list(*, organisation: Organisation) -> list[ScheduledReport]:
    """The organisation's schedules, each marked with whether its owner can still send it."""
    schedules = list(ScheduledReport.objects.for_organisation(organisation).select_related("created_by"))
    admins = set(
        accounts_queries.people_in_roles(organisation=organisation, roles=[Role.ADMIN]).values_list("pk", flat=True)
    )
    for schedule in schedules:
        schedule.is_paused = schedule.created_by_id not in admins
        schedule.title = exports.title_for(schedule.export)
    return schedules


def schedule_get(*, organisation: Organisation, pk: int) -> ScheduledReport:
    """One of the organisation's schedules; another organisation's is a 404, the same as a missing one."""
    return get_object_or_404(ScheduledReport.objects.for_organisation(organisation), pk=pk)


def owner_may_send(schedule: ScheduledReport) -> bool:
    """True while the person who set the schedule up is active and an active admin of its organisation."""
    if schedule.created_by_id is None:
        return False
    admins = accounts_queries.people_in_roles(organisation=schedule.organisation_id, roles=[Role.ADMIN])
    return admins.filter(pk=schedule.created_by_id).exists()


def is_due(schedule: ScheduledReport, today: datetime.date) -> bool:
    """Its day has come this month, it was set up by then, and it has not been sent this month."""
    due_on = today.replace(day=schedule.day_of_month)
    return (
        due_on <= today
        and timezone.localtime(schedule.created_at).date() <= due_on
        and schedule.last_sent_period != period_of(today)
    )


# ---------------------------------------------------------------- writes


@transaction.atomic
def schedule_create(
    *,
    user: User,
    organisation: Organisation,
    export: exports.Export,
    fmt: str,
    data,
    recipients: list[str],
    day_of_month: int,
) -> ScheduledReport:
    """Sets up a monthly email of one export, with the filter in `data`, to at most 20 recipients."""
    access.require(user, PERMISSION, organisation)
    if fmt not in ExportJob.Format.values:
        raise ValidationError(_("Select CSV, Excel (XLSX) or PDF"))
    if not 1 <= day_of_month <= 28:
        raise ValidationError(_("The day of the month must be between 1 and 28"))
    if not 1 <= len(recipients) <= ScheduledReport.MAX_RECIPIENTS:
        raise ValidationError(
            _("Enter between 1 and %(most)s email addresses") % {"most": ScheduledReport.MAX_RECIPIENTS}
        )
    # Locks the organisation's row, so that two admins at once cannot pass the limit together.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if ScheduledReport.objects.for_organisation(organisation).count() >= per_organisation():
        raise ValidationError(
            _("Your organisation already has %(count)s scheduled reports. Delete one to add another.")
            % {"count": per_organisation()}
        )
    filters = exports.filter_data(export, data, organisation=organisation, user=user)
    if export.filterset is not None and filters:
        filterset = export.filterset(exports.as_query_dict(filters), organisation=organisation, user=user)
        if not filterset.is_valid():
            raise ValidationError(_("The filter is not one the export page accepts. Go back and choose it again."))
    schedule = ScheduledReport.objects.create(
        organisation=organisation,
        created_by=user,
        export=export.name,
        format=fmt,
        filters=filters,
        recipients=recipients,
        day_of_month=day_of_month,
    )
    logger.info(
        "schedule created",
        extra={"user": user.pk, "organisation": organisation.pk, "export": export.name, "schedule": schedule.pk},
    )
    return schedule


@transaction.atomic
def schedule_delete(*, user: User, organisation: Organisation, pk: int) -> None:
    """Stops a scheduled report: any admin of the organisation may, whoever set it up."""
    schedule = schedule_get(organisation=organisation, pk=pk)
    access.require(user, PERMISSION, organisation)
    logger.info(
        "schedule deleted",
        extra={"user": user.pk, "organisation": organisation.pk, "export": schedule.export, "schedule": pk},
    )
    schedule.delete()


def schedules_send_due(*, today: datetime.date | None = None) -> int:
    """Daily (beat): claims every schedule due this month and queues its sending. Returns how many."""
    from reports import tasks

    today = today or timezone.localdate()
    period = period_of(today)
    candidates = (
        ScheduledReport.objects.filter(day_of_month__lte=today.day)
        .exclude(last_sent_period=period)
        .select_related("organisation")
        .order_by("pk")
    )
    claimed = 0
    for schedule in candidates:
        if not is_due(schedule, today):
            continue
        if not owner_may_send(schedule):
            logger.warning("Scheduled report %s not sent: its owner is no longer an admin there", schedule.pk)
            continue
        with transaction.atomic():
            # The claim: only one run can move this month's row from "not sent" to "sent".
            won = (
                ScheduledReport.objects.filter(pk=schedule.pk)
                .exclude(last_sent_period=period)
                .update(last_sent_period=period, last_sent_at=timezone.now())
            )
            if not won:
                continue
            job = ExportJob.objects.create(
                organisation=schedule.organisation,
                requested_by_id=schedule.created_by_id,
                export=schedule.export,
                format=schedule.format,
                mode=ExportJob.Mode.SCHEDULED,
                filters=schedule.filters,
                status=ExportJob.Status.QUEUED,
            )
            schedule_id, job_id = schedule.pk, job.pk
            transaction.on_commit(
                lambda s=schedule_id, j=job_id: tasks.scheduled_report_send.delay(schedule_id=s, job_id=j)
            )
        claimed += 1
    return claimed


def schedule_send(*, schedule_id: int, job_id: int) -> bool:
    """Prepares one claimed schedule's export and emails it to its recipients. Returns whether it was sent."""
    schedule = ScheduledReport.objects.select_related("organisation", "created_by").filter(pk=schedule_id).first()
    if schedule is None:  # deleted since it was claimed
        return False
    # Its recipients are addresses, not people: the email is in the organisation's language.
    with languages.in_language_of(None, schedule.organisation):
        return _schedule_send(schedule=schedule, job_id=job_id)


def _schedule_send(*, schedule: ScheduledReport, job_id: int) -> bool:
    job = exports.job_run(job_id=job_id)
    if job.status != ExportJob.Status.DONE:
        logger.error("Scheduled report %s: its export job %s failed", schedule.pk, job.pk)
        return False
    title = exports.title_for(schedule.export)
    organisation = schedule.organisation
    month = date_format(timezone.localtime(job.created_at), "F Y")
    filename = exports.filename_for(schedule.export, job.format, organisation)
    filters = "; ".join(f"{key}: {', '.join(values)}" for key, values in schedule.filters.items()) or _("none")
    owner = schedule.created_by.full_name or schedule.created_by.email
    lines = [
        _("This is the monthly %(export)s of %(organisation)s from Lantern, for %(month)s.")
        % {"export": title.lower(), "organisation": organisation.name, "month": month},
        "",
        _("Format: %(format)s. Rows: %(rows)s. Filter: %(filters)s.")
        % {"format": job.get_format_display(), "rows": job.row_count, "filters": filters},
    ]
    size = job.file.size
    attach = size <= attach_max_bytes()
    if attach:
        lines.append(_("The file is attached (%(filename)s).") % {"filename": filename})
    else:
        link = notices.absolute_url(job)
        lines.append(
            _(
                "The file is %(size)s MB, too large to attach. %(owner)s can download it from Lantern "
                "until %(date)s: %(link)s"
            )
            % {
                "size": f"{size / 1_048_576:.1f}",
                "owner": owner,
                "date": date_format(timezone.localtime(job.expires_at), "j F Y"),
                "link": link,
            }
        )
    lines += [
        "",
        _(
            "%(owner)s set up this email. To stop it, ask an admin of %(organisation)s to delete it on "
            "Lantern's scheduled reports page: %(link)s"
        )
        % {"owner": owner, "organisation": organisation.name, "link": notices.absolute_url("reports:schedules")},
    ]
    message = EmailMessage(
        subject=_("%(export)s for %(organisation)s, %(month)s")
        % {"export": title, "organisation": organisation.name, "month": month},
        body="\n".join(lines),
        to=list(schedule.recipients),
    )
    if attach:
        with job.file.open("rb") as handle:
            message.attach(filename, handle.read(), _content_type(job.format))
    message.send()
    return True


def _content_type(fmt: str) -> str:
    return {
        ExportJob.Format.CSV: "text/csv",
        ExportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ExportJob.Format.PDF: "application/pdf",
    }[fmt]

"""Taking an export: the limits, who may, its filters and file name, the audit row, and writing it
as CSV, XLSX or PDF (reports.writers).
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User
from reports import committee_pack, copy_out, writers
from reports.exports.catalogue import Export
from reports.models import ExportJob

logger = logging.getLogger("lantern.exports")


def immediate_max_rows() -> int:
    """Above this many rows an export runs as a background job rather than downloading at once."""
    return getattr(settings, "EXPORT_IMMEDIATE_MAX_ROWS", 5_000)


def pdf_max_rows() -> int:
    """A PDF table beyond this is unreadable and slow to build: refused, with the CSV suggested."""
    return getattr(settings, "EXPORT_PDF_MAX_ROWS", 5_000)


def per_hour() -> int:
    """Exports one person may take in an hour, whatever their size (security checklist item 39)."""
    return getattr(settings, "EXPORT_PER_HOUR", 60)


PERMISSION = "reports.export"


class ExportRefused(access.LanternError):
    """An export Lantern will not take, with the reason in plain words."""


class TooManyExports(ExportRefused):
    pass


def filter_data(export: Export, data: QueryDict, *, organisation: Organisation, user: User) -> dict[str, list[str]]:
    """The parts of a query string that are this export's filters, nothing else (no page, no format)."""
    if export.filterset is None:
        return {}
    names = set(export.filterset(None, organisation=organisation, user=user).filters)
    return {key: [v for v in data.getlist(key) if v] for key in data if key in names and any(data.getlist(key))}


def as_query_dict(filters: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in filters.items():
        query.setlist(key, values)
    return query


def check_allowed(*, user: User, organisation: Organisation, permission: str = PERMISSION) -> None:
    access.require(user, permission, organisation)
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = ExportJob.objects.for_organisation(organisation).filter(requested_by=user, created_at__gte=since).count()
    if recent >= per_hour():
        raise TooManyExports(
            _("You have taken %(count)s exports in the last hour. Try again later.") % {"count": recent}
        )


def filename_for(export: Export | str, fmt: str, organisation: Organisation) -> str:
    """A name made by the server from fixed parts: nothing a person typed reaches the header."""
    name = export if isinstance(export, str) else export.name
    code = "".join(c for c in (organisation.ons_code or str(organisation.pk)) if c.isalnum())
    return f"lantern-{name}-{code}-{timezone.localdate().isoformat()}.{fmt}"


@dataclass
class Prepared:
    export: Export
    job: ExportJob
    selected: object
    count: int


def prepare(
    *, export: Export, fmt: str, user: User, organisation: Organisation, data: QueryDict, mode: str
) -> Prepared:
    """Checks the person may export, selects the rows and records the export (the audit row)."""
    check_allowed(user=user, organisation=organisation)
    if fmt not in ExportJob.Format.values:
        raise ExportRefused(_("Choose CSV, XLSX or PDF."))
    filters = filter_data(export, data, organisation=organisation, user=user)
    selected = export.select(organisation=organisation, user=user, data=as_query_dict(filters))
    count = export.count(selected)
    if fmt == ExportJob.Format.PDF and count > pdf_max_rows():
        raise ExportRefused(
            _(
                "A PDF can hold at most %(most)s rows and this export has %(count)s. "
                "Narrow the filter, or download it as CSV or XLSX."
            )
            % {"most": f"{pdf_max_rows():,}", "count": f"{count:,}"}
        )
    job = ExportJob.objects.create(
        organisation=organisation,
        requested_by=user,
        export=export.name,
        format=fmt,
        mode=mode,
        filters=filters,
        row_count=count,
        status=ExportJob.Status.QUEUED if mode != ExportJob.Mode.IMMEDIATE else ExportJob.Status.RUNNING,
    )
    logger.info(
        "export",
        extra={
            "user": user.pk,
            "organisation": organisation.pk,
            "export": export.name,
            "format": fmt,
            "filters": filters,
            "rows": count,
            "job": str(job.public_id),
        },
    )
    return Prepared(export=export, job=job, selected=selected, count=count)


def committee_pack_request(
    *, user: User, organisation: Organisation, committee: str, meeting_date: datetime.date, report_of: str = ""
) -> ExportJob:
    """Records a committee pack to be prepared in the background (the caller queues job_run once committed)."""
    check_allowed(user=user, organisation=organisation, permission=committee_pack.PERMISSION)
    options = {"committee": committee, "meeting_date": meeting_date.isoformat(), "report_of": report_of}
    # The worker that writes the pack has no request: it writes in the language it was asked in.
    options["language"] = translation.get_language() or settings.LANGUAGE_CODE
    job = ExportJob.objects.create(
        organisation=organisation,
        requested_by=user,
        export=committee_pack.NAME,
        format=ExportJob.Format.PDF,
        mode=ExportJob.Mode.BACKGROUND,
        filters=options,
        status=ExportJob.Status.QUEUED,
        keep_until=committee_pack.keep_until(meeting_date),
    )
    logger.info(
        "export",
        extra={"user": user.pk, "organisation": organisation.pk, "export": job.export, "job": str(job.public_id)},
    )
    return job


def finish(job: ExportJob, *, rows: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, row_count=rows, progress=100, finished_at=timezone.now()
    )


def csv_stream(prepared: Prepared):
    """The CSV of a prepared export, chunk by chunk: PostgreSQL's own COPY where the export has one
    (formula escaping in its SQL), otherwise rows through reports.writers.csv_chunks."""
    export, job = prepared.export, prepared.job
    if export.copy_chunks is not None and copy_out.copy_available():
        yield from export.copy_chunks(organisation=job.organisation)
        finish(job, rows=prepared.count)
        return
    rows = export.rows(prepared.selected, organisation=job.organisation)
    yield from writers.csv_chunks(export.columns, rows, on_row_count=lambda count: finish(job, rows=count))


def write_file(prepared: Prepared, path: str, progress: Callable[[int], None] | None = None) -> int:
    """Writes the prepared export to `path` in its format and returns the number of rows written."""
    export, job = prepared.export, prepared.job
    rows = export.rows(prepared.selected, organisation=job.organisation)
    if job.format == ExportJob.Format.CSV:
        counted = []
        with open(path, "w", encoding="utf-8", newline="") as handle:
            for chunk in writers.csv_chunks(export.columns, _counting(rows, progress), on_row_count=counted.append):
                handle.write(chunk)
        return counted[0]
    if job.format == ExportJob.Format.XLSX:
        return writers.xlsx_write(path, title=str(export.title), columns=export.columns, rows=rows, progress=progress)
    return writers.pdf_write(
        path,
        title=str(export.title),
        subtitle=subtitle_for(job),
        columns=export.columns,
        rows=rows,
        export_name=export.name,
    )


def _counting(rows: Iterable[list], progress: Callable[[int], None] | None):
    for n, row in enumerate(rows, start=1):
        if progress is not None and n % writers.PROGRESS_EVERY == 0:
            progress(n)
        yield row


def subtitle_for(job: ExportJob) -> str:
    filters = "; ".join(f"{k}: {', '.join(v)}" for k, v in job.filters.items()) or _("none")
    taken = timezone.localtime(job.created_at)
    # Translators: when an export was taken, e.g. "3 March 2026 at 14:05" (a PHP-style date format).
    when = date_format(taken, _("j F Y \\a\\t H:i"))
    # Translators: under a PDF export's title: the organisation, when it was taken and its filter.
    return _("%(organisation)s. Taken %(when)s. Filter: %(filters)s.") % {
        "organisation": job.organisation.name,
        "when": when,
        "filters": filters,
    }

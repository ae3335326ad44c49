"""The admins' reports: what can be exported, and how an export is taken and recorded.

Each app's `exports.py` says which rows it exports (through its own queries.py and the
FilterSet of the page the rows come from); this module, in reports/ above every domain app,
lists them, writes them as CSV, XLSX or PDF (reports.writers), and records every export
(reports.models.ExportJob: who, what, which filter, how many rows). Small exports
download at once; large ones, and any the admin asks for, run as a Celery job whose file
is kept for a week.
"""

import datetime
import logging
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import OuterRef, QuerySet
from django.http import QueryDict
from django.utils import timezone

from accounts import access
from accounts.models import Organisation, User
from innovation import exports as innovation_exports
from jobs import runner
from portfolio import exports as portfolio_exports
from reports import committee_pack, copy_out, writers
from reports.models import ExportJob
from risk import exports as risk_exports
from risk import queries as risk_queries
from sharing import exports as sharing_exports

logger = logging.getLogger("lantern.exports")

# The first key of the PostgreSQL advisory lock held while an export or a committee pack is
# prepared (portfolio's jobs use the two before it).
EXPORT_RUN_LOCK = 7_305_214
EXPORT_INTERRUPTED = (
    "It stopped before it was ready, because the server preparing it stopped. "
    "Try again to prepare it with the same choices."
)
EXPORT_FAILED = "Something went wrong while preparing the export."


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


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    description: str
    columns: list[str]
    # (organisation=, user=, data=) -> a queryset or list of the rows' objects
    select: Callable
    # (selected, organisation=) -> rows of values, in `columns` order
    rows: Callable
    # (data, organisation=, user=) -> the page's FilterSet, whose form the reports page shows
    filterset: Callable | None = None
    # (organisation=) -> CSV bytes made by the database itself (PostgreSQL COPY), or None
    copy_chunks: Callable | None = None

    def count(self, selected) -> int:
        return selected.count() if hasattr(selected, "count") and not isinstance(selected, list) else len(selected)


def _portfolio_select(*, organisation: Organisation, user: User, data) -> QuerySet:
    """innovation's register, with risk's own measure of each project's risk (its open risks)."""
    projects = innovation_exports.portfolio_select(organisation=organisation, user=user, data=data)
    return projects.annotate(highest_residual=risk_queries.highest_open_residual(OuterRef("pk")))


# The risk columns go after the business case's figures: risk's to define, innovation's to list.
_RISK_AT = innovation_exports.PORTFOLIO_COLUMNS.index("innovate_net_value") + 1


def _portfolio_rows(projects, *, organisation):
    for project in projects.iterator(chunk_size=2000):
        row = innovation_exports.portfolio_row(project)
        risk = [project.highest_residual, risk_exports.band_label(project.highest_residual)]
        yield [*row[:_RISK_AT], *risk, *row[_RISK_AT:]]


def _portfolio_columns() -> list[str]:
    columns = innovation_exports.PORTFOLIO_COLUMNS
    return [*columns[:_RISK_AT], "highest_residual_risk_score", "risk_band", *columns[_RISK_AT:]]


EXPORTS: dict[str, Export] = {
    export.name: export
    for export in [
        Export(
            name="portfolio-register",
            title="Portfolio register",
            description="Every project with its stage, owner, service areas, costs, net value, risk, "
            "decision and outcome.",
            columns=_portfolio_columns(),
            select=_portfolio_select,
            rows=_portfolio_rows,
            filterset=innovation_exports.portfolio_filterset,
        ),
        Export(
            name="risk-register",
            title="Risk register",
            description="The risks of projects under way, with their scores before and after controls.",
            columns=risk_exports.REGISTER_COLUMNS,
            select=risk_exports.register_select,
            rows=lambda risks, organisation: risk_exports.register_rows(risks),
            filterset=risk_exports.register_filterset,
        ),
        Export(
            name="gap-report",
            title="Gap report",
            description="Where services fall furthest short of their aspirations, biggest gap first.",
            columns=portfolio_exports.GAP_COLUMNS,
            select=portfolio_exports.gap_select,
            rows=lambda rows, organisation: portfolio_exports.gap_rows(rows),
        ),
        Export(
            name="capacity-assessment",
            title="Capacity assessment",
            description="The organisation's capacity to innovate, factor by factor, beside the sector.",
            columns=portfolio_exports.CAPACITY_COLUMNS,
            select=portfolio_exports.capacity_select,
            rows=lambda factors, organisation: portfolio_exports.capacity_rows(factors),
        ),
        Export(
            name="lessons",
            title="Lessons",
            description="Lessons in the sector library as you see them there: anonymised ones without "
            "the organisation or the people.",
            columns=sharing_exports.LESSON_COLUMNS,
            select=sharing_exports.library_select,
            rows=lambda lessons, organisation: sharing_exports.library_rows(lessons, reader=organisation),
            filterset=sharing_exports.library_filterset,
        ),
        Export(
            name="measurements",
            title="Performance measurements",
            description="Every actual value imported for the organisation, indicator by indicator.",
            columns=portfolio_exports.MEASUREMENT_COLUMNS,
            select=portfolio_exports.measurement_select,
            rows=lambda values, organisation: portfolio_exports.measurement_rows(values),
            copy_chunks=copy_out.measurement_copy_chunks,
        ),
    ]
}


def export_get(name: str) -> Export:
    from django.http import Http404

    try:
        return EXPORTS[name]
    except KeyError:
        raise Http404 from None


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
        raise TooManyExports(f"You have taken {recent} exports in the last hour. Try again later.")


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
        raise ExportRefused("Choose CSV, XLSX or PDF.")
    filters = filter_data(export, data, organisation=organisation, user=user)
    selected = export.select(organisation=organisation, user=user, data=as_query_dict(filters))
    count = export.count(selected)
    if fmt == ExportJob.Format.PDF and count > pdf_max_rows():
        raise ExportRefused(
            f"A PDF can hold at most {pdf_max_rows():,} rows and this export has {count:,}. "
            "Narrow the filter, or download it as CSV or XLSX."
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
    job = ExportJob.objects.create(
        organisation=organisation,
        requested_by=user,
        export=committee_pack.NAME,
        format=ExportJob.Format.PDF,
        mode=ExportJob.Mode.BACKGROUND,
        filters=options,
        status=ExportJob.Status.QUEUED,
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
        return writers.xlsx_write(path, title=export.title, columns=export.columns, rows=rows, progress=progress)
    return writers.pdf_write(path, title=export.title, subtitle=subtitle_for(job), columns=export.columns, rows=rows)


def _counting(rows: Iterable[list], progress: Callable[[int], None] | None):
    for n, row in enumerate(rows, start=1):
        if progress is not None and n % writers.PROGRESS_EVERY == 0:
            progress(n)
        yield row


def subtitle_for(job: ExportJob) -> str:
    filters = "; ".join(f"{k}: {', '.join(v)}" for k, v in job.filters.items()) or "none"
    when = timezone.localtime(job.created_at).strftime("%-d %B %Y at %H:%M")
    return f"{job.organisation.name}. Taken {when}. Filter: {filters}."


def title_for(name: str) -> str:
    """The title of an export or of the committee pack, by its name."""
    if name == committee_pack.NAME:
        return committee_pack.TITLE
    export = EXPORTS.get(name)
    return export.title if export is not None else name


def job_run(*, job_id: int) -> ExportJob:
    """Writes a background export (or a committee pack) to a file kept for a week, recording progress as it goes."""
    job = ExportJob.objects.select_related("organisation", "requested_by").get(pk=job_id)
    return runner.job_run(job=job, work=_job_work)


def _job_work(job: ExportJob) -> None:
    total = max(job.row_count or 1, 1)

    def progress(done: int) -> None:
        runner.job_progress(job=job, percent=100 * done // total)

    def percent(done: int) -> None:
        runner.job_progress(job=job, percent=done)

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "export"
        if job.export == committee_pack.NAME:
            rows = committee_pack.pack_write(job, str(path), percent)
        else:
            export = EXPORTS[job.export]
            selected = export.select(
                organisation=job.organisation, user=job.requested_by, data=as_query_dict(job.filters)
            )
            prepared = Prepared(export=export, job=job, selected=selected, count=total)
            rows = write_file(prepared, str(path), progress)
        with path.open("rb") as handle:
            # A random stored name: nothing a person typed reaches the file system.
            job.file.save(f"{job.public_id}.{job.format}", File(handle), save=False)
    job.row_count = rows


def job_retry(*, user: User, organisation: Organisation, job: ExportJob) -> bool:
    """Prepares an interrupted export or committee pack again, with the choices it was asked
    with (queued once committed); False when it cannot be tried again, or already was."""
    access.require(user, _permission_for(job), organisation)
    if job.organisation_id != organisation.pk:
        raise access.Refused("This export belongs to another organisation.")
    # A scheduled report's export is prepared to be emailed: trying again here would not send it.
    if job.mode != ExportJob.Mode.BACKGROUND or not runner.job_retry(job=job):
        return False
    transaction.on_commit(lambda: runner.job_queue(job=job))
    return True


def job_may_retry(*, user: User, organisation: Organisation, job: ExportJob) -> bool:
    """Whether the export was interrupted and this person may try it again."""
    return (
        job.mode == ExportJob.Mode.BACKGROUND
        and runner.job_can_retry(job)
        and access.may(user, _permission_for(job), organisation)
    )


def _permission_for(job: ExportJob) -> str:
    return committee_pack.PERMISSION if job.export == committee_pack.NAME else PERMISSION


def jobs_expired_delete(*, now: datetime.datetime | None = None) -> int:
    """Deletes the files of background exports older than a week; the audit rows stay."""
    return runner.job_files_expire(model=ExportJob, now=now)


def job_list(*, organisation: Organisation, user: User, limit: int = 10) -> list[ExportJob]:
    jobs = list(
        ExportJob.objects.for_organisation(organisation)
        .filter(requested_by=user)
        .exclude(mode=ExportJob.Mode.IMMEDIATE)[:limit]
    )
    for job in jobs:
        runner.job_check_interrupted(job=job)
        job.title = title_for(job.export)
    return jobs

"""The admins' reports: what can be exported, and how an export is taken and recorded.

Each app's `exports.py` says which rows it exports (through its own queries.py and the
FilterSet of the page the rows come from); this module, in reports/ above every domain app,
lists them, writes them as CSV, XLSX or PDF (reports.writers), and records every export
(reports.models.ExportJob: who, what, which filter, how many rows). Small exports
download at once; large ones, and any the admin asks for, run as a Celery job whose file
is kept for a week.

Split by topic (catalogue, taking, background); import this package, not the modules:
`from reports import exports` then `exports.prepare(...)`.
"""

from reports.exports.background import (
    EXPORT_FAILED,
    EXPORT_INTERRUPTED,
    EXPORT_RUN_LOCK,
    job_list,
    job_may_retry,
    job_retry,
    job_run,
    jobs_expired_delete,
)
from reports.exports.catalogue import EXPORTS, Export, export_get, title_for
from reports.exports.taking import (
    PERMISSION,
    ExportRefused,
    Prepared,
    TooManyExports,
    as_query_dict,
    check_allowed,
    committee_pack_request,
    csv_stream,
    filename_for,
    filter_data,
    finish,
    immediate_max_rows,
    logger,
    pdf_max_rows,
    per_hour,
    prepare,
    subtitle_for,
    write_file,
)

__all__ = [
    "EXPORTS",
    "EXPORT_FAILED",
    "EXPORT_INTERRUPTED",
    "EXPORT_RUN_LOCK",
    "PERMISSION",
    "Export",
    "ExportRefused",
    "Prepared",
    "TooManyExports",
    "as_query_dict",
    "check_allowed",
    "committee_pack_request",
    "csv_stream",
    "export_get",
    "filename_for",
    "filter_data",
    "finish",
    "immediate_max_rows",
    "job_list",
    "job_may_retry",
    "job_retry",
    "job_run",
    "jobs_expired_delete",
    "logger",
    "pdf_max_rows",
    "per_hour",
    "prepare",
    "subtitle_for",
    "title_for",
    "write_file",
]

"""Every change to performance data, gap reports and capacity assessments, by topic:

- measurements: imports of actual values and aspirations, checked whole and written with history;
- jobs: imports and gap report runs as background jobs, their progress, and runs whose worker died;
- capacity: the capacity self-assessment (R9).

Callers use `portfolio.services.<name>`; the names below are the package's whole public face.
"""

from portfolio.services.capacity import capacity_assessment_save
from portfolio.services.jobs import (
    GAP_REPORT_INTERRUPTED,
    GAP_REPORT_RUN_LOCK,
    IMPORT_RUN_LOCK,
    INLINE_IMPORT_BYTES,
    INTERRUPTED,
    INTERRUPTED_FILE_DELETED,
    INTERRUPTED_FILE_KEPT_DAYS,
    JOB_KINDS,
    NOT_QUEUED,
    ImportNotRetryable,
    JobKind,
    gap_report_job_check_interrupted,
    gap_report_job_create,
    gap_report_job_run,
    gap_reports_compute,
    import_job_can_retry,
    import_job_check_interrupted,
    import_job_create,
    import_job_retry,
    import_job_run,
    interrupted_import_files_delete,
    job_kind_register,
    job_queue,
    jobs_requeue,
)
from portfolio.services.measurements import ImportChanged, measurements_import

__all__ = [
    "GAP_REPORT_INTERRUPTED",
    "GAP_REPORT_RUN_LOCK",
    "IMPORT_RUN_LOCK",
    "INLINE_IMPORT_BYTES",
    "INTERRUPTED",
    "INTERRUPTED_FILE_DELETED",
    "INTERRUPTED_FILE_KEPT_DAYS",
    "JOB_KINDS",
    "NOT_QUEUED",
    "ImportChanged",
    "ImportNotRetryable",
    "JobKind",
    "capacity_assessment_save",
    "gap_report_job_check_interrupted",
    "gap_report_job_create",
    "gap_report_job_run",
    "gap_reports_compute",
    "import_job_can_retry",
    "import_job_check_interrupted",
    "import_job_create",
    "import_job_retry",
    "import_job_run",
    "interrupted_import_files_delete",
    "job_kind_register",
    "job_queue",
    "jobs_requeue",
    "measurements_import",
]

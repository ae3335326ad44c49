"""Every change to performance data, gap reports and capacity assessments, by topic:

- measurements: imports of actual values and aspirations, checked whole and written with their source;
- jobs: imports as background jobs, and imports whose worker died (run by jobs.runner);
- gap_reports: gap report runs as background jobs: asked for, after an import, and nightly;
- capacity: the capacity self-assessment (R9);
- reference: an organisation's service areas and its own indicators, kept by its admins;
- comparison: the comparison groups its admins define, and the one its gap report opens with.

Callers use `portfolio.services.<name>`; the names below are the package's whole public face.
"""

from portfolio.services.capacity import capacity_assessment_save
from portfolio.services.comparison import comparison_default_set, comparison_group_delete, comparison_group_save
from portfolio.services.gap_reports import (
    GAP_REPORT_FAILED,
    GAP_REPORT_INTERRUPTED,
    GAP_REPORT_RUN_LOCK,
    gap_report_job_after_import,
    gap_report_job_create,
    gap_report_job_run,
    gap_report_job_run_now,
    gap_reports_compute,
)
from portfolio.services.jobs import (
    IMPORT_FAILED,
    IMPORT_RUN_LOCK,
    INLINE_IMPORT_BYTES,
    INTERRUPTED,
    INTERRUPTED_FILE_DELETED,
    INTERRUPTED_FILE_KEPT_DAYS,
    ImportNotRetryable,
    import_job_create,
    import_job_retry,
    import_job_run,
    interrupted_import_files_delete,
)
from portfolio.services.measurements import ImportChanged, measurements_import
from portfolio.services.reference import (
    ReferenceDataError,
    indicator_create,
    indicator_delete,
    indicator_has_data,
    indicator_reinstate,
    indicator_retire,
    indicator_update,
    service_area_create,
    service_area_update,
)

__all__ = [
    "GAP_REPORT_FAILED",
    "GAP_REPORT_INTERRUPTED",
    "GAP_REPORT_RUN_LOCK",
    "IMPORT_FAILED",
    "IMPORT_RUN_LOCK",
    "INLINE_IMPORT_BYTES",
    "INTERRUPTED",
    "INTERRUPTED_FILE_DELETED",
    "INTERRUPTED_FILE_KEPT_DAYS",
    "ImportChanged",
    "ImportNotRetryable",
    "ReferenceDataError",
    "capacity_assessment_save",
    "comparison_default_set",
    "comparison_group_delete",
    "comparison_group_save",
    "gap_report_job_after_import",
    "gap_report_job_create",
    "gap_report_job_run",
    "gap_report_job_run_now",
    "gap_reports_compute",
    "import_job_create",
    "indicator_create",
    "indicator_delete",
    "indicator_has_data",
    "indicator_reinstate",
    "indicator_retire",
    "indicator_update",
    "import_job_retry",
    "import_job_run",
    "interrupted_import_files_delete",
    "measurements_import",
    "service_area_create",
    "service_area_update",
]

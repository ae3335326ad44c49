from datetime import timedelta

from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"

    def ready(self):
        # Imports and gap report runs are background jobs: jobs.runner queues, runs (once) and
        # watches them, and deletes an interrupted import's kept file after a week.
        from jobs import runner
        from portfolio import services, tasks
        from portfolio.models import GapReportJob, ImportJob

        runner.job_kind_register(
            model=ImportJob,
            task=tasks.import_job_run,
            lock=services.IMPORT_RUN_LOCK,
            interrupted=services.INTERRUPTED,
            failed=services.IMPORT_FAILED,
            keep_files_for=timedelta(days=services.INTERRUPTED_FILE_KEPT_DAYS),
            input_file_deleted=services.INTERRUPTED_FILE_DELETED,
        )
        runner.job_kind_register(
            model=GapReportJob,
            task=tasks.gap_report_job_run,
            lock=services.GAP_REPORT_RUN_LOCK,
            interrupted=services.GAP_REPORT_INTERRUPTED,
            failed=services.GAP_REPORT_FAILED,
        )

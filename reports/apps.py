from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and exports"

    def ready(self):
        # Exports and committee packs are background jobs like imports: jobs.runner queues them
        # (and again when Redis could not take them), runs each once, notices one whose worker
        # died, and deletes their files after a week.
        from jobs import runner
        from reports import exports, tasks
        from reports.models import KEEP_FOR, ExportJob

        runner.job_kind_register(
            model=ExportJob,
            task=tasks.export_job_run,
            lock=exports.EXPORT_RUN_LOCK,
            interrupted=exports.EXPORT_INTERRUPTED,
            failed=exports.EXPORT_FAILED,
            keep_files_for=KEEP_FOR,
        )

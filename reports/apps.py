from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and exports"

    def ready(self):
        # Exports and committee packs are background jobs like imports: queued, and queued again
        # by portfolio's jobs_requeue when Redis could not take them. Registered here, as their
        # task is reports' and portfolio (below reports) must not import it.
        from portfolio import services
        from reports import tasks
        from reports.models import ExportJob

        services.job_kind_register(model=ExportJob, task=tasks.export_job_run)

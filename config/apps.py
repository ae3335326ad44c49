from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Lantern"

    def ready(self):
        # Exports and committee packs are background jobs like imports: queued, and queued again
        # by portfolio's jobs_requeue when Redis could not take them. Registered here, as their
        # task is config's and portfolio (below config) must not import it.
        from config import tasks
        from portfolio import services
        from reports.models import ExportJob

        services.job_kind_register(model=ExportJob, task=tasks.export_job_run)

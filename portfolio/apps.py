from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"

    def ready(self):
        from portfolio import services, tasks
        from portfolio.models import GapReportJob, ImportJob

        services.job_kind_register(model=ImportJob, task=tasks.import_job_run)
        services.job_kind_register(model=GapReportJob, task=tasks.gap_report_job_run)

from django.urls import path

from config import report_views as views

app_name = "reports"

urlpatterns = [
    path("reports/", views.reports_view, name="index"),
    path("reports/jobs/<uuid:public_id>/", views.job_view, name="job"),
    path("reports/jobs/<uuid:public_id>/download/", views.job_download_view, name="job-download"),
    path("reports/<slug:name>/", views.export_view, name="export"),
    path("reports/<slug:name>/take/", views.export_take_view, name="export-take"),
]

from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("performance/", views.report_view, name="report"),
    path("performance/recompute/", views.report_compute_view, name="report-compute"),
    path("performance/runs/<uuid:public_id>/", views.report_job_view, name="report-job"),
    path("performance/import/", views.import_view, name="import"),
    path("performance/imports/<uuid:public_id>/", views.import_job_view, name="import-detail"),
    path("performance/imports/<uuid:public_id>/retry/", views.import_job_retry_view, name="import-retry"),
    path("performance/capacity/", views.capacity_view, name="capacity"),
    path("indicators/<str:code>/", views.indicator_detail_view, name="indicator-detail"),
]

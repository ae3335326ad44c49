from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.reports_view, name="index"),
    path("reports/committee-pack/", views.committee_pack_view, name="committee-pack"),
    path("reports/schedules/", views.schedule_list_view, name="schedules"),
    path("reports/schedules/<int:pk>/delete/", views.schedule_delete_view, name="schedule-delete"),
    path("reports/jobs/<uuid:public_id>/", views.job_view, name="job"),
    path("reports/jobs/<uuid:public_id>/download/", views.job_download_view, name="job-download"),
    path("reports/jobs/<uuid:public_id>/retry/", views.job_retry_view, name="job-retry"),
    path("reports/decisions/<int:pk>/record.pdf", views.decision_pdf_view, name="decision-pdf"),
    path("reports/<slug:name>/", views.export_view, name="export"),
    path("reports/<slug:name>/take/", views.export_take_view, name="export-take"),
    path("reports/<slug:name>/schedule/", views.schedule_create_view, name="export-schedule"),
]

# The gap report page's download: portfolio's page, written here where formula neutralising
# lives (portfolio imports nothing from reports). config/urls.py serves it inside the portfolio
# namespace, so that its name stays portfolio:report-csv.
portfolio_urlpatterns = [
    path("performance/report.csv", views.gap_report_csv_view, name="report-csv"),
]

# The public forward plan's download (innovation/public_urls.py), written here for the same
# reason: decision-makers and documents are typed by managers. Served in the public namespace.
public_urlpatterns = [
    path("forward-plan/<int:organisation>/forward-plan.csv", views.forward_plan_csv_view, name="forward-plan-csv"),
]

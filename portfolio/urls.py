from django.urls import path

from portfolio import group_views, reference_views, views

app_name = "portfolio"

urlpatterns = [
    path("performance/", views.report_view, name="report"),
    path("performance/recompute/", views.report_compute_view, name="report-compute"),
    path("performance/runs/<uuid:public_id>/", views.report_job_view, name="report-job"),
    path("performance/import/", views.import_view, name="import"),
    path("performance/imports/<uuid:public_id>/", views.import_job_view, name="import-detail"),
    path("performance/imports/<uuid:public_id>/retry/", views.import_job_retry_view, name="import-retry"),
    path("performance/capacity/", views.capacity_view, name="capacity"),
    path("performance/comparison/", group_views.report_default_view, name="report-default"),
    path("performance/groups/", group_views.group_list_view, name="groups"),
    path("performance/groups/new/", group_views.group_create_view, name="group-create"),
    path("performance/groups/<int:pk>/", group_views.group_detail_view, name="group-detail"),
    path("performance/groups/<int:pk>/edit/", group_views.group_edit_view, name="group-edit"),
    path("performance/groups/<int:pk>/delete/", group_views.group_delete_view, name="group-delete"),
    path("service-areas/", reference_views.service_area_list_view, name="service-areas"),
    path("service-areas/new/", reference_views.service_area_create_view, name="service-area-create"),
    path("service-areas/<int:pk>/edit/", reference_views.service_area_edit_view, name="service-area-edit"),
    path("indicators/", reference_views.indicator_list_view, name="indicators"),
    # Under own/, so that no organisation's code can shadow these pages.
    path("indicators/own/new/", reference_views.indicator_create_view, name="indicator-create"),
    path("indicators/own/<int:pk>/edit/", reference_views.indicator_edit_view, name="indicator-edit"),
    path("indicators/own/<int:pk>/retire/", reference_views.indicator_retire_view, name="indicator-retire"),
    path("indicators/<str:code>/", views.indicator_detail_view, name="indicator-detail"),
]

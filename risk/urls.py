from django.urls import path

from risk import views

app_name = "risk"

urlpatterns = [
    path("risk/", views.register_view, name="register"),
    path("risk/appetite/", views.appetite_view, name="appetite"),
    path("risk/projects/<int:pk>/", views.project_register_view, name="project-register"),
    path("risk/projects/<int:pk>/assessment/", views.assessment_edit_view, name="assessment-edit"),
    path("risk/projects/<int:pk>/add/", views.risk_create_view, name="risk-create"),
    path("risk/risks/<int:pk>/", views.risk_detail_view, name="risk-detail"),
    path("risk/risks/<int:pk>/edit/", views.risk_edit_view, name="risk-edit"),
    path("risk/risks/<int:pk>/review/", views.risk_review_view, name="risk-review"),
    path("risk/risks/<int:pk>/controls/add/", views.control_create_view, name="control-create"),
    path("risk/risks/<int:pk>/comment/", views.risk_comment_view, name="risk-comment"),
    path("risk/risks/<int:pk>/escalate/", views.risk_escalate_view, name="risk-escalate"),
    path("risk/risks/<int:pk>/accept/", views.risk_accept_view, name="risk-accept"),
]

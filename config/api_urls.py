"""The REST API under /api/: each app's viewsets (their api.py), the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api import OrganisationViewSet
from innovation.api import DecisionViewSet, IdeaViewSet, ProjectViewSet
from portfolio.api import GapReportViewSet, ImportJobViewSet, IndicatorViewSet, MeasurementViewSet, ServiceAreaViewSet
from risk.api import RiskViewSet
from sharing.api import LessonViewSet

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
# No ".json" suffix URLs: one URL per resource, JSON only.
router.include_format_suffixes = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("service-areas", ServiceAreaViewSet, basename="service-area")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("imports", ImportJobViewSet, basename="import")
router.register("gap-report", GapReportViewSet, basename="gap-row")
router.register("ideas", IdeaViewSet, basename="idea")
router.register("projects", ProjectViewSet, basename="project")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("risks", RiskViewSet, basename="risk")
router.register("lessons", LessonViewSet, basename="lesson")

urlpatterns = [
    path("api/", include(router.urls)),
    # Neither is anonymous (DEFAULT_PERMISSION_CLASSES): the schema describes what is behind sign-in.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from its own URL, so the CSP needs no inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
]

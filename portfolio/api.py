"""The API's performance data: service areas, the indicator catalogue, measurements, the
gap report, and measurement imports through the same service as the import page."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.api import OrganisationAPIMixin
from jobs import runner
from portfolio import groups, queries, services
from portfolio.forms import ImportForm
from portfolio.models import GapReportRow, ImportJob, Indicator, Measurement, ServiceArea


class ServiceAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceArea
        fields = ["id", "name", "service"]


class IndicatorSerializer(serializers.ModelSerializer):
    own = serializers.BooleanField(
        source="is_own", read_only=True, help_text="The organisation's own, not the catalogue's"
    )
    retired = serializers.SerializerMethodField(help_text="Retired: kept with its figures, takes no new ones")

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "polarity", "frequency", "service", "description", "own", "retired"]

    def get_retired(self, indicator) -> bool:
        return indicator.retired_at is not None


class MeasurementSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "period", "value", "updated_at"]


class GapRowSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    position_note = serializers.CharField(
        read_only=True,
        help_text="Why percentile and quartile are null (too few organisations have reported this period), "
        "or that peers' latest earlier figures were used; blank otherwise",
    )
    comparison_group = serializers.CharField(
        read_only=True,
        help_text="The comparison group percentile and quartile are relative to: all, kind, region, neighbours "
        "or group-<id> (one of the organisation's comparison groups, or one shared with the sector)",
    )

    class Meta:
        model = GapReportRow
        fields = [
            "id",
            "indicator",
            "period",
            "actual",
            "aspiration",
            "gap_pct",
            "comparison_group",
            "percentile",
            "quartile",
            "peers_compared",
            "compared_with_latest",
            "position_note",
            "trend",
            "incremental_unlikely",
        ]


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "public_id",
            "kind",
            "original_name",
            "status",
            "progress",
            "row_count",
            "created_count",
            "updated_count",
            "error_count",
            "errors",
            "failure",
            "created_at",
            "finished_at",
        ]


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV or XLSX file of actual values or aspirations, as on the import page")


class ServiceAreaViewSet(OrganisationAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The organisation's service areas."""

    model = ServiceArea
    permission = "portfolio.view_report"
    serializer_class = ServiceAreaSerializer
    filterset_fields = ["service"]
    filterset_wants_organisation = False

    def organisation_queryset(self):
        return ServiceArea.objects.for_organisation(self.organisation).order_by("name", "pk")


class IndicatorViewSet(OrganisationAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The national indicator catalogue, shared by every organisation, and the organisation's own indicators."""

    model = Indicator
    permission = "portfolio.view_report"
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filterset_fields = ["service", "frequency"]
    filterset_wants_organisation = False

    def organisation_queryset(self):
        return Indicator.objects.available_to(self.organisation).order_by("code")


class MeasurementViewSet(OrganisationAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The organisation's actual values; import more with POST /api/measurements/import/."""

    model = Measurement
    permission = "portfolio.view_report"
    write_permission = "portfolio.import_data"
    serializer_class = MeasurementSerializer
    filterset_fields = {"indicator__code": ["exact"], "period": ["exact"]}
    filterset_wants_organisation = False

    def organisation_queryset(self):
        return (
            Measurement.objects.for_organisation(self.organisation)
            .select_related("indicator")
            .order_by("indicator__code", "period_index", "pk")
        )

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer}, responses={202: ImportJobSerializer})
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser],
        serializer_class=ImportUploadSerializer,
    )
    def import_file(self, request):
        """Imports a file through the import page's own checks and service; poll the job it returns."""
        form = ImportForm(data={}, files=request.FILES)
        if not form.is_valid():
            raise serializers.ValidationError({key: [str(e) for e in errors] for key, errors in form.errors.items()})
        job = services.import_job_create(
            actor=request.user, organisation=self.organisation, upload=form.cleaned_data["file"]
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportJobViewSet(OrganisationAPIMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One import's progress and, once finished, every line it refused and why."""

    model = ImportJob
    permission = "portfolio.import_data"
    serializer_class = ImportJobSerializer
    lookup_field = "public_id"
    lookup_value_regex = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    def get_object(self):
        job = queries.import_job_get(organisation=self.organisation, public_id=self.kwargs["public_id"])
        return runner.job_check_interrupted(job=job)

    def organisation_queryset(self):
        return ImportJob.objects.for_organisation(self.organisation)


class GapRowFilter(django_filters.FilterSet):
    # The quartile within the comparison group asked for, not always every organisation's.
    quartile = django_filters.NumberFilter(method="filter_quartile")

    class Meta:
        model = GapReportRow
        fields = ["trend", "incremental_unlikely"]

    def filter_quartile(self, rows, name, value):
        field = "group_quartile" if "group_quartile" in rows.query.annotations else "quartile"
        return rows.filter(**{field: value})


GROUP_PARAMETER = OpenApiParameter(
    "comparison_group",
    OpenApiTypes.STR,
    description="Position within this comparison group (all, kind, region, neighbours or group-<id>); "
    "the organisation's default when left out. Another organisation's unshared group is a 404.",
)


@extend_schema_view(
    list=extend_schema(parameters=[GROUP_PARAMETER]), retrieve=extend_schema(parameters=[GROUP_PARAMETER])
)
class GapReportViewSet(OrganisationAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The current gap report's rows, biggest gap first, as on the report page, positioned within
    the comparison group asked for (`comparison_group`) or the organisation's default."""

    model = GapReportRow
    permission = "portfolio.view_report"
    serializer_class = GapRowSerializer
    filterset_class = GapRowFilter
    filterset_wants_organisation = False

    def organisation_queryset(self):
        group, _ = groups.group_for_request(
            organisation=self.organisation, key=self.request.query_params.get("comparison_group") or None
        )
        report = queries.gap_report_current(organisation=self.organisation)
        return queries.gap_rows_ranked(report=report, group=group.key)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

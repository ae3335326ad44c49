"""The API's risk register: the register page's risks (officers see their own projects'
only) with its filters, and one risk as the risk page reads it."""

from rest_framework import serializers, viewsets

from accounts.api import OrganisationAPIMixin
from risk import queries, scoring
from risk.filters import RiskFilter
from risk.models import Risk


class RiskAPIFilter(RiskFilter):
    """The register page's filters; the hint tells the schema that service_area is an id."""

    def filter_service_area(self, queryset, name, value: int):
        return super().filter_service_area(queryset, name, value)


class RiskSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="assessment.project_id", read_only=True)
    project_title = serializers.CharField(source="assessment.project.title", read_only=True)
    owner = serializers.CharField(source="owner.full_name", read_only=True, default=None, allow_null=True)
    inherent_band = serializers.SerializerMethodField()
    residual_band = serializers.SerializerMethodField()

    class Meta:
        model = Risk
        fields = [
            "id",
            "project",
            "project_title",
            "title",
            "description",
            "category",
            "owner",
            "inherent_likelihood",
            "inherent_impact",
            "inherent_score",
            "inherent_band",
            "treatment",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "residual_band",
            "review_date",
            "status",
        ]
        read_only_fields = fields

    def get_inherent_band(self, risk) -> str | None:
        return scoring.band(risk.inherent_score)

    def get_residual_band(self, risk) -> str | None:
        return scoring.band(risk.residual_score)


class RiskViewSet(OrganisationAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The organisation's risk register; one risk by id (as its page, for those who may read it)."""

    model = Risk
    permission = "risk.view_register"
    serializer_class = RiskSerializer
    filterset_class = RiskAPIFilter

    def organisation_queryset(self):
        base = queries.register_base(organisation=self.organisation, user=self.request.user)
        return queries.register_rows(base).select_related("owner")

    def get_object(self):
        # A risk of another organisation is a 404; one the person may not read is a 403, as on its page.
        return queries.risk_get_for_user(user=self.request.user, organisation=self.organisation, pk=self.kwargs["pk"])

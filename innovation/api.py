"""The API's ideas and projects. Reading goes through queries.py with the list pages'
FilterSets; submitting an idea goes through the idea form's checks and services.idea_create,
exactly as the "Log an idea" page does."""

import functools

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import OrganisationAPIMixin
from innovation import exports, forecasts, forms, queries, services
from innovation.filters import IdeaFilter, ProjectFilter
from innovation.models import (
    RAG,
    BusinessCaseOption,
    Decision,
    Factor,
    ForwardPlanEntry,
    Idea,
    Project,
    ProjectType,
    Source,
)


class IdeaSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name", read_only=True)
    service_areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    # null for an idea not tied to an indicator or not sent to a campaign
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    campaign = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Idea
        fields = [
            "id",
            "reference",
            "title",
            "problem",
            "proposal",
            "source",
            "stage",
            "service_areas",
            "indicator",
            "campaign",
            "author",
            "created_at",
            "stage_changed_at",
        ]
        read_only_fields = fields


MAX_ID = 2**63 - 1


class IdeaSubmitSerializer(serializers.Serializer):
    """What an integration sends to log an idea; checked by the same form as the page."""

    title = serializers.CharField(max_length=200)
    problem = serializers.CharField()
    proposal = serializers.CharField()
    source = serializers.ChoiceField(choices=Source.choices)
    # Ids fit a bigint: a larger number is a 400 here, not an overflow in the database.
    service_areas = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1)
    indicator = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID, help_text="The indicator's id"
    )
    campaign = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice that is blank in the database until made: null in the API, as consumers of a
    nullable enum expect, rather than an empty string that is none of its values."""

    def to_representation(self, value):
        return super().to_representation(value) if value else None


def _forecast_fields() -> dict[str, serializers.Field]:
    """The portfolio export's actual and variance columns (innovation.forecasts), described for the
    schema; each reads the row that ProjectSerializer.to_representation works out once."""
    fields: dict[str, serializers.Field] = {}
    common = {"read_only": True, "allow_null": True}
    for name, label, direction, stem in forecasts.FIGURES:
        actual, variance, pct, *verdict = forecasts.column_names(stem, direction)
        if name == "years":
            amount = functools.partial(serializers.IntegerField, **common)
        else:
            amount = functools.partial(serializers.DecimalField, max_digits=16, decimal_places=2, **common)
        fields[actual] = amount(source=f"forecast_row.{actual}", help_text=f"{label}: actual; null before evaluation")
        fields[variance] = amount(source=f"forecast_row.{variance}", help_text=f"{label}: actual − forecast")
        fields[pct] = serializers.DecimalField(
            source=f"forecast_row.{pct}",
            max_digits=None,  # a tiny forecast can make a very large percentage
            decimal_places=1,
            help_text=f"{label}: the variance as a percentage of |forecast|; null where the forecast is 0",
            **common,
        )
        for column in verdict:
            fields[column] = serializers.ChoiceField(
                source=f"forecast_row.{column}",
                choices=forecasts.VERDICTS,
                help_text=f"{label}: better or worse than forecast",
                **common,
            )
    return fields


def _key_decision_fields() -> dict[str, serializers.Field]:
    """The portfolio export's key-decision columns (innovation.exports.key_decision_columns)."""
    common = {"read_only": True}
    return {
        "key_decision": serializers.BooleanField(
            source="key_decision_row.key_decision",
            help_text="At or above the organisation's key-decision threshold: on the forward plan before deciding",
            **common,
        ),
        "decision_value": serializers.DecimalField(
            source="key_decision_row.decision_value",
            max_digits=16,
            decimal_places=2,
            allow_null=True,
            help_text="The larger of the budget and the innovate option's whole-life cost; null with no threshold",
            **common,
        ),
        "forward_plan_published": serializers.DateField(
            source="key_decision_row.forward_plan_published", allow_null=True, **common
        ),
        "earliest_decision_date": serializers.DateField(
            source="key_decision_row.earliest_decision_date",
            allow_null=True,
            help_text="28 clear days after publication, or sooner by an urgency route; null when not on the plan",
            **common,
        ),
        "urgency_route": serializers.ChoiceField(
            source="key_decision_row.urgency_route",
            choices=ForwardPlanEntry.Route.choices,
            allow_null=True,
            **common,
        ),
    }


class ProjectSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.full_name", read_only=True)
    sponsor = serializers.CharField(source="sponsor.full_name", read_only=True, default=None, allow_null=True)
    rag = BlankAsNullChoiceField(
        choices=RAG.choices, read_only=True, allow_null=True, help_text="null until the project is given a RAG status"
    )
    service_areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "reference",
            "title",
            "summary",
            "stage",
            "stage_changed_at",
            "owner",
            "sponsor",
            "service_areas",
            "budget",
            "spend_to_date",
            "rag",
            "created_at",
        ]
        read_only_fields = fields

    def get_fields(self):
        return {
            **super().get_fields(),
            **_forecast_fields(),
            "evidence_level": serializers.IntegerField(
                source="evidence_row.level",
                read_only=True,
                allow_null=True,
                help_text="The level of evidence its evaluation reached, 1 to 5 (Nesta's Standards of Evidence); "
                "null before evaluation or where none was recorded",
            ),
            "evidence_level_name": serializers.CharField(
                source="evidence_row.name",
                read_only=True,
                allow_null=True,
                help_text='"Level 2: data showing change"; null before evaluation',
            ),
            **_key_decision_fields(),
        }

    def to_representation(self, instance):
        instance.forecast_row = forecasts.columns(forecasts.project_compare(instance))
        evaluation = getattr(instance, "evaluation", None)
        instance.evidence_row = {
            "level": evaluation.evidence_level if evaluation else None,
            "name": evaluation.evidence_label if evaluation else None,
        }
        instance.key_decision_row = exports.key_decision_columns(instance)
        return super().to_representation(instance)


MONEY_FIELD = {"max_digits": 16, "decimal_places": 2, "read_only": True, "allow_null": True}
PERCENT_FIELD = {"max_digits": None, "decimal_places": 4, "read_only": True, "allow_null": True}


class OptionAppraisalSerializer(serializers.Serializer):
    """One option as written and after the optimism bias uplift (innovation.optimism)."""

    kind = serializers.ChoiceField(choices=BusinessCaseOption.Kind.choices, read_only=True)
    project_type = BlankAsNullChoiceField(
        source="option.project_type", choices=ProjectType.choices, read_only=True, allow_null=True
    )
    one_off_cost = serializers.DecimalField(source="option.one_off_cost", **MONEY_FIELD)
    yearly_running_cost = serializers.DecimalField(source="option.running_cost", **MONEY_FIELD)
    yearly_benefit = serializers.DecimalField(source="option.benefit", **MONEY_FIELD)
    years = serializers.IntegerField(source="option.years", read_only=True, allow_null=True)
    delivery_months = serializers.IntegerField(source="option.delivery_months", read_only=True, allow_null=True)
    net_value = serializers.DecimalField(**MONEY_FIELD)
    cost_uplift_pct = serializers.DecimalField(
        source="cost_uplift",
        help_text="On the one-off cost, or the yearly running cost for outsourcing",
        **PERCENT_FIELD,
    )
    duration_uplift_pct = serializers.DecimalField(source="duration_uplift", **PERCENT_FIELD)
    adjusted_one_off_cost = serializers.DecimalField(**MONEY_FIELD)
    adjusted_yearly_running_cost = serializers.DecimalField(source="adjusted_running_cost", **MONEY_FIELD)
    adjusted_delivery_months = serializers.DecimalField(
        max_digits=None, decimal_places=1, read_only=True, allow_null=True
    )
    adjusted_net_value = serializers.DecimalField(**MONEY_FIELD)
    rank = serializers.IntegerField(read_only=True, allow_null=True, help_text="1: highest net value as written")
    adjusted_rank = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="1: highest net value after the uplift"
    )


class MitigationSerializer(serializers.Serializer):
    factor = serializers.ChoiceField(choices=Factor.choices, read_only=True)
    share_mitigated = serializers.IntegerField(read_only=True, help_text="Per cent of the factor mitigated, 0–100")
    how = serializers.CharField(read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)


class BusinessCaseAppraisalSerializer(serializers.Serializer):
    options = OptionAppraisalSerializer(many=True, read_only=True)
    mitigations = MitigationSerializer(many=True, read_only=True)
    order_changed = serializers.BooleanField(read_only=True)


class IdeaViewSet(OrganisationAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The organisation's ideas, as the idea list shows them; POST logs a new one."""

    model = Idea
    permission = "innovation.view"
    write_permission = "innovation.add_idea"
    serializer_class = IdeaSerializer
    filterset_class = IdeaFilter

    def organisation_queryset(self):
        return queries.idea_list(organisation=self.organisation, user=self.request.user).select_related("indicator")

    def get_object(self):
        queries.idea_get_by_id(organisation=self.organisation, pk=self.kwargs["pk"])  # 404 outside the organisation
        return super().get_object()

    @extend_schema(request=IdeaSubmitSerializer, responses={201: IdeaSerializer})
    def create(self, request, *args, **kwargs):
        submitted = IdeaSubmitSerializer(data=request.data)
        submitted.is_valid(raise_exception=True)
        data = {key: value for key, value in submitted.validated_data.items() if value is not None}
        form = forms.IdeaForm({**data, "seen_duplicates": True}, organisation=self.organisation)
        if not form.is_valid():
            raise serializers.ValidationError({key: [str(e) for e in errors] for key, errors in form.errors.items()})
        try:
            idea = services.idea_create(actor=request.user, organisation=self.organisation, **form.service_kwargs())
        except services.InnovationError as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error
        idea = self.get_queryset().get(pk=idea.pk)
        return Response(IdeaSerializer(idea).data, status=status.HTTP_201_CREATED)


class ProjectViewSet(OrganisationAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The organisation's portfolio: every project, finished ones included."""

    model = Project
    permission = "innovation.view"
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def organisation_queryset(self):
        return queries.project_list(organisation=self.organisation).with_forecast_and_actual().with_key_decision()

    @extend_schema(responses=BusinessCaseAppraisalSerializer)
    @action(detail=True, url_path="business-case")
    def business_case(self, request, pk=None):
        """The project's options appraisal: each option as written and after the optimism bias uplift."""
        project = queries.project_get(organisation=self.organisation, pk=pk)
        _case, appraisal = queries.project_appraisal(project=project)
        return Response(BusinessCaseAppraisalSerializer(appraisal).data)


# ---------------------------------------------------------------- records of decision


class _DecisionMakerSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()
    present = serializers.BooleanField()
    took_part = serializers.BooleanField()
    note = serializers.CharField()


class _OptionRejectedSerializer(serializers.Serializer):
    label = serializers.CharField()
    net_value = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    reason = serializers.CharField()


class _InterestSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    dispensation = serializers.CharField(help_text="Who granted it and when; empty when none was granted.")
    took_part = serializers.BooleanField()


class _AcceptedRiskSerializer(serializers.Serializer):
    title = serializers.CharField()
    residual_score = serializers.IntegerField(allow_null=True)


class _DocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    detail = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    """A record of decision, in the one shape its page, PDF and export read (queries.decision_record)."""

    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    project_reference = serializers.IntegerField()
    project_title = serializers.CharField()
    decided_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    statement = serializers.CharField()
    made_by = serializers.CharField()
    decision_taken_by = serializers.CharField(source="body")
    quorum = serializers.IntegerField(allow_null=True)
    decision_makers = _DecisionMakerSerializer(source="makers", many=True)
    reasons = serializers.CharField()
    chosen_option = serializers.CharField()
    options_rejected = _OptionRejectedSerializer(many=True)
    interests = _InterestSerializer(many=True)
    accepted_risks = _AcceptedRiskSerializer(many=True)
    documents = _DocumentSerializer(many=True)
    supersedes = serializers.CharField(help_text="The reference of the record this one supersedes, or empty.")
    recorded_by = serializers.CharField()
    language = serializers.CharField(help_text='The language the reasons are written in: "en-gb" or "cy"')
    reasons_translation = serializers.CharField(
        help_text="The reasons in the other language, when the decision-maker gave them; else empty"
    )

    def to_representation(self, instance):
        return super().to_representation(queries.decision_record(instance, as_written=True))


class DecisionViewSet(OrganisationAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The organisation's records of decision at the approval gate, newest first."""

    model = Decision
    permission = "innovation.view"
    serializer_class = DecisionSerializer

    def organisation_queryset(self):
        return queries.decision_list(organisation=self.organisation)

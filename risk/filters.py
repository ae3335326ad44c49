"""Filtering and sorting the risk registers, and the heat-map cell each register link selects."""

import django_filters
from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.renderers import LongSelect
from innovation.models import Project
from portfolio.models import ServiceArea
from risk import scoring
from risk.forms import PersonChoiceField, people_of
from risk.models import Category, Status

YES_NO = [("", _("Any")), ("yes", _("Only overdue reviews"))]

# The heat map links to these: one cell of the inherent or the residual map.
CELL_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


class PersonFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


class ProjectChoiceIterator(forms.models.ModelChoiceIterator):
    """The projects offered: those with a risk assessment (any other would list no risks; there
    may be thousands), as (id, title) pairs straight from the database, with no model objects made.
    Any project of the field's queryset is still a valid choice, as a link or the API may name one."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.filter(risk_assessment__isnull=False).values_list("pk", "title")


class ProjectChoiceField(forms.ModelChoiceField):
    iterator = ProjectChoiceIterator


class ProjectFilter(django_filters.ModelChoiceFilter):
    field_class = ProjectChoiceField


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Sorts risks without a residual score (or a review date) last, in either direction, on every database."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = self.param_map[param.lstrip("-")]
        return F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)


class RiskFilter(django_filters.FilterSet):
    band = django_filters.ChoiceFilter(
        label=_("Residual band"), choices=scoring.Band.choices, empty_label=_("Any band"), method="filter_band"
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices, empty_label=_("Any category"))
    owner = PersonFilter(label=_("Owner"), queryset=None, empty_label=_("Anyone"))
    overdue = django_filters.ChoiceFilter(
        label=_("Review"), choices=YES_NO[1:], empty_label=_("Any review date"), method="filter_overdue"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("Any status"))
    project = ProjectFilter(
        label=_("Project"),
        field_name="assessment__project",
        queryset=None,
        empty_label=_("Any project"),
        widget=LongSelect,
    )
    service_area = django_filters.ModelChoiceFilter(
        label=_("Service area"), queryset=None, empty_label=_("Any service area"), method="filter_service_area"
    )
    inherent_likelihood = django_filters.NumberFilter(widget=forms.HiddenInput)
    inherent_impact = django_filters.NumberFilter(widget=forms.HiddenInput)
    residual_likelihood = django_filters.NumberFilter(widget=forms.HiddenInput)
    residual_impact = django_filters.NumberFilter(widget=forms.HiddenInput)
    sort = NullsLastOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("residual_score", "residual"),
            ("inherent_score", "inherent"),
            ("review_date", "review"),
            ("title", "title"),
            ("assessment__project__title", "project"),
            ("owner__full_name", "owner"),
            ("category", "category"),
        ),
        field_labels={
            "-residual": _("Residual score, highest first"),
            "residual": _("Residual score, lowest first"),
            "-inherent": _("Inherent score, highest first"),
            "inherent": _("Inherent score, lowest first"),
            "review": _("Review date, soonest first"),
            "-review": _("Review date, latest first"),
            "title": _("Risk, A to Z"),
            "-title": _("Risk, Z to A"),
            "project": _("Project, A to Z"),
            "-project": _("Project, Z to A"),
            "owner": _("Owner, A to Z"),
            "-owner": _("Owner, Z to A"),
            "category": _("Category, A to Z"),
            "-category": _("Category, Z to A"),
        },
        empty_label=_("Highest risk first"),
    )

    def __init__(self, data=None, queryset=None, *, organisation: Organisation, with_project: bool = True, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["owner"].queryset = people_of(organisation)
        self.filters["project"].queryset = Project.objects.for_organisation(organisation).live().order_by("title")
        self.filters["service_area"].queryset = ServiceArea.objects.for_organisation(organisation)
        if not with_project:
            del self.filters["project"]
            del self.filters["service_area"]
        # django-filter wraps the sort's select in a CSV widget, which the GOV.UK field template cannot place.
        self.form.fields["sort"].widget.attrs["class"] = "govuk-select"

    def filter_band(self, queryset, name, value):
        return queryset.in_band(value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value == "yes" else queryset

    def filter_service_area(self, queryset, name, value):
        if not value:
            return queryset
        # Through a subquery, not a join, so that a project in several areas lists each risk once.
        return queryset.filter(assessment__project__in=Project.objects.filter(service_areas=value).values("pk"))

    @property
    def visible_fields(self):
        return [field for field in self.form if not field.is_hidden]

    @property
    def hidden_fields(self):
        return [field for field in self.form if field.is_hidden]

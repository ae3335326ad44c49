"""The sector library's filters (django-filter). Full-text search is in queries.library_search.

The region filter finds an anonymised lesson of another organisation only where its region
may be shown (sharing.reading.region_may_be_shown): otherwise "county councils in Yorkshire
and The Humber" would find North Yorkshire's anonymised lessons, and so name it.
"""

import django_filters
from django import forms
from django.db.models import Q

from accounts.models import Organisation, Region
from innovation import evidence
from portfolio.models import Service
from sharing.models import CostBand, Lesson, Outcome, anonymised_to_outsiders
from sharing.queries import SORT_EVIDENCE
from sharing.reading import region_may_be_shown

TRANSFERABILITY_CHOICES = [(str(n), f"{n} or more") for n in range(1, 6)]
SORT_CHOICES = [(SORT_EVIDENCE, "Strongest evidence first")]
EVIDENCE_CHOICES = [(str(level.number), f"Level {level.number} or more: {level.name}") for level in evidence.LEVELS]


class LessonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search lessons", method="ignore")
    service = django_filters.ChoiceFilter(label="Service area", choices=Service.choices, empty_label="Any service")
    outcome = django_filters.ChoiceFilter(label="Outcome", choices=Outcome.choices, empty_label="Any outcome")
    organisation_kind = django_filters.ChoiceFilter(
        label="Kind of organisation",
        field_name="organisation__kind",
        choices=[c for c in Organisation.Kind.choices if c[0] != Organisation.Kind.SECTOR_BODY],
        empty_label="Any kind",
    )
    region = django_filters.ChoiceFilter(
        label="Region", choices=Region.choices, empty_label="Any region", method="in_region"
    )
    cost_band = django_filters.ChoiceFilter(label="Cost", choices=CostBand.choices, empty_label="Any cost")
    transferability = django_filters.ChoiceFilter(
        label="Transferability",
        field_name="transferability",
        lookup_expr="gte",
        choices=TRANSFERABILITY_CHOICES,
        empty_label="Any",
    )
    evidence_level = django_filters.ChoiceFilter(
        label="Level of evidence",
        field_name="evidence_level",
        lookup_expr="gte",
        choices=EVIDENCE_CHOICES,
        empty_label="Any level",
    )
    # The order is queries.library_search's; here only so that it is read and checked with the filters.
    sort = django_filters.ChoiceFilter(
        label="Order",
        choices=SORT_CHOICES,
        empty_label="Featured first, then newest",
        method="ignore",
    )
    featured = django_filters.BooleanFilter(
        label="Featured practice only",
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
        method="featured_only",
    )

    class Meta:
        model = Lesson
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, organisation: Organisation | None = None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.reader = organisation  # the organisation whose anonymised lessons are not anonymised to it

    def in_region(self, queryset, name, value):
        kinds_shown = [kind for kind in Organisation.Kind.values if region_may_be_shown(kind=kind, region=value)]
        shown = ~anonymised_to_outsiders() | Q(organisation__kind__in=kinds_shown)
        if self.reader is not None:
            shown |= Q(organisation=self.reader)
        return queryset.filter(Q(organisation__region=value) & shown)

    def ignore(self, queryset, name, value):
        # The search words are matched by queries.library_search, which also ranks.
        return queryset

    def featured_only(self, queryset, name, value):
        return queryset.filter(featured=True) if value else queryset

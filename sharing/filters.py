"""The sector library's filters (django-filter). Full-text search is in queries.library_search.

Region is not offered: the ONS codes Lantern holds (2021 local-authority codes) do not say
which English region an authority is in, and guessing would mislead.
"""

import django_filters
from django import forms

from accounts.models import Organisation
from portfolio.models import Service
from sharing.models import CostBand, Lesson, Outcome

TRANSFERABILITY_CHOICES = [(str(n), f"{n} or more") for n in range(1, 6)]


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
    cost_band = django_filters.ChoiceFilter(label="Cost", choices=CostBand.choices, empty_label="Any cost")
    transferability = django_filters.ChoiceFilter(
        label="Transferability",
        field_name="transferability",
        lookup_expr="gte",
        choices=TRANSFERABILITY_CHOICES,
        empty_label="Any",
    )
    featured = django_filters.BooleanFilter(
        label="Featured practice only",
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
        method="featured_only",
    )

    class Meta:
        model = Lesson
        fields: list[str] = []

    def ignore(self, queryset, name, value):
        # The search words are matched by queries.library_search, which also ranks.
        return queryset

    def featured_only(self, queryset, name, value):
        return queryset.filter(featured=True) if value else queryset

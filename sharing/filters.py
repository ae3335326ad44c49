"""The sector library's filters (django-filter). Full-text search is in queries.library_search.

The region filter finds an anonymised lesson of another organisation only where its region
may be shown (sharing.reading.region_may_be_shown): otherwise "county councils in Yorkshire
and The Humber" would find North Yorkshire's anonymised lessons, and so name it.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region
from innovation import evidence
from portfolio.models import Service
from sharing.models import CostBand, Lesson, Outcome, anonymised_to_outsiders
from sharing.queries import SORT_EVIDENCE
from sharing.reading import region_may_be_shown


def _at_least(number: int) -> str:
    # Translators: a transferability score chosen as a filter, e.g. "3 or more" (out of 5).
    return gettext("%(number)s or more") % {"number": number}


def _level_at_least(number: int, name: str) -> str:
    # Translators: a level of evidence chosen as a filter, e.g. "Level 2 or more: data showing change".
    return gettext("Level %(number)s or more: %(name)s") % {"number": number, "name": name}


# Lazy, so that each page's filter reads in its reader's language.
TRANSFERABILITY_CHOICES = [(str(n), lazy(_at_least, str)(n)) for n in range(1, 6)]
SORT_CHOICES = [(SORT_EVIDENCE, _("Strongest evidence first"))]
EVIDENCE_CHOICES = [
    (str(level.number), lazy(_level_at_least, str)(level.number, level.name)) for level in evidence.LEVELS
]


class LessonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search lessons"), method="ignore")
    service = django_filters.ChoiceFilter(
        label=_("Service area"), choices=Service.choices, empty_label=_("Any service")
    )
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=Outcome.choices, empty_label=_("Any outcome"))
    organisation_kind = django_filters.ChoiceFilter(
        label=_("Kind of organisation"),
        field_name="organisation__kind",
        choices=[c for c in Organisation.Kind.choices if c[0] != Organisation.Kind.SECTOR_BODY],
        empty_label=_("Any kind"),
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, empty_label=_("Any region"), method="in_region"
    )
    cost_band = django_filters.ChoiceFilter(label=_("Cost"), choices=CostBand.choices, empty_label=_("Any cost"))
    transferability = django_filters.ChoiceFilter(
        label=_("Transferability"),
        field_name="transferability",
        lookup_expr="gte",
        choices=TRANSFERABILITY_CHOICES,
        empty_label=_("Any"),
    )
    evidence_level = django_filters.ChoiceFilter(
        label=_("Level of evidence"),
        field_name="evidence_level",
        lookup_expr="gte",
        choices=EVIDENCE_CHOICES,
        empty_label=_("Any level"),
    )
    # The order is queries.library_search's; here only so that it is read and checked with the filters.
    sort = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=SORT_CHOICES,
        empty_label=_("Featured first, then newest"),
        method="ignore",
    )
    featured = django_filters.BooleanFilter(
        label=_("Featured practice only"),
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

"""The idea list's filters and text search; every choice list is the organisation's own."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from innovation.models import Campaign, IdeaStage, ProjectStage, Source
from portfolio.models import ServiceArea


class IdeaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=IdeaStage.choices, empty_label=_("Any stage"))
    service_area = django_filters.ModelChoiceFilter(
        label=_("Service area"), field_name="service_areas", queryset=ServiceArea.objects.none(), empty_label=_("Any")
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices, empty_label=_("Any source"))
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.none(), empty_label=_("Any campaign")
    )
    author = django_filters.ModelChoiceFilter(
        label=_("Logged by"), queryset=User.objects.none(), empty_label=_("Anyone")
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["service_area"].queryset = ServiceArea.objects.for_organisation(organisation)
        self.filters["campaign"].queryset = Campaign.objects.for_organisation(organisation)
        # Past members too, but never someone only invited: their account is not yet the organisation's to see.
        self.filters["author"].queryset = User.objects.filter(
            memberships__organisation=organisation, memberships__accepted_at__isnull=False
        ).distinct()
        for name in ("q",):
            self.filters[name].field.widget = forms.TextInput(attrs={"type": "search"})

    def search(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(problem__icontains=word) | Q(proposal__icontains=word)
            )
        return queryset


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=ProjectStage.choices, empty_label=_("Any stage"))
    service_area = django_filters.ModelChoiceFilter(
        label=_("Service area"), field_name="service_areas", queryset=ServiceArea.objects.none(), empty_label=_("Any")
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["service_area"].queryset = ServiceArea.objects.for_organisation(organisation)

    def search(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        return queryset

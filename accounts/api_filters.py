"""The API's filter backend, in a module of its own: DRF reads it from settings while its
own generic views are being defined, so it must not import them (accounts.api does)."""

from django_filters.rest_framework import DjangoFilterBackend


class OrganisationFilterBackend(DjangoFilterBackend):
    """django-filter for the API, giving each page's FilterSet the organisation it needs for its choices."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        organisation = getattr(view, "organisation", None)
        if organisation is not None and getattr(view, "filterset_wants_organisation", True):
            kwargs["organisation"] = organisation
        return kwargs

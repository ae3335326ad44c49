"""The pages on which an organisation's admins keep its service areas and its own indicators."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import organisation_required, permission_required
from portfolio import queries, services
from portfolio.forms import IndicatorForm, ServiceAreaForm


def _posted(request):
    return request.POST if request.method == "POST" else None


@permission_required("portfolio.manage_indicators")
def service_area_list_view(request):
    areas = queries.service_area_list(organisation=request.organisation)
    return render(request, "portfolio/service_areas.html", {"areas": areas})


@permission_required("portfolio.manage_indicators")
@require_http_methods(["GET", "POST"])
def service_area_create_view(request):
    form = ServiceAreaForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            area = services.service_area_create(
                actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except services.ReferenceDataError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The service area %(name)s has been added.") % {"name": area.name})
            return redirect("portfolio:service-areas")
    return render(request, "portfolio/service_area_form.html", {"form": form, "area": None})


@organisation_required
@require_http_methods(["GET", "POST"])
def service_area_edit_view(request, pk):
    area = queries.service_area_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    form = ServiceAreaForm(_posted(request), initial={"name": area.name, "service": area.service})
    if request.method == "POST" and form.is_valid():
        try:
            services.service_area_update(actor=request.user, service_area=area, **form.cleaned_data)
        except services.ReferenceDataError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The service area %(name)s has been saved.") % {"name": area.name})
            return redirect("portfolio:service-areas")
    return render(request, "portfolio/service_area_form.html", {"form": form, "area": area})


@permission_required("portfolio.manage_indicators")
def indicator_list_view(request):
    context = {
        "own": queries.indicator_own_list(organisation=request.organisation),
        "catalogue": queries.indicator_catalogue(),
    }
    return render(request, "portfolio/indicators.html", context)


@permission_required("portfolio.manage_indicators")
@require_http_methods(["GET", "POST"])
def indicator_create_view(request):
    form = IndicatorForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except services.ReferenceDataError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("The indicator %(code)s has been added.") % {"code": indicator.code})
            return redirect("portfolio:indicators")
    return render(request, "portfolio/indicator_form.html", {"form": form, "indicator": None})


@organisation_required
@require_http_methods(["GET", "POST"])
def indicator_edit_view(request, pk):
    indicator = queries.indicator_own_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    locked = services.indicator_has_data(indicator=indicator)
    initial = {f: getattr(indicator, f) for f in ("code", "name", "unit", "polarity", "frequency", "service")}
    form = IndicatorForm(_posted(request), initial={**initial, "description": indicator.description}, locked=locked)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(actor=request.user, indicator=indicator, **form.cleaned_data)
        except services.ReferenceDataError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The indicator %(code)s has been saved.") % {"code": indicator.code})
            return redirect("portfolio:indicators")
    context = {"form": form, "indicator": indicator, "locked": locked}
    return render(request, "portfolio/indicator_form.html", context)


@organisation_required
@require_http_methods(["GET", "POST"])
def indicator_retire_view(request, pk):
    """Retire (or, for a retired one, bring back) an own indicator; delete it if it has no data."""
    indicator = queries.indicator_own_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    has_data = services.indicator_has_data(indicator=indicator)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        verbs = {
            "retire": (services.indicator_retire, _("The indicator %(code)s has been retired. Its figures are kept.")),
            "reinstate": (services.indicator_reinstate, _("The indicator %(code)s is in use again.")),
            "delete": (services.indicator_delete, _("The indicator %(code)s has been deleted.")),
        }
        if action not in verbs:
            error = _("Choose what to do with the indicator")
        else:
            change, said = verbs[action]
            try:
                change(actor=request.user, indicator=indicator)
            except services.ReferenceDataError as exc:
                error = str(exc)
            else:
                messages.success(request, said % {"code": indicator.code})
                return redirect("portfolio:indicators")
    context = {"indicator": indicator, "has_data": has_data, "error": error}
    return render(request, "portfolio/indicator_retire.html", context)

"""Optimism bias pages: recording a project's mitigations, and the organisation's uplift table."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import permission_required
from innovation import forms, optimism, queries, services
from innovation.models import Factor, ProjectType


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def optimism_mitigation_view(request, pk):
    project = queries.project_get(organisation=request.organisation, pk=pk)
    form = forms.MitigationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.optimism_mitigation_record(actor=request.user, project=project, **form.cleaned_data)
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The mitigation has been recorded and the optimism bias uplift worked out again.")
            )
            return redirect(f"{project.get_absolute_url()}#optimism-bias")
    case, appraisal = queries.project_appraisal(project=project)
    context = {"project": project, "form": form, "appraisal": appraisal, "business_case": case}
    return render(request, "innovation/optimism_mitigation_form.html", context)


@permission_required("innovation.view")
def optimism_table_view(request):
    context = {
        "table": queries.optimism_table(organisation=request.organisation),
        "history": queries.optimism_override_history(organisation=request.organisation),
        "factors": [
            (factor, label, [weights[factor] for weights in optimism.factor_weights().values()])
            for factor, label in Factor.choices
        ],
    }
    return render(request, "innovation/optimism_table.html", context)


@permission_required("innovation.manage_optimism_bias")
@require_http_methods(["GET", "POST"])
def optimism_override_view(request, project_type):
    if project_type not in ProjectType.values:
        raise Http404
    guidance = optimism.guidance_bounds()[project_type]

    current = next(
        (o for o in queries.optimism_overrides(organisation=request.organisation) if o.project_type == project_type),
        None,
    )
    initial = {name: getattr(current or guidance, name) for name in optimism.BOUNDS}
    form = forms.OptimismOverrideForm(request.POST or None, guidance=guidance, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.optimism_override_set(
                actor=request.user, organisation=request.organisation, project_type=project_type, **form.cleaned_data
            )
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The organisation’s own uplifts have been saved, with the reason."))
            return redirect("innovation:optimism-table")
    context = {
        "form": form,
        "label": ProjectType(project_type).label,
        "guidance": guidance,
        "current": current,
    }
    return render(request, "innovation/optimism_override_form.html", context)

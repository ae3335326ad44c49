"""Key decisions: the threshold, the forward plan (staff and public) and a project's entry on it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import permission_required
from innovation import forms, key_decisions, queries, services
from innovation.queries import forward_plan as plan_queries
from innovation.views.projects import _simple_form_page


@permission_required("innovation.view")
def forward_plan_view(request):
    context = {
        "items": plan_queries.forward_plan(organisation=request.organisation),
        "threshold": key_decisions.threshold_for(request.organisation),
        "publishes": hasattr(request.organisation, "key_decision_threshold"),
    }
    return render(request, "innovation/forward_plan.html", context)


@permission_required("innovation.set_key_decision_threshold")
@require_http_methods(["GET", "POST"])
def key_decision_threshold_view(request):
    initial = {"amount": key_decisions.threshold_for(request.organisation)}
    form = forms.KeyDecisionThresholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_decision_threshold_set(
                actor=request.user, organisation=request.organisation, amount=form.cleaned_data["amount"]
            )
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The key-decision threshold is saved."))
            return redirect("innovation:forward-plan")
    return render(request, "innovation/key_decision_threshold.html", {"form": form})


@permission_required("innovation.manage_forward_plan")
@require_http_methods(["GET", "POST"])
def forward_plan_entry_view(request, pk):
    project = queries.project_get(organisation=request.organisation, pk=pk)
    entry = key_decisions.entry_for(project)
    initial = {}
    if entry is not None:
        initial = {
            "decision_maker": entry.decision_maker,
            "expected_date": entry.expected_date,
            "documents": entry.documents,
        }
    return _simple_form_page(
        request,
        pk,
        form=forms.ForwardPlanForm(request.POST or None, initial=initial),
        template="innovation/forward_plan_form.html",
        heading=_("Change the forward plan entry") if entry else _("Add to the forward plan"),
        call=lambda project, data: services.forward_plan_add(actor=request.user, project=project, **data),
        success=_("The forward plan entry is saved.")
        if entry
        else _("The decision is on the forward plan, published today."),
        context={"status": key_decisions.status_for(project), "entry": entry},
    )


@permission_required("innovation.manage_forward_plan")
@require_http_methods(["GET", "POST"])
def forward_plan_exception_view(request, pk):
    project = queries.project_get(organisation=request.organisation, pk=pk)
    form = forms.ForwardPlanExceptionForm(request.POST or None)
    return _simple_form_page(
        request,
        pk,
        form=form,
        template="innovation/forward_plan_exception.html",
        heading=_("Record an urgency route"),
        call=lambda project, data: services.forward_plan_exception_record(actor=request.user, project=project, **data),
        success=_("The urgency route is recorded and published on the forward plan."),
        context={"status": key_decisions.status_for(project), "descriptions": form.DESCRIPTIONS},
    )


@require_GET
def public_forward_plan_view(request, organisation):
    found = plan_queries.public_forward_plan_organisation(pk=organisation)
    items = plan_queries.forward_plan(organisation=found)
    return render(request, "innovation/public/forward_plan.html", {"organisation": found, "items": items})

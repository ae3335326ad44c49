"""Records of decision: each record's page, the organisation's list of them, the admin's page of
decision arrangements, and (for an organisation that publishes them) the public pages."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import permission_required
from innovation import forms, queries, services


@permission_required("innovation.view")
def decision_list_view(request):
    decisions = queries.decision_list(organisation=request.organisation)
    return render(
        request,
        "innovation/decision_list.html",
        {
            "records": [queries.decision_record(decision) for decision in decisions[:200]],
            "published": queries.decisions_published(organisation=request.organisation),
        },
    )


@permission_required("innovation.view")
def decision_detail_view(request, pk):
    decision = queries.decision_get(organisation=request.organisation, pk=pk)
    return render(
        request,
        "innovation/decision_detail.html",
        {
            "decision": decision,
            "record": queries.decision_record(decision),
            "published": queries.decisions_published(organisation=request.organisation),
        },
    )


@permission_required("innovation.manage_decision_arrangement")
@require_http_methods(["GET", "POST"])
def decision_arrangement_view(request):
    arrangement = services.decision_arrangement_for(request.organisation)
    form = forms.DecisionArrangementForm(
        request.POST or None, organisation=request.organisation, arrangement=arrangement
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_arrangement_save(
                actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision arrangements have been saved."))
            return redirect("innovation:decision-arrangement")
    return render(request, "innovation/decision_arrangement.html", {"form": form, "arrangement": arrangement})


@require_GET
def public_decision_list_view(request, organisation):
    organisation = queries.published_organisation_get(pk=organisation)
    decisions = queries.decision_list(organisation=organisation)[:200]
    return render(
        request,
        "innovation/public_decision_list.html",
        {"organisation": organisation, "records": [queries.decision_record(d, public=True) for d in decisions]},
    )


@require_GET
def public_decision_detail_view(request, organisation, pk):
    organisation = queries.published_organisation_get(pk=organisation)
    decision = get_object_or_404(queries.decision_list(organisation=organisation), pk=pk)
    return render(
        request,
        "innovation/public_decision_detail.html",
        {"organisation": organisation, "record": queries.decision_record(decision, public=True)},
    )

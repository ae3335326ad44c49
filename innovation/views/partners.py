"""A partner organisation's people (R5, R6): the campaigns opened to their organisation, giving an
idea to one, and what became of their own ideas. Nothing else of the council is theirs to see."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import permission_required
from innovation import forms
from innovation.queries import outsiders as queries
from innovation.services import InnovationError, originators
from innovation.services import outsiders as services
from innovation.views.common import paginate


@permission_required("innovation.give_partner_idea")
@require_GET
def partner_campaign_list_view(request):
    campaigns = queries.partner_campaign_list(user=request.user, organisation=request.organisation)
    return render(request, "innovation/partner/campaign_list.html", {"page": paginate(request, campaigns)})


@permission_required("innovation.give_partner_idea")
@require_http_methods(["GET", "POST"])
def partner_campaign_view(request, pk):
    campaign = queries.partner_campaign_get(user=request.user, organisation=request.organisation, pk=pk)
    form = forms.OutsiderIdeaForm(request.POST or None, hints_url=reverse("innovation:partner-similar", args=[pk]))
    duplicates = []
    if request.method == "POST" and campaign.is_open and form.is_valid():
        data = form.cleaned_data
        if not data["seen_duplicates"]:
            duplicates = queries.partner_similar(user=request.user, campaign=campaign, title=data["title"])
        if not duplicates:
            try:
                idea = services.partner_idea_create(
                    actor=request.user, campaign=campaign, **{k: data[k] for k in ("title", "problem", "proposal")}
                )
            except InnovationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Thank you. Your idea “%(title)s” has been sent to %(organisation)s.")
                    % {"title": idea.title, "organisation": campaign.organisation},
                )
                return redirect("innovation:partner-idea-list")
    context = {"campaign": campaign, "form": form, "duplicates": duplicates}
    return render(request, "innovation/partner/campaign.html", context)


@permission_required("innovation.give_partner_idea")
@require_GET
def partner_similar_view(request, pk):
    campaign = queries.partner_campaign_get(user=request.user, organisation=request.organisation, pk=pk)
    hints = queries.partner_similar(user=request.user, campaign=campaign, title=request.GET.get("title", "")[:200])
    return render(request, "innovation/includes/duplicate_hints.html", {"hints": hints, "public": True})


@permission_required("innovation.give_partner_idea")
@require_GET
def partner_idea_list_view(request):
    ideas = queries.partner_idea_list(user=request.user, organisation=request.organisation)
    page = paginate(request, ideas)
    rows = [(idea, originators.stage_words(idea)) for idea in page]
    return render(request, "innovation/partner/idea_list.html", {"page": page, "rows": rows})

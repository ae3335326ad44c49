"""Ideas, campaigns, screening and scorecards."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access, notices
from accounts.access import permission_required, refusals_shown_on
from innovation import forms, queries, services
from innovation.filters import IdeaFilter
from innovation.views.common import paginate


@permission_required("innovation.view")
def idea_list_view(request):
    ideas = queries.idea_list(organisation=request.organisation, user=request.user)
    filterset = IdeaFilter(request.GET or None, queryset=ideas, organisation=request.organisation)
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page}
    return render(request, "innovation/idea_list.html", context)


@permission_required("innovation.add_idea")
@require_http_methods(["GET", "POST"])
def idea_create_view(request):
    # The gap report links here with ?indicator=CODE for an indicator that needs innovation (R2).
    indicator = queries.indicator_by_code(request.GET.get("indicator", ""), organisation=request.organisation)
    initial = {"source": "staff", "campaign": request.GET.get("campaign"), "indicator": indicator}
    form = forms.IdeaForm(request.POST or None, organisation=request.organisation, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        # Likely duplicates are shown once, before saving; saving again means "mine is different".
        if not form.cleaned_data["seen_duplicates"]:
            duplicates = queries.idea_similar(
                organisation=request.organisation,
                title=form.cleaned_data["title"],
                problem=form.cleaned_data["problem"],
                proposal=form.cleaned_data.get("proposal", ""),
                indicator=form.cleaned_data.get("indicator"),
            )
        if not duplicates:
            try:
                idea = services.idea_create(
                    actor=request.user, organisation=request.organisation, **form.service_kwargs()
                )
            except services.InnovationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your idea “%(title)s” has been logged as idea %(reference)s.")
                    % {"title": idea.title, "reference": idea.reference},
                )
                return redirect(idea)
    context = {"form": form, "duplicates": duplicates}
    return render(request, "innovation/idea_form.html", context)


@permission_required("innovation.view")
def idea_detail_view(request, reference):
    idea = queries.idea_get(organisation=request.organisation, reference=reference)
    context = {
        "idea": idea,
        "comments": idea.comments.select_related("author"),
        "comment_form": forms.CommentForm(),
        "support_count": idea.supports.count(),
        "supported": idea.supports.filter(user=request.user).exists(),
        "transitions": idea.transitions.select_related("actor"),
        "service_areas": idea.service_areas.all(),
        "my_scorecard": idea.scorecards.filter(assessor=request.user).first(),
        "project": getattr(idea, "project", None),
        "merged_in": idea.merged.order_by("reference"),
    }
    return render(request, "innovation/idea_detail.html", context)


@permission_required("innovation.view")
@require_http_methods(["GET", "POST"])
def idea_edit_view(request, reference):
    idea = queries.idea_get(organisation=request.organisation, reference=reference)
    access.require(request.user, "innovation.change_idea", idea)
    initial = {
        "title": idea.title,
        "problem": idea.problem,
        "proposal": idea.proposal,
        "source": idea.source,
        "service_areas": list(idea.service_areas.all()),
        "indicator": idea.indicator,
        "campaign": idea.campaign,
        "version": idea.version,
        "seen_duplicates": True,
    }
    form = forms.IdeaForm(request.POST or None, organisation=request.organisation, idea=idea, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(
                actor=request.user, idea=idea, version=form.cleaned_data["version"] or 0, **form.service_kwargs()
            )
        except services.ConcurrentEditError as error:
            # Keep what they typed; saving again knowingly replaces the other person's version.
            form.add_error(None, str(error))
            idea.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = idea.version
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(idea)
    return render(request, "innovation/idea_form.html", {"form": form, "idea": idea})


@permission_required("innovation.comment_idea")
@require_POST
def idea_comment_view(request, reference):
    idea = queries.idea_get(organisation=request.organisation, reference=reference)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter your comment."))
        return redirect(idea)
    services.idea_comment(actor=request.user, idea=idea, body=form.cleaned_data["body"])
    messages.success(request, _("Your comment has been added."))
    return redirect(f"{idea.get_absolute_url()}#comments")


@permission_required("innovation.support_idea")
@require_POST
def idea_support_view(request, reference):
    idea = queries.idea_get(organisation=request.organisation, reference=reference)
    if request.POST.get("support") == "no":
        services.idea_unsupport(actor=request.user, idea=idea)
        messages.success(request, _("You no longer support this idea."))
    else:
        services.idea_support(actor=request.user, idea=idea)
        messages.success(request, _("You support this idea."))
    return redirect(idea)


@permission_required("innovation.view")
@require_POST
@refusals_shown_on("innovation:idea-detail")
def idea_resubmit_view(request, reference):
    idea = queries.idea_get(organisation=request.organisation, reference=reference)
    access.require(request.user, "innovation.change_idea", idea)
    services.idea_resubmit(actor=request.user, idea=idea)
    messages.success(request, _("Your idea has been sent back for screening."))
    return redirect(idea)


# ---------------------------------------------------------------- screening


@permission_required("innovation.screen_idea")
def idea_screen_view(request, reference):
    idea = queries.idea_get(organisation=request.organisation, reference=reference)
    context = {
        "idea": idea,
        "summary": queries.screening_summary(idea=idea),
        "assign_form": forms.AssignAssessorForm(organisation=request.organisation),
        "duplicates": queries.idea_similar(
            organisation=request.organisation,
            title=idea.title,
            problem=idea.problem,
            proposal=idea.proposal,
            indicator=idea.indicator,
            exclude_pk=idea.pk,
        ),
        "is_lead": idea.lead_assessor_id == request.user.pk,
    }
    return render(request, "innovation/idea_screen.html", context)


@permission_required("innovation.screen_idea")
@require_POST
@refusals_shown_on("innovation:idea-screen")
def idea_start_screening_view(request, reference):
    idea = queries.idea_get(organisation=request.organisation, reference=reference)
    services.idea_start_screening(actor=request.user, idea=idea)
    messages.success(request, _("Screening has started. The author can no longer change the idea."))
    return redirect("innovation:idea-screen", reference=reference)


@permission_required("innovation.screen_idea")
@require_POST
@refusals_shown_on("innovation:idea-screen")
def idea_assign_assessor_view(request, reference):
    idea = queries.idea_get(organisation=request.organisation, reference=reference)
    form = forms.AssignAssessorForm(request.POST, organisation=request.organisation)
    if not form.is_valid():
        messages.error(request, _("Select an assessor."))
        return redirect("innovation:idea-screen", reference=reference)
    services.scorecard_assign(actor=request.user, idea=idea, **form.cleaned_data)
    messages.success(
        request, _("%(assessor)s has been asked to score this idea.") % {"assessor": form.cleaned_data["assessor"]}
    )
    return redirect("innovation:idea-screen", reference=reference)


@permission_required("innovation.view")
@require_http_methods(["GET", "POST"])
def idea_score_view(request, reference):
    idea = queries.idea_get(organisation=request.organisation, reference=reference)
    access.require(request.user, "innovation.score_idea", idea)
    summary = queries.screening_summary(idea=idea)
    card = next(c for c in summary.scorecards if c.assessor_id == request.user.pk)
    initial = {"notes": card.notes, **{f"criterion_{s.criterion_id}": s.score for s in card.scores.all()}}
    form = forms.ScoreForm(request.POST or None, criteria=summary.criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scorecard_submit(
                actor=request.user, idea=idea, scores=form.scores(), notes=form.cleaned_data["notes"]
            )
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your scores have been saved."))
            return redirect(idea)
    return render(request, "innovation/idea_score.html", {"idea": idea, "form": form})


SCREENING_VERBS = {
    "accept": (forms.AcceptForm, gettext_lazy("Accept this idea as a project"), "innovation/idea_decide.html"),
    "clarify": (
        forms.ClarifyForm,
        gettext_lazy("Send this idea back for clarification"),
        "innovation/idea_decide.html",
    ),
    "decline": (forms.DeclineForm, gettext_lazy("Decline this idea"), "innovation/idea_decide.html"),
    "merge": (forms.MergeForm, gettext_lazy("Merge this idea into a duplicate"), "innovation/idea_decide.html"),
}


def _screening_form(verb, request, idea):
    form_class = SCREENING_VERBS[verb][0]
    kwargs = {}
    if verb in ("accept", "merge"):
        kwargs["organisation"] = request.organisation
    if verb == "merge":
        kwargs["idea"] = idea
    return form_class(request.POST or None, **kwargs)


def _screening_call(verb, request, idea, data):
    if verb == "accept":
        project = services.idea_accept(actor=request.user, idea=idea, **data)
        return project, _("“%(title)s” is now a project in assessment.") % {"title": idea.title}
    if verb == "clarify":
        services.idea_request_clarification(actor=request.user, idea=idea, request=data["request"])
        return idea, _("The idea has been sent back to its author.")
    if verb == "decline":
        services.idea_decline(actor=request.user, idea=idea, reason=data["reason"])
        return idea, _("The idea has been declined and its author told why.")
    services.idea_merge(actor=request.user, idea=idea, **data)
    return data["into"], _("“%(title)s” has been merged into “%(into)s”.") % {
        "title": idea.title,
        "into": data["into"].title,
    }


@permission_required("innovation.screen_idea")
@require_http_methods(["GET", "POST"])
def idea_decide_view(request, reference, verb):
    idea = queries.idea_get(organisation=request.organisation, reference=reference)
    form = _screening_form(verb, request, idea)
    if request.method == "POST" and form.is_valid():
        try:
            target, message = _screening_call(verb, request, idea, form.cleaned_data)
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect(target)
    heading = SCREENING_VERBS[verb][1]
    return render(
        request, "innovation/idea_decide.html", {"idea": idea, "form": form, "heading": heading, "verb": verb}
    )


# ---------------------------------------------------------------- campaigns


@permission_required("innovation.view")
def campaign_list_view(request):
    page = paginate(request, queries.campaign_list(organisation=request.organisation))
    return render(request, "innovation/campaign_list.html", {"page": page})


@permission_required("innovation.manage_campaign")
@require_http_methods(["GET", "POST"])
def campaign_create_view(request):
    form = forms.CampaignForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except services.InnovationError as error:
            form.add_error("deadline", str(error))
        else:
            messages.success(request, _("The campaign “%(title)s” is open for ideas.") % {"title": campaign.title})
            return redirect(campaign)
    return render(request, "innovation/campaign_form.html", {"form": form})


@permission_required("innovation.view")
def campaign_detail_view(request, pk):
    campaign = queries.campaign_get(organisation=request.organisation, pk=pk)
    ideas = paginate(request, campaign.ideas.select_related("author").order_by("-created_at", "-pk"))
    context = {
        "campaign": campaign,
        "page": ideas,
        "service_areas": campaign.service_areas.all(),
        "partner_organisations": campaign.partner_organisations.all(),
        "public_url": notices.absolute_url("public:campaign", campaign.pk),
    }
    return render(request, "innovation/campaign_detail.html", context)


@permission_required("innovation.manage_campaign")
@require_POST
@refusals_shown_on("innovation:campaign-detail")
def campaign_close_view(request, pk):
    campaign = queries.campaign_get(organisation=request.organisation, pk=pk)
    services.campaign_close(actor=request.user, campaign=campaign)
    messages.success(request, _("The campaign is closed."))
    return redirect(campaign)


@permission_required("innovation.add_idea")
@require_GET
def idea_similar_view(request):
    # Likely duplicates while the title is typed (htmx); the same check runs again on saving.
    found = queries.idea_similar(
        organisation=request.organisation, title=request.GET.get("title", "")[:200], problem=""
    )
    hints = [suggestion.idea for suggestion in found]
    return render(request, "innovation/includes/duplicate_hints.html", {"hints": hints, "public": False})

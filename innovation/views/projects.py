"""A project's pages: its story, its edit forms, the approval decision and its moves."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import permission_required, refusals_shown_on
from innovation import evidence, forecasts, forms, key_decisions, queries, services
from innovation.forms import BusinessCaseForm
from innovation.models import ProjectStage


@permission_required("innovation.view")
def project_detail_view(request, pk):
    project = queries.project_get(organisation=request.organisation, pk=pk)
    story = queries.project_story(project=project)
    risk_assessment = getattr(project, "risk_assessment", None)
    context = {
        "project": project,
        **story,
        "risk_assessment": risk_assessment,
        "key_decision": key_decisions.status_for(project),
        "approval_problems": queries.project_approval_problems(project=project)
        if project.stage == "assessment"
        else [],
    }
    if project.stage == ProjectStage.CLOSED:  # only a closed project is ever scaled up
        context["scale_up"] = getattr(project, "scale_up", None)
        context["scale_up_refusal"] = None if context["scale_up"] else queries.scale_up_refusal(project)
    return render(request, "innovation/project_detail.html", context)


def _edit(request, pk, *, form_factory, save, template, success):
    """An edit page with optimistic locking: a stale version is refused and nothing is overwritten."""
    project = queries.project_get(organisation=request.organisation, pk=pk)
    form = form_factory(project, request.POST or None)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            save(project, form)
        except services.ConcurrentEditError as error:
            # Show what the other person saved, keeping what this person typed in the form.
            form.add_error(None, str(error))
            conflict = True
            project = queries.project_get(organisation=request.organisation, pk=pk)
            form.data = form.data.copy()
            form.data["version"] = _current_version(project, template)
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(project)
    return render(request, template, {"project": project, "form": form, "conflict": conflict})


def _current_version(project, template):
    if template == "innovation/business_case_form.html":
        case = getattr(project, "business_case", None)
        return case.version if case else 0
    return project.version


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def project_edit_view(request, pk):
    def form_factory(project, data):
        initial = {
            "title": project.title,
            "summary": project.summary,
            "service_areas": list(project.service_areas.all()),
            "indicator": project.indicator,
            "budget": project.budget,
            "version": project.version,
        }
        return forms.ProjectForm(data, organisation=request.organisation, initial=initial)

    def save(project, form):
        services.project_update(actor=request.user, project=project, **form.cleaned_data)

    return _edit(
        request,
        pk,
        form_factory=form_factory,
        save=save,
        template="innovation/project_form.html",
        success=_("The project’s details have been saved."),
    )


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def business_case_edit_view(request, pk):
    def form_factory(project, data):
        return BusinessCaseForm(data, initial=BusinessCaseForm.initial_for(getattr(project, "business_case", None)))

    def save(project, form):
        data = form.cleaned_data
        services.business_case_save(
            actor=request.user,
            project=project,
            version=data["version"],
            summary=data["summary"],
            recommended_option=data["recommended_option"],
            options=form.options(),
        )

    return _edit(
        request,
        pk,
        form_factory=form_factory,
        save=save,
        template="innovation/business_case_form.html",
        success=_("The business case has been saved."),
    )


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def project_progress_view(request, pk):
    def form_factory(project, data):
        initial = {
            "rag": project.rag,
            "rag_reason": project.rag_reason,
            "spend_to_date": project.spend_to_date,
            "version": project.version,
        }
        return forms.ProgressForm(data, initial=initial)

    def save(project, form):
        services.project_progress_update(actor=request.user, project=project, **form.cleaned_data)

    return _edit(
        request,
        pk,
        form_factory=form_factory,
        save=save,
        template="innovation/project_progress.html",
        success=_("Progress has been recorded."),
    )


def _simple_form_page(request, pk, *, form, call, template, success, heading, context=None):
    project = queries.project_get(organisation=request.organisation, pk=pk)
    if request.method == "POST" and form.is_valid():
        try:
            call(project, form.cleaned_data)
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(project)
    return render(request, template, {"project": project, "form": form, "heading": heading, **(context or {})})


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def project_sponsor_view(request, pk):
    form = forms.SponsorForm(request.POST or None, organisation=request.organisation)
    return _simple_form_page(
        request,
        pk,
        form=form,
        template="innovation/project_simple_form.html",
        heading=_("Name the sponsoring member"),
        call=lambda project, data: services.project_set_sponsor(actor=request.user, project=project, **data),
        success=_("The sponsor has been recorded."),
    )


@permission_required("innovation.volunteer_sponsor")
@require_POST
@refusals_shown_on("innovation:project-detail")
def project_sponsor_volunteer_view(request, pk):
    project = queries.project_get(organisation=request.organisation, pk=pk)
    services.project_sponsor_volunteer(actor=request.user, project=project)
    messages.success(request, _("You now sponsor this project. Its owner has been told."))
    return redirect(project)


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def milestone_create_view(request, pk):
    form = forms.MilestoneForm(request.POST or None)
    del form.fields["status"]
    return _simple_form_page(
        request,
        pk,
        form=form,
        template="innovation/project_simple_form.html",
        heading=_("Add a milestone"),
        call=lambda project, data: services.milestone_add(actor=request.user, project=project, **data),
        success=_("The milestone has been added."),
    )


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def milestone_edit_view(request, pk):
    milestone = queries.milestone_get(organisation=request.organisation, pk=pk)
    initial = {"title": milestone.title, "due_date": milestone.due_date, "status": milestone.status}
    form = forms.MilestoneForm(request.POST or None, initial=initial)
    return _simple_form_page(
        request,
        milestone.project_id,
        form=form,
        template="innovation/project_simple_form.html",
        heading=_("Update the milestone “%(title)s”") % {"title": milestone.title},
        call=lambda project, data: services.milestone_update(actor=request.user, milestone=milestone, **data),
        success=_("The milestone has been updated."),
    )


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def team_member_add_view(request, pk):
    form = forms.TeamMemberForm(request.POST or None)
    return _simple_form_page(
        request,
        pk,
        form=form,
        template="innovation/project_simple_form.html",
        heading=_("Add someone to the team"),
        call=lambda project, data: services.team_member_add(actor=request.user, project=project, **data),
        success=_("They have been added to the team."),
    )


@permission_required("innovation.record_involvement")
@require_http_methods(["GET", "POST"])
def involvement_create_view(request, pk):
    form = forms.InvolvementForm(request.POST or None)
    return _simple_form_page(
        request,
        pk,
        form=form,
        template="innovation/project_simple_form.html",
        heading=_("Record how people were involved in the design"),
        call=lambda project, data: services.involvement_record(actor=request.user, project=project, **data),
        success=_("The involvement has been recorded."),
    )


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def evaluation_edit_view(request, pk):
    project = queries.project_get(organisation=request.organisation, pk=pk)
    forecast = forecasts.innovate_option(project)
    initial = forms.EvaluationForm.initial_for(project, getattr(project, "evaluation", None), forecast)
    form = forms.EvaluationForm(
        request.POST or None,
        initial=initial,
        spend_to_date=project.spend_to_date,
        forecast_years=forecast.years if forecast else None,
    )
    return _simple_form_page(
        request,
        pk,
        form=form,
        template="innovation/evaluation_form.html",
        heading=_("Evaluate the project"),
        call=lambda project, data: services.evaluation_save(actor=request.user, project=project, **data),
        success=_("The evaluation has been saved."),
        context={
            "forecast": forecast,
            "readings": queries.indicator_readings(project=project),
            "evidence_definitions": evidence.DEFINITIONS,
            "evidence_citation": evidence.CITATION,
        },
    )


@permission_required("innovation.decide_project")
@require_http_methods(["GET", "POST"])
def project_decide_view(request, pk):
    project = queries.project_get(organisation=request.organisation, pk=pk)
    risk_assessment = getattr(project, "risk_assessment", None)
    # Only risks above appetite that no member has accepted yet ask for acceptance; the risk of
    # not innovating never does (the risk app's rule, asked through the reverse relation).
    exceeds = bool(risk_assessment and risk_assessment.awaiting_acceptance)
    arrangement = services.decision_arrangement_for(request.organisation)
    committee = services.committee_members(arrangement) if arrangement.by_committee else None
    form = forms.DecisionForm(request.POST or None, exceeds_appetite=exceeds, committee=committee, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        declarations = [services.Declaration(**declaration) for declaration in form.declarations()]
        common = {
            "actor": request.user,
            "project": project,
            "rationale": data["rationale"],
            "language": data["language"],
            "rationale_translation": data["rationale_translation"],
        }
        try:
            if data["outcome"] == "approved":
                services.project_approve(
                    **common,
                    accept_residual_risk=data.get("accept_residual_risk", False),
                    declarations=declarations,
                    rejected_option_reasons=form.rejected_option_reasons(),
                )
            elif data["outcome"] == "rejected":
                services.project_reject(
                    **common, declarations=declarations, rejected_option_reasons=form.rejected_option_reasons()
                )
            else:
                services.project_defer(**common, declarations=declarations)
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your decision has been recorded and the project owner told."))
            return redirect(project)
    story = queries.project_story(project=project)
    context = {
        "project": project,
        "form": form,
        "arrangement": arrangement,
        "risk_assessment": risk_assessment,
        "above_appetite": risk_assessment.above_appetite() if risk_assessment else [],
        "exceeds": exceeds,
        **story,
    }
    return render(request, "innovation/project_decide.html", context)


MOVES = {
    # verb: (service, heading, button, needs a reason, message when done)
    "submit": (
        services.project_submit_for_approval,
        gettext_lazy("Submit for approval"),
        gettext_lazy("Submit for approval"),
        False,
        gettext_lazy("The project has been submitted for approval and its sponsor told."),
    ),
    "withdraw": (
        services.project_withdraw,
        gettext_lazy("Withdraw from approval"),
        gettext_lazy("Withdraw"),
        False,
        gettext_lazy("The project has been withdrawn and is back in assessment."),
    ),
    "reopen": (
        services.project_reopen,
        gettext_lazy("Reopen the project"),
        gettext_lazy("Reopen"),
        False,
        gettext_lazy("The project is back in assessment."),
    ),
    "start-evaluation": (
        services.project_start_evaluation,
        gettext_lazy("End implementation and evaluate"),
        gettext_lazy("Start evaluation"),
        False,
        gettext_lazy("Implementation has ended. Record the evaluation next."),
    ),
    "close": (
        services.project_close,
        gettext_lazy("Close the project"),
        gettext_lazy("Close the project"),
        False,
        gettext_lazy("The project is closed. It is kept, with its whole story."),
    ),
    "abandon": (
        services.project_abandon,
        gettext_lazy("Abandon the project"),
        gettext_lazy("Abandon the project"),
        True,
        gettext_lazy("The project has been abandoned. It is kept, with the reason."),
    ),
}


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def project_move_view(request, pk, verb):
    service, heading, button, needs_reason, done = MOVES[verb]
    project = queries.project_get(organisation=request.organisation, pk=pk)
    form = (forms.ReasonForm if needs_reason else forms.CommentOnlyForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        words = {"reason": form.cleaned_data["reason"]} if needs_reason else {"comment": form.cleaned_data["comment"]}
        try:
            service(actor=request.user, project=project, **words)
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(project)
    problems = queries.project_approval_problems(project=project) if verb == "submit" else []
    context = {"project": project, "form": form, "heading": heading, "button": button, "problems": problems}
    return render(request, "innovation/project_move.html", context)


@permission_required("innovation.manage_project")
@require_POST
@refusals_shown_on("innovation:project-detail")
def team_member_remove_view(request, pk, member_pk):
    project = queries.project_get(organisation=request.organisation, pk=pk)
    member = get_object_or_404(project.team.all(), pk=member_pk)
    services.team_member_remove(actor=request.user, member=member)
    messages.success(request, _("%(name)s has been taken off the team.") % {"name": member.name})
    return redirect(project)


@permission_required("innovation.manage_project")
@require_http_methods(["GET", "POST"])
def project_scale_up_view(request, pk):
    project = queries.project_get(organisation=request.organisation, pk=pk)
    refusal = queries.scale_up_refusal(project)
    return _simple_form_page(
        request,
        pk,
        form=forms.ScaleUpForm(request.POST or None),
        template="innovation/scale_up_form.html",
        heading=_("Scale up the project"),
        call=lambda project, data: services.project_scale_up(actor=request.user, project=project, **data),
        success=_("The project is recorded as scaled up."),
        context={"refusal": refusal, "evaluation": getattr(project, "evaluation", None)},
    )


@permission_required("innovation.set_evidence_gates")
@require_http_methods(["GET", "POST"])
def evidence_gates_view(request):
    gates = queries.evidence_gates_of(request.organisation)
    form = forms.EvidenceGatesForm(
        request.POST or None, initial={"scale_up_level": gates.scale_up_level, "adoption_level": gates.adoption_level}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_gates_set(actor=request.user, organisation=request.organisation, **form.cleaned_data)
        except services.InnovationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The levels of evidence are saved."))
            return redirect("innovation:evidence-gates")
    return render(request, "innovation/evidence_gates.html", {"form": form})

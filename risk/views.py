"""Risk registers, heat maps, risk assessments, reviews and the risk appetite."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.access import organisation_required, permission_required
from risk import forms, queries, services
from risk.filters import CELL_FIELDS, RiskFilter
from risk.models import DEFAULT_ACCEPTANCE_MONTHS, acceptance_expiry, appetite_for

PAGE_SIZE = 50


def _posted(request):
    """The submitted data, or None for a GET: an empty POST is still a submission, and shows its errors."""
    return request.POST if request.method == "POST" else None


def _register_context(request, base, *, with_project: bool) -> dict:
    """The filtered, sorted, paginated register with heat maps of the same filtered risks."""
    filterset = RiskFilter(request.GET or None, base, organisation=request.organisation, with_project=with_project)
    risks = filterset.qs
    summary = queries.register_summary(risks)
    paginator = Paginator(queries.register_rows(risks), PAGE_SIZE)
    paginator.count = summary.count  # already counted with the heat maps: no second COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    cell_query = request.GET.copy()
    for name in (*CELL_FIELDS, "page"):
        cell_query.pop(name, None)
    return {
        "filter": filterset,
        "page": page,
        "heat_maps": summary.heat_maps,
        "appetite": appetite_for(request.organisation),
        "cell_query": cell_query.urlencode(),
        "cell_selected": any(request.GET.get(name) for name in CELL_FIELDS),
    }


@permission_required("risk.view_register")
def register_view(request):
    base = queries.register_base(organisation=request.organisation, user=request.user)
    return render(request, "risk/register.html", _register_context(request, base, with_project=True))


@organisation_required
def project_register_view(request, pk):
    project = queries.project_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    context = _register_context(request, queries.project_register_base(project=project), with_project=False)
    assessment = queries.assessment_for(project)
    problems = assessment.approval_problems() if assessment else []
    context.update(project=project, assessment=assessment, problems=problems)
    return render(request, "risk/project_register.html", context)


@organisation_required
@require_http_methods(["GET", "POST"])
def assessment_edit_view(request, pk):
    project = queries.project_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    access.require(request.user, "risk.edit_risks", project)
    assessment = queries.assessment_for(project)
    initial = {"summary": assessment.summary, "recommendation": assessment.recommendation} if assessment else {}
    form = forms.AssessmentForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.assessment_update(actor=request.user, project=project, **form.cleaned_data)
        messages.success(request, _("The summary and recommendation are saved."))
        return redirect("risk:project-register", pk=project.pk)
    return render(request, "risk/assessment_form.html", {"project": project, "form": form})


@organisation_required
@require_http_methods(["GET", "POST"])
def risk_create_view(request, pk):
    project = queries.project_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    access.require(request.user, "risk.edit_risks", project)
    initial = {"category": request.GET.get("category")} if request.GET.get("category") else {}
    form = forms.RiskForm(_posted(request), organisation=request.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_create(actor=request.user, project=project, **form.cleaned_data)
        except services.RiskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The risk “%(title)s” is on the register.") % {"title": risk.title})
            return redirect("risk:project-register", pk=project.pk)
    return render(request, "risk/risk_form.html", {"project": project, "form": form, "risk": None})


@organisation_required
def risk_detail_view(request, pk):
    risk = queries.risk_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    appetite = appetite_for(request.organisation)
    context = {
        "risk": risk,
        "is_above": risk.is_above(appetite),
        "awaits_acceptance": risk.awaits_acceptance(appetite),
        "project": risk.assessment.project,
        "controls": risk.controls.select_related("owner"),
        "reviews": risk.reviews.select_related("reviewed_by"),
        "comments": risk.comments.select_related("author"),
        "comment_form": forms.CommentForm(),
        "appetite": appetite,
    }
    return render(request, "risk/risk_detail.html", context)


@organisation_required
@require_http_methods(["GET", "POST"])
def risk_edit_view(request, pk):
    risk = queries.risk_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    access.require(request.user, "risk.edit_risks", risk)
    initial = {name: getattr(risk, name) for name in forms.RiskForm.base_fields if name != "owner"}
    initial["owner"] = risk.owner_id
    form = forms.RiskForm(_posted(request), organisation=request.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_update(actor=request.user, risk=risk, **form.cleaned_data)
        except services.RiskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The risk is updated."))
            return redirect(risk)
    return render(request, "risk/risk_form.html", {"project": risk.assessment.project, "form": form, "risk": risk})


@organisation_required
@require_http_methods(["GET", "POST"])
def risk_review_view(request, pk):
    risk = queries.risk_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    access.require(request.user, "risk.review_risk", risk)
    initial = {name: getattr(risk, name) for name in (*CELL_FIELDS, "status")}
    form = forms.ReviewForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_review(actor=request.user, risk=risk, **form.cleaned_data)
        except services.RiskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your review is saved."))
            return redirect(risk)
    return render(request, "risk/risk_review.html", {"risk": risk, "form": form})


@organisation_required
@require_http_methods(["GET", "POST"])
def control_create_view(request, pk):
    risk = queries.risk_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    access.require(request.user, "risk.edit_risks", risk)
    form = forms.ControlForm(_posted(request), organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.control_add(actor=request.user, risk=risk, **form.cleaned_data)
        except services.RiskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The control is added."))
            return redirect(risk)
    return render(request, "risk/control_form.html", {"risk": risk, "form": form})


@organisation_required
@require_POST
def risk_comment_view(request, pk):
    risk = queries.risk_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    access.require(request.user, "risk.comment_on_risk", risk)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        services.risk_comment_add(actor=request.user, risk=risk, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment is added."))
    else:
        messages.error(request, _("Enter your comment."))
    return redirect(f"{risk.get_absolute_url()}#comments")


@organisation_required
@require_http_methods(["GET", "POST"])
def risk_escalate_view(request, pk):
    risk = queries.risk_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    access.require(request.user, "risk.escalate_risk", risk)
    form = forms.EscalateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.risk_escalate(actor=request.user, risk=risk, note=form.cleaned_data["note"])
        messages.success(request, _("The risk is escalated, and the organisation’s members have been emailed."))
        return redirect(risk)
    return render(request, "risk/risk_escalate.html", {"risk": risk, "form": form})


@organisation_required
@require_http_methods(["GET", "POST"])
def risk_accept_view(request, pk):
    risk = queries.risk_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    access.require(request.user, "risk.accept_risk", risk)
    form = forms.AcceptForm(_posted(request), initial={"until": acceptance_expiry(request.organisation)})
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_accept(actor=request.user, risk=risk, **form.cleaned_data)
        except services.RiskError as error:
            form.add_error(None if risk.is_not_innovating else "until", str(error))
        else:
            messages.success(request, _("You have accepted the risk."))
            return redirect(risk)
    return render(request, "risk/risk_accept.html", {"risk": risk, "form": form})


@permission_required("risk.set_appetite")
@require_http_methods(["GET", "POST"])
def appetite_view(request):
    appetite = getattr(request.organisation, "risk_appetite", None)  # None until an admin sets it
    initial = {
        "max_residual_score": appetite_for(request.organisation),
        "acceptance_months": appetite.acceptance_months if appetite else DEFAULT_ACCEPTANCE_MONTHS,
    }
    form = forms.AppetiteForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.appetite_set(actor=request.user, organisation=request.organisation, **form.cleaned_data)
        messages.success(request, _("The risk appetite is saved."))
        return redirect("risk:register")
    return render(request, "risk/appetite_form.html", {"form": form})

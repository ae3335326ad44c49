"""Performance pages: the gap report (R1, R2), imports, and the capacity self-assessment (R9)."""

import contextlib

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.access import permission_required
from jobs import runner
from portfolio import queries, services
from portfolio.forms import CapacityForm, ComparisonChoiceForm, ImportForm


@permission_required("portfolio.view_report")
def report_view(request):
    context = queries.gap_report_page(organisation=request.organisation, group=request.GET.get("group") or None)
    context["choice_form"] = ComparisonChoiceForm(
        initial={"group": context["group"].key}, choices=context["group_choices"]
    )
    return render(request, "portfolio/report.html", context)


@require_POST
@permission_required("portfolio.compute_report")
def report_compute_view(request):
    job = services.gap_report_job_create(actor=request.user, organisation=request.organisation)
    return redirect(job)


@permission_required("portfolio.view_report")
def report_job_view(request, public_id):
    job = queries.gap_report_job_get(organisation=request.organisation, public_id=public_id)
    job = runner.job_check_interrupted(job=job)
    template = "portfolio/_report_job_status.html" if request.htmx else "portfolio/report_job.html"
    return render(request, template, {"job": job})


@require_http_methods(["GET", "POST"])
@permission_required("portfolio.import_data")
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(
            actor=request.user, organisation=request.organisation, upload=form.cleaned_data["file"]
        )
        return redirect(job)
    jobs = [runner.job_check_interrupted(job=job) for job in queries.import_job_list(organisation=request.organisation)]
    return render(request, "portfolio/import.html", {"form": form, "jobs": jobs})


@permission_required("portfolio.import_data")
def import_job_view(request, public_id):
    job = queries.import_job_get(organisation=request.organisation, public_id=public_id)
    job = runner.job_check_interrupted(job=job)
    template = "portfolio/_import_job_status.html" if request.htmx else "portfolio/import_job.html"
    return render(request, template, {"job": job, "can_retry": runner.job_can_retry(job)})


@require_POST
@permission_required("portfolio.import_data")
def import_job_retry_view(request, public_id):
    job = queries.import_job_get(organisation=request.organisation, public_id=public_id)
    # Pressed twice, or after it already started again: the job's page shows where it is.
    with contextlib.suppress(services.ImportNotRetryable):
        services.import_job_retry(actor=request.user, organisation=request.organisation, job=job)
    return redirect(job)


@require_http_methods(["GET", "POST"])
@permission_required("portfolio.view_report")
def capacity_view(request):
    may_assess = access.may(request.user, "portfolio.assess_capacity", request.organisation)
    mine = queries.capacity_assessment_for(organisation=request.organisation, user=request.user)
    form = CapacityForm(request.POST or None, initial=mine.scores if mine else None) if may_assess else None
    if request.method == "POST":
        if form is None:
            access.require(request.user, "portfolio.assess_capacity", request.organisation)
        if form.is_valid():
            services.capacity_assessment_save(
                actor=request.user, organisation=request.organisation, scores=form.cleaned_data
            )
            messages.success(request, _("Your scores have been saved."))
            return redirect("portfolio:capacity")
    summary = queries.capacity_summary(organisation=request.organisation)
    return render(request, "portfolio/capacity.html", {"form": form, "summary": summary, "mine": mine})


@permission_required("portfolio.view_report")
def indicator_detail_view(request, code):
    indicator = queries.indicator_get(organisation=request.organisation, code=code)
    series = queries.indicator_series(organisation=request.organisation, indicator=indicator)
    return render(request, "portfolio/indicator_detail.html", {"indicator": indicator, "series": series})

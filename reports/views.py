"""The admins' reports page: choose an export, filter it as its page filters, and download
it at once, have it prepared in the background or emailed every month; and the committee pack
(reports/exports/, reports/committee_pack.py and reports/schedules.py do the work)."""

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import permission_required
from innovation import exports as innovation_exports
from innovation import queries as innovation_queries
from innovation.queries import forward_plan as plan_queries
from jobs import runner
from reports import committee_pack, decision_pdf, exports, gap_report, schedules, writers
from reports.forms import CommitteePackForm, ScheduledReportForm
from reports.models import ExportJob

PERM = exports.PERMISSION


@permission_required(PERM)
def reports_view(request):
    return render(
        request,
        "reports/index.html",
        {
            "exports": exports.EXPORTS.values(),
            "committee_pack": committee_pack,
            "jobs": exports.job_list(organisation=request.organisation, user=request.user),
        },
    )


def _export_context(request, export, data, error=None):
    filterset = (
        export.filterset(data, organisation=request.organisation, user=request.user) if export.filterset else None
    )
    filters = exports.filter_data(export, data, organisation=request.organisation, user=request.user)
    selected = export.select(organisation=request.organisation, user=request.user, data=exports.as_query_dict(filters))
    return {
        "export": export,
        "filter": filterset,
        "filter_form": filterset.form if filterset else None,
        "hidden_filters": [(key, value) for key, values in filters.items() for value in values],
        "count": export.count(selected),
        "formats": ExportJob.Format.choices,
        "immediate_max": exports.immediate_max_rows(),
        "error": error,
        "schedule_query": urlencode(filters, doseq=True),
    }


@permission_required(PERM)
def export_view(request, name):
    export = exports.export_get(name)
    return render(request, "reports/export.html", _export_context(request, export, request.GET))


@require_POST
@permission_required(PERM)
def export_take_view(request, name):
    export = exports.export_get(name)
    fmt = request.POST.get("format", "")
    background = request.POST.get("mode") == "background"
    try:
        prepared = exports.prepare(
            export=export,
            fmt=fmt,
            user=request.user,
            organisation=request.organisation,
            data=request.POST,
            mode=ExportJob.Mode.BACKGROUND if background else ExportJob.Mode.IMMEDIATE,
        )
    except exports.ExportRefused as refused:
        status = 429 if isinstance(refused, exports.TooManyExports) else 400
        context = _export_context(request, export, request.POST, error=str(refused))
        return render(request, "reports/export.html", context, status=status)
    job = prepared.job
    if not background and prepared.count > exports.immediate_max_rows():
        job.mode = ExportJob.Mode.BACKGROUND
        job.status = ExportJob.Status.QUEUED
        job.save(update_fields=["mode", "status"])
        background = True
        messages.info(
            request,
            _("This export has %(count)s rows, so it is being prepared in the background.")
            % {"count": f"{prepared.count:,}"},
        )
    if background:
        transaction.on_commit(lambda: runner.job_queue(job=job))
        return redirect(job)
    return _download_now(prepared)


def _download_now(prepared: exports.Prepared):
    export, job = prepared.export, prepared.job
    filename = exports.filename_for(export, job.format, job.organisation)
    if job.format == ExportJob.Format.CSV:
        response = StreamingHttpResponse(exports.csv_stream(prepared), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    handle = tempfile.NamedTemporaryFile(suffix=f".{job.format}")  # noqa: SIM115 (closed by FileResponse)
    count = exports.write_file(prepared, handle.name)
    exports.finish(job, rows=count)
    handle.seek(0)
    # FileResponse closes the handle when sent, and closing deletes the temporary file.
    return FileResponse(handle, as_attachment=True, filename=filename)


def _job_for(request, public_id) -> ExportJob:
    """One of this person's own exports in the organisation they are working in; anything else is a 404."""
    return get_object_or_404(
        ExportJob.objects.for_organisation(request.organisation).filter(requested_by=request.user),
        public_id=public_id,
    )


def _again_url(job: ExportJob) -> str:
    if job.export == committee_pack.NAME:
        return reverse("reports:committee-pack")
    return reverse("reports:export", args=[job.export]) if job.export in exports.EXPORTS else reverse("reports:index")


@permission_required(PERM)
def job_view(request, public_id):
    job = _job_for(request, public_id)
    if job.mode != ExportJob.Mode.IMMEDIATE:  # an immediate one is written by the request itself, not a worker
        job = runner.job_check_interrupted(job=job)
    template = "reports/_job_status.html" if request.htmx else "reports/job.html"
    may_retry = exports.job_may_retry(user=request.user, organisation=request.organisation, job=job)
    context = {
        "job": job,
        "title": exports.title_for(job.export),
        "is_pack": job.export == committee_pack.NAME,
        "again_url": _again_url(job),
        "interrupted": runner.job_can_retry(job),
        "retry_url": reverse("reports:job-retry", args=[job.public_id]) if may_retry else "",
    }
    return render(request, template, context)


@require_POST
@permission_required(PERM)
def job_retry_view(request, public_id):
    job = _job_for(request, public_id)
    # Pressed twice, or after it already started again: the job's page shows where it is.
    exports.job_retry(user=request.user, organisation=request.organisation, job=job)
    return redirect(job)


@permission_required(PERM)
def job_download_view(request, public_id):
    job = _job_for(request, public_id)
    if not job.is_downloadable:
        raise Http404
    filename = exports.filename_for(job.export, job.format, job.organisation)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=filename)


# ---------------------------------------------------------------- the committee pack


@permission_required(committee_pack.PERMISSION)
def committee_pack_view(request):
    form = CommitteePackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            job = exports.committee_pack_request(
                user=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except exports.TooManyExports as refused:
            form.add_error(None, str(refused))
            status = 429
        else:
            transaction.on_commit(lambda: runner.job_queue(job=job))
            return redirect(job)
    return render(request, "reports/committee_pack.html", {"form": form, "pack": committee_pack}, status=status)


# ---------------------------------------------------------------- scheduled reports


@permission_required(schedules.PERMISSION)
def schedule_list_view(request):
    context = {"schedules": schedules.schedule_list(organisation=request.organisation), "exports": exports.EXPORTS}
    return render(request, "reports/schedules.html", context)


@permission_required(schedules.PERMISSION)
def schedule_create_view(request, name):
    export = exports.export_get(name)
    data = request.POST if request.method == "POST" else request.GET
    form = ScheduledReportForm(request.POST or None, initial={"format": ExportJob.Format.CSV})
    if request.method == "POST" and form.is_valid():
        try:
            schedules.schedule_create(
                user=request.user,
                organisation=request.organisation,
                export=export,
                fmt=form.cleaned_data["format"],
                data=data,
                recipients=form.cleaned_data["recipients"],
                day_of_month=form.cleaned_data["day_of_month"],
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request, _("The %(export)s will be emailed every month.") % {"export": export.title.lower()}
            )
            return redirect("reports:schedules")
    filters = exports.filter_data(export, data, organisation=request.organisation, user=request.user)
    context = {
        "export": export,
        "form": form,
        "hidden_filters": [(key, value) for key, values in filters.items() for value in values],
        "filters": filters,
    }
    return render(request, "reports/schedule_form.html", context)


@require_POST
@permission_required(schedules.PERMISSION)
def schedule_delete_view(request, pk):
    schedules.schedule_delete(user=request.user, organisation=request.organisation, pk=pk)
    messages.success(request, _("The scheduled report was deleted. Nobody will get it any more."))
    return redirect("reports:schedules")


@permission_required("portfolio.view_report")
def gap_report_csv_view(request):
    """The gap report page's download: everyone who may read the report, not only those who may export."""
    stamp = timezone.localdate().isoformat()
    # One row per indicator: small enough to send whole.
    response = HttpResponse(
        "".join(gap_report.gap_report_csv(organisation=request.organisation, group=request.GET.get("group") or None)),
        content_type="text/csv; charset=utf-8",
    )
    # Server-made name: nothing the user typed reaches the header.
    response["Content-Disposition"] = f'attachment; filename="gap-report-{stamp}.csv"'
    return response


@require_GET
def forward_plan_csv_view(request, organisation):
    """The public forward plan's download: anyone may take it, as anyone may read the page."""
    found = plan_queries.public_forward_plan_organisation(pk=organisation)
    rows = innovation_exports.forward_plan_rows(plan_queries.forward_plan(organisation=found))
    response = HttpResponse("".join(writers.csv_chunks(innovation_exports.FORWARD_PLAN_COLUMNS, rows)))
    response["Content-Type"] = "text/csv; charset=utf-8"
    # Server-made name: nothing anyone typed reaches the header.
    response["Content-Disposition"] = (
        f'attachment; filename="forward-plan-{found.pk}-{timezone.localdate().isoformat()}.csv"'
    )
    return response


@permission_required("innovation.view")
def decision_pdf_view(request, pk):
    """A record of decision as a PDF: anyone who may read the organisation's projects, auditors included."""
    decision = innovation_queries.decision_get(organisation=request.organisation, pk=pk)
    content = decision_pdf.write(innovation_queries.decision_record(decision))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="record-of-decision-{decision.reference}.pdf"'
    return response

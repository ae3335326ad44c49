"""The organisation's portfolio, its pipeline and a member's decisions."""

from django.shortcuts import render

from accounts.access import permission_required
from innovation import queries
from innovation.filters import ProjectFilter
from innovation.views.common import paginate


@permission_required("innovation.view")
def project_list_view(request):
    projects = queries.project_list(organisation=request.organisation)
    filterset = ProjectFilter(request.GET or None, queryset=projects, organisation=request.organisation)
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page}
    return render(request, "innovation/project_list.html", context)


@permission_required("innovation.decide_project")
def awaiting_decision_view(request):
    projects = queries.project_awaiting_decision(organisation=request.organisation, member=request.user)
    return render(request, "innovation/awaiting_decision.html", {"page": paginate(request, projects)})


@permission_required("innovation.view")
def pipeline_view(request):
    figures = queries.pipeline(organisation=request.organisation)
    return render(request, "innovation/pipeline.html", figures)

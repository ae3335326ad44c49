"""The organisation's portfolio, its pipeline, a member's decisions and notification settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.access import permission_required
from accounts.models import NotificationPreference
from innovation import forms, queries, services
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


@permission_required("innovation.set_notifications")
@require_http_methods(["GET", "POST"])
def notification_settings_view(request):
    current = dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "frequency"))
    form = forms.NotificationPreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.preference_set(actor=request.user, preferences=form.cleaned_data)
        messages.success(request, "Your email settings have been saved.")
        return redirect("innovation:notification-settings")
    return render(request, "innovation/notification_settings.html", {"form": form})

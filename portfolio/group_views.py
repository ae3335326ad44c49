"""Comparison groups: the page listing them (with the organisation's nearest neighbours), the
form on which admins define one, and the report's default group."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.access import organisation_required, permission_required
from portfolio import groups, queries, services
from portfolio.forms import ComparisonChoiceForm, ComparisonGroupForm


@permission_required("portfolio.view_report")
def group_list_view(request):
    context = {
        "groups": queries.comparison_groups_visible(organisation=request.organisation),
        "neighbours": queries.nearest_neighbours(organisation=request.organisation),
        "can_manage": access.may(request.user, "portfolio.manage_groups", request.organisation),
    }
    return render(request, "portfolio/groups.html", context)


@permission_required("portfolio.view_report")
def group_detail_view(request, pk):
    group = queries.comparison_group_get(organisation=request.organisation, pk=pk)
    mine = group.organisation_id == request.organisation.pk
    can_manage = mine and access.may(request.user, "portfolio.manage_groups", request.organisation)
    return render(request, "portfolio/group_detail.html", {"group": group, "mine": mine, "can_manage": can_manage})


def _members_text(group) -> str:
    return "\n".join(member.ons_code for member in group.members.all() if member.ons_code)


@permission_required("portfolio.manage_groups")
@require_http_methods(["GET", "POST"])
def group_create_view(request):
    form = ComparisonGroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        group = services.comparison_group_save(
            actor=request.user, organisation=request.organisation, **form.cleaned_data
        )
        messages.success(
            request,
            _("The group %(name)s has been saved. Positions within it appear when the report is next recomputed.")
            % {"name": group.name},
        )
        return redirect("portfolio:group-detail", pk=group.pk)
    return render(request, "portfolio/group_form.html", {"form": form, "group": None})


@organisation_required
@require_http_methods(["GET", "POST"])
def group_edit_view(request, pk):
    group = queries.comparison_group_own_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    initial = {"name": group.name, "members": _members_text(group), "shared": group.shared}
    form = ComparisonGroupForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.comparison_group_save(
            actor=request.user, organisation=request.organisation, group=group, **form.cleaned_data
        )
        messages.success(
            request,
            _("The group %(name)s has been saved. Positions within it change when the report is next recomputed.")
            % {"name": group.name},
        )
        return redirect("portfolio:group-detail", pk=group.pk)
    return render(request, "portfolio/group_form.html", {"form": form, "group": group})


@require_POST
@organisation_required
def group_delete_view(request, pk):
    group = queries.comparison_group_own_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    services.comparison_group_delete(actor=request.user, organisation=request.organisation, group=group)
    messages.success(request, _("The group %(name)s has been deleted.") % {"name": group.name})
    return redirect("portfolio:groups")


@require_POST
@permission_required("portfolio.manage_groups")
def report_default_view(request):
    choices = groups.group_choices(organisation=request.organisation)
    form = ComparisonChoiceForm(request.POST, choices=choices)
    if not form.is_valid():
        raise Http404("No such comparison group")
    key = form.cleaned_data["group"]
    services.comparison_default_set(actor=request.user, organisation=request.organisation, key=key)
    label = groups.group_get(organisation=request.organisation, key=key, choices=choices).label
    messages.success(request, _("Your gap report now opens compared with: %(label)s.") % {"label": label})
    return redirect(f"{reverse('portfolio:report')}?{urlencode({'group': key})}")

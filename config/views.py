"""The pages that belong to no single app: the home dashboard, the statements every
public-sector site publishes, and the error pages."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from accounts import access
from config import dashboard


def home_view(request):
    if not request.user.is_authenticated:
        return render(request, "start.html")
    if request.organisation is None:
        return redirect("accounts:choose-organisation")
    if access.may(request.user, "innovation.give_partner_idea", request.organisation):
        # A partner sees nothing of the council's own work: their home is the campaigns opened to them.
        return redirect("innovation:partner-campaign-list")
    board = dashboard.dashboard_for(user=request.user, organisation=request.organisation)
    return render(request, "home.html", {"board": board})


def accessibility_view(request):
    return render(request, "accessibility.html")


def privacy_view(request):
    return render(request, "privacy.html")


def _is_api(request) -> bool:
    # Under /api/ an error is JSON, as the API's own answers are and its schema says, even when
    # no API view was reached (an address the router does not know, a NUL in the path).
    return request.path.startswith("/api/")


@requires_csrf_token
def bad_request_view(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("The request is not valid.")}, status=400)
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied_view(request, exception=None):
    # Every refusal, from any app's view or service, is this one page; a Refused says why.
    reason = exception.reason if isinstance(exception, access.Refused) else ""
    if _is_api(request):
        return JsonResponse({"detail": reason or _("You do not have permission to perform this action.")}, status=403)
    return render(request, "403.html", {"reason": reason}, status=403)


@requires_csrf_token
def page_not_found_view(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error_view(request):
    # No request context: the database or the session may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())

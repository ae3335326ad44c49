"""The pages that belong to no single app: the home dashboard, the statements every
public-sector site publishes, and the error pages."""

from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from accounts import access
from config import dashboard


def home_view(request):
    if not request.user.is_authenticated:
        return render(request, "start.html")
    if request.organisation is None:
        return redirect("accounts:choose-organisation")
    board = dashboard.dashboard_for(user=request.user, organisation=request.organisation)
    return render(request, "home.html", {"board": board})


def accessibility_view(request):
    return render(request, "accessibility.html")


def privacy_view(request):
    return render(request, "privacy.html")


@requires_csrf_token
def bad_request_view(request, exception=None):
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied_view(request, exception=None):
    # Every refusal, from any app's view or service, is this one page; a Refused says why.
    reason = exception.reason if isinstance(exception, access.Refused) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


@requires_csrf_token
def page_not_found_view(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error_view(request):
    # No request context: the database or the session may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())

"""The small access helpers at the top of every organisation page."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def organisation_required(view):
    """Signed in, and working in an organisation; otherwise ask them to choose one."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.organisation is None:
            url = reverse("accounts:choose-organisation")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapped


def permission_required(perm: str):
    """Signed in, in an organisation, and allowed `perm` there (see accounts.rules); else 403."""

    def decorator(view):
        @organisation_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm, request.organisation):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

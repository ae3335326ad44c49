"""May this person do this here? One answer for views, services, the API and templates.

Every permission is a rule in an app's `rules.py` (the `rules` package), asked of an
organisation or of one of its rows. `may` asks it; `require` asks it and raises `Refused`,
which every page answers with the one 403 page and the API with a 403. A change that is
allowed but not possible now (a wrong stage, a missing reason, a full quarter) raises a
`LanternError` instead, which the page shows as a form error or a message.
"""

from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

NOT_ALLOWED = _("Your role in this organisation does not allow this.")
# Why each permission is refused, in words for the person refused: set with the rule (add_rule).
_REASONS: dict[str, str] = {}


class Refused(PermissionDenied):
    """Not allowed: the person's role (or the row's organisation) rules this out. Always a 403,
    whose page (and API answer) gives `reason` when there is one."""

    def __init__(self, reason: str = ""):
        super().__init__(reason or NOT_ALLOWED)
        self.reason = reason


class LanternError(Exception):
    """Not possible now: a change Lantern refuses, with the reason in plain English for the person
    who asked. Each app's errors subclass it; pages show it as a form error or a message."""


def add_rule(permission: str, predicate, reason: str) -> None:
    """Registers a permission (each app's rules.py), with the reason a person refused it is given."""
    rules.add_perm(permission, predicate)
    _REASONS[permission] = reason


def may(user, permission: str, target) -> bool:
    """Whether `user` may `permission` on `target` (an organisation, or a row with one)."""
    return user.has_perm(permission, target)


def require(actor, permission: str, target) -> None:
    """Raises Refused unless `actor` may `permission` on `target` (see each app's rules.py)."""
    if not may(actor, permission, target):
        raise Refused(_REASONS.get(permission, ""))


def require_same_organisation(organisation, *objects) -> None:
    """Rows named in a change (a campaign, a service area, an idea merged into) must be the
    organisation's own: a form offers no others, so another one is a forged post, refused."""
    for obj in objects:
        if obj is not None and obj.organisation_id != organisation.pk:
            raise Refused


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
            require(request.user, perm, request.organisation)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def refusals_shown_on(url_name: str):
    """For a page that is only a button: a LanternError from the change is shown as a message on
    the page the button is on (`url_name`, with the same pk or reference), and nothing changes."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except LanternError as error:
                messages.error(request, str(error))
                # The page's own address: by pk, or by an idea's number ("reference").
                key = "reference" if "reference" in kwargs else "pk"
                return redirect(url_name, **{key: kwargs[key]})

        return wrapped

    return decorator

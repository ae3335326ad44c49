"""The organisation's API tokens page: an admin makes, sees and revokes integration tokens."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import api_tokens, queries
from accounts.access import organisation_required, permission_required
from accounts.forms import ApiTokenForm


@permission_required("accounts.manage_tokens")
def token_list_view(request):
    tokens = queries.api_token_list(organisation=request.organisation)
    return render(request, "accounts/tokens.html", {"tokens": tokens})


# never_cache: the page that shows a new key must not be kept by the browser or a proxy.
@permission_required("accounts.manage_tokens")
@require_http_methods(["GET", "POST"])
@never_cache
def token_create_view(request):
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = api_tokens.api_token_create(
                actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except api_tokens.TokenError as error:
            form.add_error(None, str(error))
        else:
            # Shown in this response only: Lantern keeps the hash, never the key.
            return render(request, "accounts/token_made.html", {"token": token, "key": key})
    return render(request, "accounts/token_create.html", {"form": form})


@organisation_required
@require_http_methods(["GET", "POST"])
def token_revoke_view(request, pk):
    token = queries.api_token_get_for_user(user=request.user, organisation=request.organisation, pk=pk)
    error = None
    if request.method == "POST":
        try:
            api_tokens.api_token_revoke(actor=request.user, token=token)
        except api_tokens.TokenError as exc:
            error = str(exc)
        else:
            messages.success(
                request, _("The token “%(name)s” has been revoked. It no longer works.") % {"name": token.name}
            )
            return redirect("accounts:tokens")
    history = token.history.select_related("history_user").order_by("-history_date")
    return render(request, "accounts/token_revoke.html", {"token": token, "error": error, "history": history})

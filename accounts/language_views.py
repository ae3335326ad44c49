"""Choosing the language: the switch on every page, and an organisation's default for its new people."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import languages
from accounts.access import permission_required
from accounts.forms import LanguageForm
from accounts.middleware import language_cookie_set


@require_POST
def language_view(request):
    """Remembers the language chosen, on this browser and (signed in) on the person, then goes
    back to the page it was chosen on: a POST, so that no link or image can change it."""
    next_url = request.POST.get("next", "")
    safe = next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    response = redirect(next_url if safe else reverse("home"))
    form = LanguageForm(request.POST)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            languages.user_language_set(user=request.user, language=language)
        language_cookie_set(response, language)
    return response


@permission_required("accounts.manage_people")
@require_http_methods(["GET", "POST"])
def organisation_language_view(request):
    """The language the organisation's new people read Lantern in until they choose their own."""
    organisation = request.organisation
    form = LanguageForm(
        request.POST if request.method == "POST" else None, initial={"language": organisation.default_language}
    )
    form.fields["language"].label = _("Which language should new people see Lantern in?")
    if request.method == "POST" and form.is_valid():
        languages.organisation_language_set(
            actor=request.user, organisation=organisation, language=form.cleaned_data["language"]
        )
        messages.success(request, _("The organisation’s language has been saved."))
        return redirect("accounts:organisation-language")
    return render(request, "accounts/organisation_language.html", {"form": form})

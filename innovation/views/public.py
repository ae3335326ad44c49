"""A campaign's public page, where anyone gives an idea (R5, R6), and the links in the emails they get.

Nobody signs in here, so spam is kept out without tracking anyone: a honeypot field people
never see, a signed time check (a form sent within PUBLIC_IDEA_MIN_SECONDS of being shown is a
robot's), and rate limits per address and per email. Each refusal saves nothing and sends nothing.
"""

import time

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts import throttling
from innovation import forms
from innovation.queries import outsiders as queries
from innovation.services import InnovationError, originators
from innovation.services import outsiders as services

SHOWN_SALT = "lantern.innovation.public.shown"
TOO_QUICK = gettext_lazy(
    "Check your idea, then send it again. (We ask because robots send this form faster than people can.)"
)
STALE = gettext_lazy("This page was open for too long. Check your idea, then send it again.")
REFUSED = gettext_lazy("We could not take your idea. If you are a person, leave the field “Leave this empty” empty.")


def _shown_now() -> str:
    return signing.dumps(int(time.time()), salt=SHOWN_SALT)


def _time_check(value: str) -> str | None:
    """Why a form shown at the signed time `value` is refused now, or None if it is in time."""
    try:
        shown = signing.loads(value or "", salt=SHOWN_SALT, max_age=settings.PUBLIC_IDEA_MAX_SECONDS)
    except signing.SignatureExpired:
        return STALE
    except signing.BadSignature:
        return TOO_QUICK
    if time.time() - int(shown) < settings.PUBLIC_IDEA_MIN_SECONDS:
        return TOO_QUICK
    return None


def _too_many(request, campaign, message: str):
    return render(request, "innovation/public/too_many.html", {"campaign": campaign, "message": message}, status=429)


@require_GET
def campaign_start_view(request, pk):
    campaign = queries.public_campaign_get(pk=pk)
    return render(request, "innovation/public/start.html", {"campaign": campaign})


@require_http_methods(["GET", "POST"])
def campaign_idea_view(request, pk):
    campaign = queries.public_campaign_get(pk=pk)
    if not campaign.is_open:
        return redirect("public:campaign", pk=pk)
    hints_url = reverse("public:similar", args=[pk])
    form = forms.PublicIdeaForm(request.POST or None, hints_url=hints_url)
    duplicates = []
    if request.method == "POST":
        if not throttling.rate_limit_spend(
            scope="public-idea-address",
            key=throttling.client_address(request),
            limit=settings.PUBLIC_IDEAS_PER_ADDRESS_PER_HOUR,
            seconds=60 * 60,
        ):
            return _too_many(request, campaign, _("Many ideas have been sent from your connection in the last hour."))
        if form.is_valid():
            data = form.cleaned_data
            refusal = REFUSED if data["website"] else _time_check(data["shown"])
            if refusal:
                form.add_error(None, refusal)
            elif not data["seen_duplicates"]:
                duplicates = queries.public_similar(campaign=campaign, title=data["title"])
            if not refusal and not duplicates:
                if not throttling.rate_limit_spend(
                    scope="public-idea-email",
                    key=data["email"],
                    limit=settings.PUBLIC_IDEAS_PER_EMAIL_PER_DAY,
                    seconds=24 * 60 * 60,
                ):
                    return _too_many(request, campaign, _("Many ideas have been sent from your email address today."))
                try:
                    services.submission_create(
                        campaign=campaign,
                        **{k: data[k] for k in ("title", "problem", "proposal", "name", "email", "consent")},
                    )
                except InnovationError as error:
                    form.add_error(None, str(error))
                else:
                    return redirect("public:sent", pk=pk)
    # A fresh signed time each time the form is shown (the template writes it, not the form).
    context = {"campaign": campaign, "form": form, "duplicates": duplicates, "shown": _shown_now()}
    return render(request, "innovation/public/idea_form.html", context)


@require_GET
def campaign_similar_view(request, pk):
    campaign = queries.public_campaign_get(pk=pk)
    ideas = queries.public_similar(campaign=campaign, title=request.GET.get("title", "")[:200])
    return render(request, "innovation/includes/duplicate_hints.html", {"hints": ideas, "public": True})


@require_GET
def campaign_sent_view(request, pk):
    campaign = queries.public_campaign_get(pk=pk)
    return render(request, "innovation/public/sent.html", {"campaign": campaign})


@require_http_methods(["GET", "POST"])
def confirm_view(request, token):
    submission = services.submission_for_token(token)
    if submission is None:
        return render(request, "innovation/public/link_invalid.html", status=404)
    if request.method == "POST" or submission.idea_id is not None:
        # A GET does not confirm: mail scanners open links, and only the person should confirm.
        idea = services.submission_confirm(submission=submission)
        return render(request, "innovation/public/confirmed.html", {"submission": submission, "idea": idea})
    return render(request, "innovation/public/confirm.html", {"submission": submission})


@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    found = originators.unsubscribe_read(token)
    if found is None:
        return render(request, "innovation/public/link_invalid.html", status=404)
    if request.method == "POST":
        originators.originator_unsubscribe(organisation_id=found[0], email=found[1])
        return render(request, "innovation/public/unsubscribed.html")
    return render(request, "innovation/public/unsubscribe.html")

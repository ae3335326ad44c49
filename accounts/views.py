"""Signing in and out, two-factor sign-in, choosing an organisation, an organisation's people pages
and a person's notifications and email settings."""

import base64
import time

import django_otp
import qrcode
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from qrcode.image.svg import SvgPathImage

from accounts import notices, queries, services, sso
from accounts.access import organisation_required, permission_required
from accounts.forms import (
    ChangeRoleForm,
    ChooseOrganisationForm,
    IdentityProviderForm,
    InviteForm,
    NotificationPreferencesForm,
    SignInForm,
    SSOStartForm,
    TwoFactorCodeForm,
)
from accounts.middleware import (
    LAST_SEEN_SESSION_KEY,
    ORGANISATION_SESSION_KEY,
    SESSION_ENDED_SESSION_KEY,
    SIGNED_IN_AT_SESSION_KEY,
)
from accounts.models import TWO_FACTOR_ROLES, IdentityProvider
from accounts.tokens import invitation_token_generator

# The key of an authenticator app being set up, kept in the session until a code confirms it.
TWO_FACTOR_KEY_SESSION_KEY = "lantern_two_factor_key"


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    # A path on this site: anything else that passes the host check ("0", say) would be taken
    # by redirect() for a URL name to reverse, and fail.
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default


def _posted(request):
    """The submitted data, or None for a GET. Not `request.POST or None`: a POST with
    nothing ticked is empty, and must still be checked so that it shows its errors."""
    return request.POST if request.method == "POST" else None


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        session_ended = self.request.session.pop(SESSION_ENDED_SESSION_KEY, False)
        return {
            **super().get_context_data(**kwargs),
            "session_ended": session_ended,
            "sso_offered": IdentityProvider.objects.exists(),
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        for key in (sso.ORGANISATION_SESSION_KEY, sso.MULTI_FACTOR_SESSION_KEY, sso.FLOWS_SESSION_KEY):
            self.request.session.pop(key, None)
        sso.mark_user(user, self.request.session)  # their memberships, as a password opens them
        self.request.session[SIGNED_IN_AT_SESSION_KEY] = self.request.session[LAST_SEEN_SESSION_KEY] = time.time()
        memberships = queries.membership_list_for_user(user=user)
        if not memberships and queries.invitation_list_for_user(user=user):
            return redirect("accounts:invitations")
        if len(memberships) > 1:
            choose = reverse("accounts:choose-organisation")
            return redirect(f"{choose}?{urlencode({'next': self.get_success_url()})}")
        return response


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("accounts:signed-out")

    def post(self, request, *args, **kwargs):
        # Signing out of Lantern ends Lantern's session only; the signed-out page offers the
        # council account's own sign-out (its end-session endpoint) for a session it signed in.
        end_session = sso.end_session_url(request)
        response = super().post(request, *args, **kwargs)
        if end_session:
            request.session[sso.END_SESSION_SESSION_KEY] = end_session
        return response


def signed_out_view(request):
    end_session = request.session.pop(sso.END_SESSION_SESSION_KEY, None)
    return render(request, "accounts/signed_out.html", {"end_session": end_session})


@require_http_methods(["GET", "POST"])
def sso_start_view(request):
    """ "Sign in with your council account": the person picks their council, and is sent to its
    identity provider (accounts.sso)."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request, reverse("home")))
    providers = list(IdentityProvider.objects.select_related("organisation").order_by("organisation__name"))
    # Bound from a link too (?organisation=<id>), which a council can give its people.
    data = request.POST if request.method == "POST" else (request.GET if "organisation" in request.GET else None)
    form = SSOStartForm(data, providers=providers)
    if form.is_bound and form.is_valid():
        provider = next(p for p in providers if p.organisation_id == form.cleaned_data["organisation"])
        try:
            return redirect(sso.authorization_url(request, provider, next_url=_safe_next(request, reverse("home"))))
        except sso.SSOError as error:
            form.add_error("organisation", str(error))
    response = render(request, "accounts/sso_start.html", {"form": form, "next": _safe_next(request, "")})
    # The form's answer is a redirect to the council's provider, which the browser checks against
    # form-action: each provider's origin is allowed on this page, and only here.
    response._csp_update = {"form-action": sorted({sso.origin(p.issuer) for p in providers})}
    return response


@require_http_methods(["GET"])
def sso_callback_view(request):
    try:
        user, provider, multi_factor, next_url = sso.complete(request)
    except sso.SSOError as error:
        return render(request, "accounts/sso_refused.html", {"reason": str(error)}, status=403)
    if request.user.is_authenticated:
        logout(request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    session = request.session
    session[sso.ORGANISATION_SESSION_KEY] = session[ORGANISATION_SESSION_KEY] = provider.organisation_id
    if multi_factor:
        session[sso.MULTI_FACTOR_SESSION_KEY] = True
    session[SIGNED_IN_AT_SESSION_KEY] = session[LAST_SEEN_SESSION_KEY] = time.time()
    allowed = next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(next_url if allowed else "home")


@permission_required("accounts.manage_sso")
@require_http_methods(["GET", "POST"])
def sso_settings_view(request):
    """The organisation's identity provider, as its admin connects it. The secret is never shown back."""
    provider = IdentityProvider.objects.for_organisation(request.organisation).first()
    form = IdentityProviderForm(_posted(request), provider=provider, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        services.identity_provider_save(actor=request.user, organisation=request.organisation, **form.cleaned_data)
        messages.success(request, _("Single sign-on settings saved."))
        return redirect("accounts:sso-settings")
    context = {
        "form": form,
        "provider": provider,
        "secret_source": sso.secret_source(provider) if provider else None,
        "secret_env_name": sso.secret_env_name(request.organisation),
        "callback_url": sso.callback_url(request),
        "domains": request.organisation.verified_domains.all(),
    }
    return render(request, "accounts/sso_settings.html", context)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _qr_code(text: str) -> dict:
    """A QR code as the viewBox and path of an SVG, for the template to draw inline.

    Drawn in the template rather than inserted as markup, so nothing is marked safe; inline
    SVG needs no image request and no style attribute, so the CSP stays as it is.
    """
    image = qrcode.make(text, image_factory=SvgPathImage, border=4)  # drawn into image.path
    return {"view_box": image.get_image().get("viewBox"), "path": image.path.get("d")}


def _two_factor_passed(request, device) -> None:
    django_otp.login(request, device)
    # More trust, a new session key: one fixed on the person before the code is worth nothing after.
    request.session.cycle_key()


@login_required
def two_factor_view(request):
    device = queries.two_factor_device(user=request.user)
    required = queries.two_factor_required(user=request.user, organisation=request.organisation)
    return render(request, "accounts/two_factor.html", {"device": device, "required": required})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup_view(request):
    next_url = _safe_next(request, reverse("home"))
    # A code from the app itself, not the identity provider's second factor (accounts.sso), is what
    # replacing it takes: an app serves every organisation the person works in, a provider only its own.
    if getattr(request.user, "otp_device", None) is None and queries.two_factor_device(user=request.user) is not None:
        # Replacing an app takes a code from the old one (or an admin's reset), not a password alone.
        return redirect(_with_next("accounts:two-factor-verify", next_url))
    key = request.session.get(TWO_FACTOR_KEY_SESSION_KEY)
    if key is None:
        key = request.session[TWO_FACTOR_KEY_SESSION_KEY] = default_key()
    form = TwoFactorCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_device_confirm(user=request.user, key=key, code=form.cleaned_data["code"])
        except services.TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            del request.session[TWO_FACTOR_KEY_SESSION_KEY]
            _two_factor_passed(request, device)
            messages.success(
                request,
                _("Two-factor sign-in is set up. Lantern will ask for a code from your app each time you sign in."),
            )
            return redirect(next_url)
    secret = base64.b32encode(bytes.fromhex(key)).decode()
    required = queries.two_factor_required(user=request.user, organisation=request.organisation)
    context = {
        "form": form,
        "next": _safe_next(request, ""),
        "qr": _qr_code(TOTPDevice(user=request.user, key=key).config_url),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "required": required,
        "replacing": request.user.is_verified(),
        "owes_code": required and not request.user.is_verified(),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify_view(request):
    next_url = _safe_next(request, reverse("home"))
    if request.user.is_verified():
        return redirect(next_url)
    if queries.two_factor_device(user=request.user) is None:
        return redirect(_with_next("accounts:two-factor-setup", next_url))
    form = TwoFactorCodeForm(_posted(request), label=_("Enter the code from your authenticator app"))
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except services.TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            _two_factor_passed(request, device)
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request, "")})


@login_required
@require_http_methods(["GET", "POST"])
def choose_organisation_view(request):
    memberships = request.memberships
    if not memberships:
        return render(request, "accounts/no_organisation.html", status=403)
    form = ChooseOrganisationForm(
        _posted(request),
        memberships=memberships,
        initial={"organisation": request.organisation.pk if request.organisation else None},
    )
    if request.method == "POST" and form.is_valid():
        request.session[ORGANISATION_SESSION_KEY] = form.cleaned_data["organisation"]
        chosen = next(m for m in memberships if m.organisation_id == form.cleaned_data["organisation"])
        messages.success(
            request, _("You are now working in %(organisation)s.") % {"organisation": chosen.organisation.name}
        )
        return redirect(_safe_next(request, reverse("home")))
    return render(request, "accounts/choose_organisation.html", {"form": form, "next": _safe_next(request, "")})


@require_http_methods(["GET", "POST"])
def accept_invitation_view(request, uidb64, token):
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    # An account whose every invitation was withdrawn or declined belongs nowhere: its link is spent.
    if user is None or not invitation_token_generator.check_token(user, token) or not user.memberships.exists():
        return render(request, "accounts/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, _posted(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        services.invitations_accept_with_new_password(user=user)
        messages.success(request, _("Your password is set. Sign in with your email address and new password."))
        return redirect("accounts:sign-in")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invited_user": user})


@login_required
def invitations_view(request):
    return render(request, "accounts/invitations.html", {"invitations": request.invitations})


@login_required
@require_POST
def invitation_accept_view(request, pk):
    invitation = queries.invitation_get_for_user(user=request.user, pk=pk)
    membership = services.membership_accept(user=request.user, membership=invitation)
    request.session[ORGANISATION_SESSION_KEY] = membership.organisation_id
    # Translators: %(role)s is a role in lower case, such as "officer" or "elected member".
    message = _("You have joined %(organisation)s as %(role)s.") % {
        "organisation": membership.organisation.name,
        "role": membership.get_role_display().lower(),
    }
    messages.success(request, message)
    return redirect("home")


@login_required
@require_POST
def invitation_decline_view(request, pk):
    invitation = queries.invitation_get_for_user(user=request.user, pk=pk)
    services.membership_decline(user=request.user, membership=invitation)
    messages.success(
        request,
        _("You have declined the invitation to %(organisation)s.") % {"organisation": invitation.organisation.name},
    )
    return redirect("accounts:invitations")


@permission_required("accounts.view_people")
def people_view(request):
    people = queries.person_list(organisation=request.organisation)
    return render(request, "accounts/people.html", {"people": people})


@permission_required("accounts.manage_people")
@require_http_methods(["GET", "POST"])
def person_invite_view(request):
    form = InviteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_invite(
                actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except services.PeopleError as error:
            form.add_error("email", str(error))
        else:
            # Word for word the same whether or not the address has an account (see membership_invite).
            messages.success(request, _("We have sent an invitation to %(email)s.") % {"email": membership.user.email})
            return redirect("accounts:people")
    return render(request, "accounts/person_invite.html", {"form": form})


@organisation_required
def person_detail_view(request, pk):
    person = queries.person_get_for_user(
        user=request.user, organisation=request.organisation, pk=pk, perm="accounts.view_people"
    )
    history = person.history.select_related("history_user").order_by("-history_date")[:20]
    context = {
        "person": person,
        "history": history,
        # How someone signs in is not the inviting organisation's business until they accept.
        "two_factor_device": None if person.is_pending else queries.two_factor_device(user=person.user),
        "two_factor_required": person.role in TWO_FACTOR_ROLES,
        "may_reset_two_factor": not person.is_pending
        and queries.user_is_wholly_within(user=person.user, organisation=request.organisation),
        "operator_reset": services.TWO_FACTOR_RESET_BY_OPERATOR,
    }
    return render(request, "accounts/person_detail.html", context)


@organisation_required
@require_http_methods(["GET", "POST"])
def person_change_role_view(request, pk):
    person = queries.person_get_for_user(
        user=request.user, organisation=request.organisation, pk=pk, perm="accounts.manage_people"
    )
    form = ChangeRoleForm(_posted(request), initial={"role": person.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(actor=request.user, membership=person, role=form.cleaned_data["role"])
        except services.PeopleError as error:
            form.add_error("role", str(error))
        else:
            person.refresh_from_db()
            # Translators: %(role)s is a role in lower case, such as "officer" or "elected member".
            message = _("%(name)s is now %(role)s.") % {
                "name": person.display_name,
                "role": person.get_role_display().lower(),
            }
            messages.success(request, message)
            return redirect(person)
    return render(request, "accounts/person_change_role.html", {"person": person, "form": form})


@organisation_required
@require_http_methods(["GET", "POST"])
def person_deactivate_view(request, pk):
    person = queries.person_get_for_user(
        user=request.user, organisation=request.organisation, pk=pk, perm="accounts.manage_people"
    )
    error = None
    if request.method == "POST":
        try:
            services.membership_deactivate(actor=request.user, membership=person)
        except services.PeopleError as exc:
            error = str(exc)
        else:
            message = _("%(name)s can no longer use Lantern for %(organisation)s.") % {
                "name": person.display_name,
                "organisation": request.organisation.name,
            }
            messages.success(request, message)
            return redirect(person)
    return render(request, "accounts/person_deactivate.html", {"person": person, "error": error})


@organisation_required
@require_http_methods(["GET", "POST"])
def person_withdraw_view(request, pk):
    person = queries.person_get_for_user(
        user=request.user, organisation=request.organisation, pk=pk, perm="accounts.manage_people"
    )
    error = None
    if request.method == "POST":
        try:
            services.membership_withdraw(actor=request.user, membership=person)
        except services.PeopleError as exc:
            error = str(exc)
        else:
            # Word for word the same whether or not the address has an account (see membership_withdraw).
            messages.success(
                request, _("The invitation to %(email)s has been withdrawn.") % {"email": person.user.email}
            )
            return redirect("accounts:people")
    return render(request, "accounts/person_withdraw.html", {"person": person, "error": error})


@organisation_required
@require_POST
def person_reactivate_view(request, pk):
    person = queries.person_get_for_user(
        user=request.user, organisation=request.organisation, pk=pk, perm="accounts.manage_people"
    )
    try:
        services.membership_reactivate(actor=request.user, membership=person)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        message = _("%(name)s can use Lantern for %(organisation)s again.") % {
            "name": person.display_name,
            "organisation": request.organisation.name,
        }
        messages.success(request, message)
    return redirect(person)


@organisation_required
@require_http_methods(["GET", "POST"])
def person_two_factor_reset_view(request, pk):
    person = queries.person_get_for_user(
        user=request.user, organisation=request.organisation, pk=pk, perm="accounts.manage_people"
    )
    error = None
    if request.method == "POST":
        try:
            services.membership_two_factor_reset(actor=request.user, membership=person)
        except services.PeopleError as exc:
            error = str(exc)
        else:
            message = _(
                "%(name)s’s two-factor sign-in has been reset. "
                "They will set up a new authenticator app the next time they sign in."
            ) % {"name": person.display_name}
            messages.success(request, message)
            return redirect(person)
    return render(request, "accounts/person_two_factor_reset.html", {"person": person, "error": error})


@permission_required("accounts.set_notifications")
@require_http_methods(["GET", "POST"])
def notification_settings_view(request):
    form = NotificationPreferencesForm(request.POST or None, current=notices.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        notices.preference_set(actor=request.user, preferences=form.cleaned_data)
        messages.success(request, _("Your email settings have been saved."))
        return redirect("accounts:notification-settings")
    return render(request, "accounts/notification_settings.html", {"form": form})


NOTICES_PER_PAGE = 25


@permission_required("accounts.read_notices")
def notification_inbox_view(request):
    inbox = notices.inbox_for(user=request.user, organisation=request.organisation)
    page = Paginator(inbox, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/notification_inbox.html", {"page": page})


def _back_to_inbox(request):
    page = request.POST.get("page", "")
    url = reverse("accounts:notification-inbox")
    return redirect(f"{url}?{urlencode({'page': page})}" if page.isdigit() and page != "1" else url)


@permission_required("accounts.read_notices")
@require_POST
def notification_read_view(request, pk):
    notice = notices.notice_mark_read(actor=request.user, organisation=request.organisation, pk=pk)
    messages.success(request, _("Marked as read: %(subject)s") % {"subject": notice.subject})
    return _back_to_inbox(request)


@permission_required("accounts.read_notices")
@require_POST
def notification_read_all_view(request):
    count = notices.notice_mark_all_read(actor=request.user, organisation=request.organisation)
    message = ngettext("%(count)s notification marked as read.", "%(count)s notifications marked as read.", count) % {
        "count": count
    }
    messages.success(request, message)
    return _back_to_inbox(request)

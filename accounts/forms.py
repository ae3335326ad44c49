"""Forms for signing in, choosing an organisation and managing people.

Fields are rendered in the GOV.UK style by templates/includes/field.html and the
`govuk_widget` filter, so forms here say only what they accept.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

from accounts import access_cache, api_tokens, languages, notices, sso
from accounts.models import ROLE_DESCRIPTIONS, ApiToken, Membership, Role

# Django's own messages on the password forms here (its validators and SetPasswordForm) that
# Django's Welsh catalogue leaves in English. Named here so that `make messages-extract` keeps
# them in Lantern's catalogue, which Django reads before its own (LOCALE_PATHS).
DJANGO_MESSAGES_IN_WELSH = (
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
)


class SignInForm(AuthenticationForm):
    """Email and password. The same message for an unknown email and a wrong password."""

    username = UsernameField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("Enter your email address")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )

    error_messages = {
        "invalid_login": _("Enter a correct email address and password"),
        "inactive": _("Enter a correct email address and password"),
        "sso_required": _("%(organisations)s asks you to sign in with your council account, not a password"),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Someone whose every organisation requires single sign-on (and who is not its break-glass
        # admin) cannot use a password at all; one in others too works in those (accounts.queries).
        memberships = access_cache.access_for(user)["memberships"]
        if memberships and not any(m.organisation.password_sign_in_allowed(user) for m in memberships):
            # Translators: joins the names of organisations, as in "Ashby Vale and Kingsmere".
            conjunction = _("and")
            names = f" {conjunction} ".join(m.organisation.name for m in memberships)
            raise forms.ValidationError(
                self.error_messages["sso_required"], code="sso_required", params={"organisations": names}
            )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email queued for a Celery worker.

    Sending in the request would make the page slower for a real account than for an
    unknown address, telling a guesser which addresses have accounts; and a mail server
    that is down would lose the email rather than retry it.
    """

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@council.gov.uk"),
        },
    )

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        with languages.in_language_of(context["user"]):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        notices.email_send(to=[to_email], subject=subject, body=body)


class ChooseOrganisationForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label=_("Which organisation are you working in?"),
        widget=forms.RadioSelect,
        coerce=int,
        # A choice that is not theirs (a tampered form) gets the same plain message.
        error_messages={
            "required": _("Select the organisation you want to work in"),
            "invalid_choice": _("Select the organisation you want to work in"),
        },
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (m.organisation_id, f"{m.organisation.name} ({m.get_role_display().lower()})") for m in memberships
        ]


def _role_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a role"), "invalid_choice": _("Select a role from the list")},
    )


class InviteForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, error_messages={"required": _("Enter the person’s full name")}
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will send an invitation to this address."),
        max_length=254,  # the length the user table holds
        error_messages={
            "max_length": _("Email address must be 254 characters or fewer"),
            "required": _("Enter the person’s email address"),
            "invalid": _("Enter an email address in the correct format, like name@council.gov.uk"),
        },
    )
    role = _role_field(_("Role"))
    partner_organisation_name = forms.CharField(
        label=_("If they are a partner: which partner organisation are they from?"),
        help_text=_(
            "For example, Vale Housing Association. Campaigns can be opened to a partner organisation’s people."
        ),
        max_length=200,
        required=False,
    )

    role_descriptions = ROLE_DESCRIPTIONS

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.PARTNER and not (data.get("partner_organisation_name") or "").strip():
            self.add_error("partner_organisation_name", _("Enter the partner organisation they are from"))
        return data


class ChangeRoleForm(forms.Form):
    role = _role_field(_("New role"))

    role_descriptions = ROLE_DESCRIPTIONS


class TwoFactorCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows. Spaces and dashes, as some apps show, are ignored."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6-digit code your app shows for Lantern, like 123456"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-5",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "required": _("Enter the 6-digit code from your authenticator app"),
            "max_length": _("The code must be 6 numbers"),
        },
    )

    def __init__(self, *args, label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["code"].label = label

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].replace("-", " ").split())
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("The code must be 6 numbers"))
        return code


class NotificationPreferencesForm(forms.Form):
    """How often each kind of notice reaches a person: one question per kind every app registers."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in notices.kinds():
            label = str(kind.label)
            # Translators: %(kind)s is a kind of notification, such as "ideas screened".
            message = _("Choose how often you hear about: %(kind)s") % {"kind": f"{label[0].lower()}{label[1:]}"}
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=kind.frequencies,
                widget=forms.RadioSelect,
                initial=current[kind.value],
                error_messages={"required": message, "invalid_choice": message},
            )


class ApiTokenForm(forms.Form):
    """Names a new integration token, and says what it may do and for how long."""

    name = forms.CharField(
        label=_("Name"),
        help_text=_("Say what uses it, so that you know which to revoke later, like “Performance dashboard”."),
        max_length=100,
        error_messages={
            "required": _("Enter a name for the token"),
            "max_length": _("The name must be 100 characters or fewer"),
        },
    )
    scope = forms.ChoiceField(
        label=_("What may it do?"),
        choices=ApiToken.Scope.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what the token may do"),
            "invalid_choice": _("Select what the token may do"),
        },
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("How long should it last?"),
        help_text=_("After this it stops working, and you make a new one."),
        choices=api_tokens.LIFETIME_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how long the token lasts"),
            "invalid_choice": _("Select how long the token lasts"),
        },
    )

    scope_descriptions = {
        ApiToken.Scope.READ: _("It can read the organisation’s data through the API, and change nothing."),
        ApiToken.Scope.WRITE: _("It can also log ideas and import performance data, as an admin can."),
    }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter a name for the token"))
        return name


class SSOStartForm(forms.Form):
    """ "Sign in with your council account": which council's identity provider to go to."""

    organisation = forms.TypedChoiceField(
        label=_("Which council do you work for?"),
        coerce=int,
        error_messages={
            "required": _("Select the council you work for"),
            "invalid_choice": _("Select the council you work for"),
        },
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("Choose your council"))] + [
            (p.organisation_id, p.organisation.name) for p in providers
        ]


class IdentityProviderForm(forms.Form):
    """The organisation's OpenID Connect identity provider, as its admin connects it.

    The client secret is never shown back: left blank, the one stored is kept. The issuer is
    checked by reading its discovery document before anything is saved.
    """

    issuer = forms.URLField(
        label=_("Issuer URL"),
        help_text=_("For Microsoft Entra ID: https://login.microsoftonline.com/your-tenant-ID/v2.0"),
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": _("Enter the issuer URL"),
            "invalid": _("Enter the issuer URL as a web address, like https://login.microsoftonline.com/…/v2.0"),
            "max_length": _("The issuer URL must be 500 characters or fewer"),
        },
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    client_id = forms.CharField(
        label=_("Client ID"),
        help_text=_("For Microsoft Entra ID: the application (client) ID of the app registration."),
        max_length=255,
        error_messages={
            "required": _("Enter the client ID"),
            "max_length": _("The client ID must be 255 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=1000,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "spellcheck": "false"}, render_value=False),
        error_messages={"max_length": _("The client secret must be 1000 characters or fewer")},
    )
    provision_officers = forms.BooleanField(
        label=_("Give the officer role to people signing in for the first time"),
        help_text=_("Only for email addresses in the organisation’s verified domains, listed above."),
        required=False,
    )
    sso_required = forms.BooleanField(
        label=_("Require single sign-on: refuse password sign-in for the organisation’s people"),
        help_text=_("Except the break-glass admin below."),
        required=False,
    )
    break_glass = forms.TypedChoiceField(
        label=_("Break-glass admin"),
        help_text=_("The one admin who may still sign in with a password, in case the council account stops working."),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Select one of the organisation’s admins")},
    )

    def __init__(self, *args, provider, organisation, **kwargs):
        self.provider = provider
        self.organisation = organisation
        initial = {"sso_required": organisation.sso_required, "break_glass": organisation.sso_break_glass_id}
        if provider is not None:
            initial |= {
                "issuer": provider.issuer,
                "client_id": provider.client_id,
                "provision_officers": provider.provision_officers,
            }
        super().__init__(*args, initial=initial, **kwargs)
        self.admins = {
            m.user_id: m.user
            for m in Membership.objects.for_organisation(organisation)
            .active()
            .filter(role=Role.ADMIN)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        }
        self.fields["break_glass"].choices = [("", _("No one"))] + [
            (pk, f"{user.full_name} ({user.email})" if user.full_name else user.email)
            for pk, user in self.admins.items()
        ]
        source = sso.secret_source(provider) if provider is not None else None
        if source == "environment":
            self.fields["client_secret"].help_text = _(
                "Read from the environment variable %(name)s; one entered here is kept but not used while that is set."
            ) % {"name": sso.secret_env_name(organisation)}
        elif source == "stored":
            self.fields["client_secret"].help_text = _("A secret is stored; enter a new one to replace it.")
        else:
            self.fields["client_secret"].help_text = _("For Microsoft Entra ID: the value of a client secret.")

    def clean_break_glass(self):
        pk = self.cleaned_data.get("break_glass")
        return self.admins.get(pk) if pk is not None else None

    def clean(self):
        data = super().clean()
        has_secret = bool(data.get("client_secret")) or (
            self.provider is not None and sso.secret_source(self.provider) is not None
        )
        if not has_secret and "client_secret" not in self.errors:
            self.add_error("client_secret", _("Enter the client secret"))
        if data.get("sso_required") and data.get("break_glass") is None and "break_glass" not in self.errors:
            self.add_error(
                "break_glass", _("Select a break-glass admin, so that someone can sign in if single sign-on fails")
            )
        if data.get("issuer") and not self.errors:
            try:
                sso.discover(data["issuer"], fresh=True)
            except sso.SSOError as error:
                # Translators: %(error)s says why the identity provider cannot be used (a sentence, no full stop).
                self.add_error("issuer", _("%(error)s. Check the issuer URL") % {"error": error})
        return data


class LanguageForm(forms.Form):
    """English or Welsh: the person's own language, or an organisation's default for its new people."""

    language = forms.ChoiceField(
        label=_("Which language do you want to use Lantern in?"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a language"), "invalid_choice": _("Select a language")},
    )

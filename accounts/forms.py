"""Forms for signing in, choosing an organisation and managing people.

Fields are rendered in the GOV.UK style by templates/includes/field.html and the
`govuk_widget` filter, so forms here say only what they accept.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField
from django.template import loader

from accounts import api_tokens, notices
from accounts.models import ROLE_DESCRIPTIONS, ApiToken, Role


class SignInForm(AuthenticationForm):
    """Email and password. The same message for an unknown email and a wrong password."""

    username = UsernameField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Enter a correct email address and password",
    }


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email queued for a Celery worker.

    Sending in the request would make the page slower for a real account than for an
    unknown address, telling a guesser which addresses have accounts; and a mail server
    that is down would lose the email rather than retry it.
    """

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
        },
    )

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        notices.email_send(to=[to_email], subject=subject, body=body)


class ChooseOrganisationForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label="Which organisation are you working in?",
        widget=forms.RadioSelect,
        coerce=int,
        # A choice that is not theirs (a tampered form) gets the same plain message.
        error_messages={
            "required": "Select the organisation you want to work in",
            "invalid_choice": "Select the organisation you want to work in",
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
        error_messages={"required": "Select a role", "invalid_choice": "Select a role from the list"},
    )


class InviteForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter the person’s full name"}
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will send an invitation to this address.",
        max_length=254,  # the length the user table holds
        error_messages={
            "max_length": "Email address must be 254 characters or fewer",
            "required": "Enter the person’s email address",
            "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
        },
    )
    role = _role_field("Role")
    partner_organisation_name = forms.CharField(
        label="If they are a partner: which partner organisation are they from?",
        help_text="For example, Vale Housing Association. Campaigns can be opened to a partner organisation’s people.",
        max_length=200,
        required=False,
    )

    role_descriptions = ROLE_DESCRIPTIONS

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.PARTNER and not (data.get("partner_organisation_name") or "").strip():
            self.add_error("partner_organisation_name", "Enter the partner organisation they are from")
        return data


class ChangeRoleForm(forms.Form):
    role = _role_field("New role")

    role_descriptions = ROLE_DESCRIPTIONS


class TwoFactorCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows. Spaces and dashes, as some apps show, are ignored."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows for Lantern, like 123456",
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
            "required": "Enter the 6-digit code from your authenticator app",
            "max_length": "The code must be 6 numbers",
        },
    )

    def __init__(self, *args, label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["code"].label = label

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].replace("-", " ").split())
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError("The code must be 6 numbers")
        return code


class NotificationPreferencesForm(forms.Form):
    """How often each kind of notice reaches a person: one question per kind every app registers."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in notices.kinds():
            message = f"Choose how often you hear about: {kind.label[0].lower()}{kind.label[1:]}"
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
        label="Name",
        help_text="Say what uses it, so that you know which to revoke later, like “Performance dashboard”.",
        max_length=100,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    scope = forms.ChoiceField(
        label="What may it do?",
        choices=ApiToken.Scope.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the token may do",
            "invalid_choice": "Select what the token may do",
        },
    )
    lifetime_days = forms.TypedChoiceField(
        label="How long should it last?",
        help_text="After this it stops working, and you make a new one.",
        choices=api_tokens.LIFETIME_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how long the token lasts",
            "invalid_choice": "Select how long the token lasts",
        },
    )

    scope_descriptions = {
        ApiToken.Scope.READ: "It can read the organisation’s data through the API, and change nothing.",
        ApiToken.Scope.WRITE: "It can also log ideas and import performance data, as an admin can.",
    }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a name for the token")
        return name

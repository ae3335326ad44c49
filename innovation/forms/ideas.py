"""Ideas, campaigns and screening: logging an idea, deciding on it and scoring it."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import bilingual
from accounts.models import Organisation, PartnerOrganisation
from innovation import queries
from innovation.forms.fields import CHECKBOX, SCORE_CHOICES, DateInput, required_error
from innovation.models import (
    Campaign,
    Idea,
    Source,
)
from portfolio import queries as portfolio_queries
from portfolio.models import Indicator, ServiceArea


def _title_field() -> forms.CharField:
    return forms.CharField(
        label=_("Give your idea a short title"), max_length=200, error_messages=required_error(_("Enter a title"))
    )


def hint_as_you_type(field: forms.Field, url: str) -> None:
    """Asks `url` for likely duplicates of the title half a second after typing stops (htmx), into
    the region below the field; without JavaScript the same hints come after sending."""
    field.widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "keyup changed delay:500ms",
            "hx-target": "#duplicate-hints",
            "hx-swap": "innerHTML",
            "autocomplete": "off",
        }
    )


class IdeaForm(forms.Form):
    title = _title_field()
    problem = forms.CharField(
        label=_("What problem does it address?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error(_("Enter the problem your idea addresses")),
    )
    proposal = forms.CharField(
        label=_("What do you propose?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_error(_("Enter what you propose")),
    )
    service_areas = forms.ModelMultipleChoiceField(
        label=_("Which service areas does it touch?"),
        help_text=_("Select all that apply."),
        queryset=ServiceArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages=required_error(_("Select at least one service area")),
    )
    source = forms.ChoiceField(
        label=_("Where did the idea come from?"),
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages=required_error(_("Select where the idea came from")),
    )
    indicator = forms.ModelChoiceField(
        label=_("Which performance indicator should it improve? (optional)"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("None chosen"),
    )
    campaign = forms.ModelChoiceField(
        label=_("Does it answer a campaign? (optional)"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("No campaign"),
    )
    originator_name = forms.CharField(
        label=_("If you are logging it for someone else: their name (optional)"),
        help_text=_("A resident, a provider or anyone outside the council whose idea this is."),
        max_length=150,
        required=False,
    )
    originator_email = forms.EmailField(
        label=_("Their email address (optional)"),
        help_text=_(
            "Only with their agreement. They will be told what happens to their idea, and can stop the emails."
        ),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter their email address in the correct format, like name@example.com")},
    )
    originator_consent = forms.BooleanField(
        label=_("They agree to be emailed about what happens to their idea"), required=False, widget=CHECKBOX
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_duplicates = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation: Organisation, idea: Idea | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        hint_as_you_type(self.fields["title"], reverse("innovation:idea-similar"))
        if idea is not None:
            # Who the idea is for is recorded when it is logged.
            for name in ("originator_name", "originator_email", "originator_consent"):
                del self.fields[name]
        self.fields["service_areas"].queryset = ServiceArea.objects.for_organisation(organisation)
        campaigns = Campaign.objects.for_organisation(organisation).open()
        if idea is not None and idea.campaign_id:
            campaigns = campaigns | Campaign.objects.for_organisation(organisation).filter(pk=idea.campaign_id)
        self.fields["campaign"].queryset = campaigns
        # What the organisation's kind reports or it has figures for (portfolio.catalogue.SERVICES_BY_KIND).
        self.fields["indicator"].queryset = portfolio_queries.indicator_choices(
            organisation=organisation, include_pk=idea.indicator_id if idea is not None else None
        )

    def clean(self):
        data = super().clean()
        if "originator_email" in self.fields:
            if data.get("originator_email") and not data.get("originator_consent"):
                self.add_error(
                    "originator_consent", _("Confirm they agree to be emailed, or leave their email address empty")
                )
            if data.get("originator_email") and not (data.get("originator_name") or "").strip():
                self.add_error("originator_name", _("Enter the name of the person whose idea it is"))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("seen_duplicates", None)
        return data


class OutsiderIdeaForm(forms.Form):
    """The idea itself, as a partner or a resident gives it: no council vocabulary."""

    title = _title_field()
    problem = forms.CharField(
        label=_("What problem would it solve?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error(_("Enter the problem your idea would solve")),
    )
    proposal = forms.CharField(
        label=_("What is your idea?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_error(_("Enter your idea")),
    )
    seen_duplicates = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, hints_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        hint_as_you_type(self.fields["title"], hints_url)


class PublicIdeaForm(OutsiderIdeaForm):
    """A campaign's public page. Besides the idea: who gives it, and two checks for robots that
    track nobody: a honeypot field people never see, and the signed time the form was shown."""

    name = forms.CharField(label=_("Your name"), max_length=150, error_messages=required_error(_("Enter your name")))
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We will send you a link to confirm it. Your idea is only sent once you have."),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    consent = forms.BooleanField(
        label=_("I agree to be emailed about my idea and what happens to it"),
        widget=CHECKBOX,
        error_messages=required_error(_("Agree to be emailed about your idea, so that we can confirm it is yours")),
    )
    # The honeypot: hidden from people (the `hidden` attribute on its wrapper), filled by robots.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)
    shown = forms.CharField(widget=forms.HiddenInput, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error(_("Enter your comment")),
    )


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, error_messages=required_error(_("Enter a title")))
    question = forms.CharField(
        label=_("What question should ideas answer?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error(_("Enter the question")),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(),
        help_text=_("The campaign closes at the end of this day."),
        error_messages={"required": _("Enter the deadline"), "invalid": _("Enter the deadline as a real date")},
    )
    service_areas = forms.ModelMultipleChoiceField(
        label=_("Service areas (optional)"),
        queryset=ServiceArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_public = forms.BooleanField(
        label=_("Open it to the public"),
        help_text=_("Anyone can give an idea on the campaign’s own public page, after confirming their email address."),
        required=False,
        widget=CHECKBOX,
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        label=_("Open it to partner organisations (optional)"),
        help_text=_("Their people see this campaign, and give ideas to it, when they sign in."),
        queryset=PartnerOrganisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    language = bilingual.language_form_field(_("Which language are the title and question written in?"))

    # The same campaign in the other language, in its own optional section of the form.
    translation_labels = {
        "title": _("Title in the other language"),
        "question": _("The question in the other language"),
    }
    translation_missing = {
        "title": _("Enter the title in the other language, or leave all of the other language empty"),
        "question": _("Enter the question in the other language, or leave all of the other language empty"),
    }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_areas"].queryset = ServiceArea.objects.for_organisation(organisation)
        self.fields["partner_organisations"].queryset = PartnerOrganisation.objects.for_organisation(organisation)
        self.fields.update(bilingual.translation_form_fields(Campaign, self.translation_labels))
        # The error summary lists problems in the order the page shows the fields.
        self.order_fields(["language", "title", "question", *Campaign.bilingual.translation_fields(), "deadline"])

    def clean(self):
        cleaned = super().clean()
        bilingual.clean_language(cleaned)
        for name, message in bilingual.translation_errors(Campaign, cleaned, self.translation_missing).items():
            self.add_error(name, message)
        return cleaned

    def translation_fields(self):
        """The bound fields of the campaign in the other language, for the form's optional section."""
        return [self[name] for name in Campaign.bilingual.translation_fields()]


# ---------------------------------------------------------------- screening


class AcceptForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Who will own the project?"),
        queryset=None,
        error_messages=required_error(_("Select the manager who will own the project")),
    )
    comment = forms.CharField(label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = queries.manager_choices(organisation=organisation)


class ClarifyForm(forms.Form):
    request = forms.CharField(
        label=_("What does the author need to clarify?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error(_("Enter what the author needs to clarify")),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the idea declined?"),
        help_text=_("The author will be sent this reason."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error(_("Enter the reason the idea is declined")),
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Which idea does this one duplicate?"),
        queryset=Idea.objects.none(),
        error_messages=required_error(_("Select the idea it duplicates")),
    )
    comment = forms.CharField(label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, organisation: Organisation, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Idea.objects.for_organisation(organisation).live().exclude(pk=idea.pk)


class AssignAssessorForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label=_("Who should score this idea?"), queryset=None, error_messages=required_error(_("Select an assessor"))
    )
    lead = forms.BooleanField(
        label=_("Make them the lead assessor, who makes the screening decision"), required=False, widget=CHECKBOX
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = queries.assessor_choices(organisation=organisation)


class ScoreForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes (only you and the lead assessor see these)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s (weight %(weight)s)") % {"name": criterion.name, "weight": criterion.weight},
                help_text=criterion.description,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages=required_error(_("Select a score for %(name)s") % {"name": criterion.name.lower()}),
            )
        self.order_fields([f"criterion_{c.pk}" for c in criteria] + ["notes"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


# ---------------------------------------------------------------- projects

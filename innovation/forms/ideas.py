"""Ideas, campaigns and screening: logging an idea, deciding on it and scoring it."""

from django import forms

from accounts.models import Organisation
from innovation import queries
from innovation.forms.fields import CHECKBOX, SCORE_CHOICES, DateInput, required_error
from innovation.models import (
    Campaign,
    Idea,
    Source,
)
from portfolio import queries as portfolio_queries
from portfolio.models import Indicator, ServiceArea


class IdeaForm(forms.Form):
    title = forms.CharField(
        label="Give your idea a short title", max_length=200, error_messages=required_error("Enter a title")
    )
    problem = forms.CharField(
        label="What problem does it address?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error("Enter the problem your idea addresses"),
    )
    proposal = forms.CharField(
        label="What do you propose?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_error("Enter what you propose"),
    )
    service_areas = forms.ModelMultipleChoiceField(
        label="Which service areas does it touch?",
        help_text="Select all that apply.",
        queryset=ServiceArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages=required_error("Select at least one service area"),
    )
    source = forms.ChoiceField(
        label="Where did the idea come from?",
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages=required_error("Select where the idea came from"),
    )
    indicator = forms.ModelChoiceField(
        label="Which performance indicator should it improve? (optional)",
        queryset=Indicator.objects.none(),
        required=False,
        empty_label="None chosen",
    )
    campaign = forms.ModelChoiceField(
        label="Does it answer a campaign? (optional)",
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="No campaign",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_duplicates = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation: Organisation, idea: Idea | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_areas"].queryset = ServiceArea.objects.for_organisation(organisation)
        campaigns = Campaign.objects.for_organisation(organisation).open()
        if idea is not None and idea.campaign_id:
            campaigns = campaigns | Campaign.objects.for_organisation(organisation).filter(pk=idea.campaign_id)
        self.fields["campaign"].queryset = campaigns
        # What the organisation's kind reports or it has figures for (portfolio.catalogue.SERVICES_BY_KIND).
        self.fields["indicator"].queryset = portfolio_queries.indicator_choices(
            organisation=organisation, include_pk=idea.indicator_id if idea is not None else None
        )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("seen_duplicates", None)
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error("Enter your comment"),
    )


class CampaignForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages=required_error("Enter a title"))
    question = forms.CharField(
        label="What question should ideas answer?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error("Enter the question"),
    )
    deadline = forms.DateField(
        widget=DateInput(),
        help_text="The campaign closes at the end of this day.",
        error_messages={"required": "Enter the deadline", "invalid": "Enter the deadline as a real date"},
    )
    service_areas = forms.ModelMultipleChoiceField(
        label="Service areas (optional)",
        queryset=ServiceArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_areas"].queryset = ServiceArea.objects.for_organisation(organisation)


# ---------------------------------------------------------------- screening


class AcceptForm(forms.Form):
    owner = forms.ModelChoiceField(
        label="Who will own the project?",
        queryset=None,
        error_messages=required_error("Select the manager who will own the project"),
    )
    comment = forms.CharField(label="Comment (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = queries.manager_choices(organisation=organisation)


class ClarifyForm(forms.Form):
    request = forms.CharField(
        label="What does the author need to clarify?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error("Enter what the author needs to clarify"),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why is the idea declined?",
        help_text="The author will be sent this reason.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error("Enter the reason the idea is declined"),
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label="Which idea does this one duplicate?",
        queryset=Idea.objects.none(),
        error_messages=required_error("Select the idea it duplicates"),
    )
    comment = forms.CharField(label="Comment (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, organisation: Organisation, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Idea.objects.for_organisation(organisation).live().exclude(pk=idea.pk)


class AssignAssessorForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label="Who should score this idea?", queryset=None, error_messages=required_error("Select an assessor")
    )
    lead = forms.BooleanField(
        label="Make them the lead assessor, who makes the screening decision", required=False, widget=CHECKBOX
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = queries.assessor_choices(organisation=organisation)


class ScoreForm(forms.Form):
    notes = forms.CharField(
        label="Notes (only you and the lead assessor see these)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.name} (weight {criterion.weight})",
                help_text=criterion.description,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages=required_error(f"Select a score for {criterion.name.lower()}"),
            )
        self.order_fields([f"criterion_{c.pk}" for c in criteria] + ["notes"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


# ---------------------------------------------------------------- projects

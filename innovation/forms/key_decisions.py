"""Input for the key-decision threshold, forward plan entries and their urgency routes."""

from django import forms

from innovation.forms.fields import MONEY_ERRORS, DateInput, required_error
from innovation.models import ForwardPlanEntry


class KeyDecisionThresholdForm(forms.Form):
    amount = forms.DecimalField(
        label="Key-decision threshold, in pounds",
        required=False,
        min_value=1,
        max_digits=14,
        decimal_places=2,
        help_text="A project whose budget or whole-life cost is this much or more is a key decision and must "
        "be on the forward plan for 28 clear days before it is decided. Leave blank if none of your "
        "projects are key decisions.",
        error_messages={**MONEY_ERRORS, "min_value": "Enter an amount of £1 or more, or leave it blank"},
    )


class ForwardPlanForm(forms.Form):
    decision_maker = forms.CharField(
        label="Decision-maker",
        max_length=200,
        help_text="The body or the role that will decide, such as “Cabinet” or “Cabinet Member for Housing”.",
        error_messages=required_error("Enter who will make the decision"),
    )
    expected_date = forms.DateField(
        label="Expected date of the decision",
        widget=DateInput(),
        help_text="It can be made no sooner than 28 clear days after the day it is published.",
        error_messages={"required": "Enter the expected date of the decision", "invalid": "Enter a real date"},
    )
    documents = forms.CharField(
        label="Documents to be considered",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: report of the Director of Resources; business case; risk assessment.",
        error_messages=required_error("Enter the documents the decision-maker will consider"),
    )


class ForwardPlanExceptionForm(forms.Form):
    route = forms.ChoiceField(
        label="Which urgency route?",
        choices=ForwardPlanEntry.Route.choices,
        widget=forms.RadioSelect,
        error_messages=required_error("Select the urgency route"),
    )
    reason = forms.CharField(
        label="Why the decision cannot wait for 28 clear days’ notice",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error("Enter why the decision cannot wait"),
    )
    chair = forms.CharField(
        label="Chair of the overview and scrutiny committee",
        max_length=200,
        help_text="Their name and role, such as “Cllr Ann Lee, Chair of Overview and Scrutiny Committee”.",
        error_messages=required_error("Enter the chair of scrutiny"),
    )
    date = forms.DateField(
        label="Date the chair was told in writing (general exception) or agreed (special urgency)",
        widget=DateInput(),
        error_messages={"required": "Enter the date the chair was told or agreed", "invalid": "Enter a real date"},
    )

    DESCRIPTIONS = {
        ForwardPlanEntry.Route.GENERAL: "The chair has been told in writing. The decision can be made 5 clear "
        "days after this is published.",
        ForwardPlanEntry.Route.SPECIAL_URGENCY: "The chair has agreed that the decision is urgent and cannot "
        "reasonably be deferred. It can be made from the day they agreed.",
    }

"""Input for the key-decision threshold, forward plan entries and their urgency routes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innovation.forms.fields import MONEY_ERRORS, DateInput, required_error
from innovation.models import ForwardPlanEntry


class KeyDecisionThresholdForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Key-decision threshold, in pounds"),
        required=False,
        min_value=1,
        max_digits=14,
        decimal_places=2,
        help_text=_(
            "A project whose budget or whole-life cost is this much or more is a key decision and must "
            "be on the forward plan for 28 clear days before it is decided. Leave blank if none of your "
            "projects are key decisions."
        ),
        error_messages={**MONEY_ERRORS, "min_value": _("Enter an amount of £1 or more, or leave it blank")},
    )


class ForwardPlanForm(forms.Form):
    decision_maker = forms.CharField(
        label=_("Decision-maker"),
        max_length=200,
        help_text=_("The body or the role that will decide, such as “Cabinet” or “Cabinet Member for Housing”."),
        error_messages=required_error(_("Enter who will make the decision")),
    )
    expected_date = forms.DateField(
        label=_("Expected date of the decision"),
        widget=DateInput(),
        help_text=_("It can be made no sooner than 28 clear days after the day it is published."),
        error_messages={"required": _("Enter the expected date of the decision"), "invalid": _("Enter a real date")},
    )
    documents = forms.CharField(
        label=_("Documents to be considered"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: report of the Director of Resources; business case; risk assessment."),
        error_messages=required_error(_("Enter the documents the decision-maker will consider")),
    )


class ForwardPlanExceptionForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Which urgency route?"),
        choices=ForwardPlanEntry.Route.choices,
        widget=forms.RadioSelect,
        error_messages=required_error(_("Select the urgency route")),
    )
    reason = forms.CharField(
        label=_("Why the decision cannot wait for 28 clear days’ notice"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error(_("Enter why the decision cannot wait")),
    )
    chair = forms.CharField(
        label=_("Chair of the overview and scrutiny committee"),
        max_length=200,
        help_text=_("Their name and role, such as “Cllr Ann Lee, Chair of Overview and Scrutiny Committee”."),
        error_messages=required_error(_("Enter the chair of scrutiny")),
    )
    date = forms.DateField(
        label=_("Date the chair was told in writing (general exception) or agreed (special urgency)"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date the chair was told or agreed"),
            "invalid": _("Enter a real date"),
        },
    )

    DESCRIPTIONS = {
        ForwardPlanEntry.Route.GENERAL: _(
            "The chair has been told in writing. The decision can be made 5 clear days after this is published."
        ),
        ForwardPlanEntry.Route.SPECIAL_URGENCY: _(
            "The chair has agreed that the decision is urgent and cannot "
            "reasonably be deferred. It can be made from the day they agreed."
        ),
    }

"""Input for risk assessments, risks, controls, reviews and the risk appetite."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import COUNCIL_ROLES, Organisation, User
from risk import scoring
from risk.models import Category, Control, Status, Treatment

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

LIKELIHOOD_CHOICES = [(n, format_lazy("{} – {}", n, label)) for n, label in scoring.LIKELIHOOD_LABELS.items()]
IMPACT_CHOICES = [(n, format_lazy("{} – {}", n, label)) for n, label in scoring.IMPACT_LABELS.items()]


def people_of(organisation: Organisation):
    """Everyone active who works for the organisation (never a partner): who can own a risk or a control."""
    return (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=COUNCIL_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


# What a likelihood or impact field is called, and what it says when left empty.
SCALE_WORDS = {
    "inherent_likelihood": (_("Likelihood before controls"), _("Select the likelihood before controls")),
    "inherent_impact": (_("Impact before controls"), _("Select the impact before controls")),
    "residual_likelihood": (_("Likelihood after controls"), _("Select the likelihood after controls")),
    "residual_impact": (_("Impact after controls"), _("Select the impact after controls")),
}


def _scale_field(name: str, choices, *, required: bool = True, help_text: str = "") -> forms.TypedChoiceField:
    label, required_message = SCALE_WORDS[name]
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required_message},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class RiskForm(forms.Form):
    title = forms.CharField(
        label=_("Risk"),
        max_length=200,
        help_text=_("A short name, for example: Supplier cannot deliver on time"),
        error_messages={"required": _("Enter the risk")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What could happen, what would cause it, and what it would mean for the service."),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the category")},
    )
    owner = PersonChoiceField(
        label=_("Risk owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No owner yet"),
        help_text=_("The person who watches this risk and reviews it. Every risk needs one before approval."),
    )
    inherent_likelihood = _scale_field("inherent_likelihood", LIKELIHOOD_CHOICES)
    inherent_impact = _scale_field("inherent_impact", IMPACT_CHOICES)
    treatment = forms.ChoiceField(
        label=_("Treatment"),
        choices=Treatment.choices,
        widget=forms.RadioSelect,
        initial=Treatment.REDUCE,
        error_messages={"required": _("Select how the risk will be treated")},
    )
    residual_likelihood = _scale_field(
        "residual_likelihood", LIKELIHOOD_CHOICES, required=False, help_text=_("Leave blank if not yet known.")
    )
    residual_impact = _scale_field(
        "residual_impact", IMPACT_CHOICES, required=False, help_text=_("Leave blank if not yet known.")
    )
    review_date = forms.DateField(
        label=_("Next review date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Leave blank to set it by the risk’s band: very high monthly, high quarterly, else every 6 months."
        ),
        error_messages={"invalid": _("Enter the next review date as a real date")},
    )

    treatment_descriptions = {
        Treatment.ACCEPT: _("Live with it, and watch it."),
        Treatment.REDUCE: _("Put controls in place to make it less likely or less harmful."),
        Treatment.AVOID: _("Change the plan so that it cannot happen."),
        Treatment.TRANSFER: _("Pass it to someone better placed to bear it, such as an insurer or a contractor."),
    }
    category_descriptions = {
        Category.MISSED_OPPORTUNITY: _("What happens to the service and its indicator if nothing changes."),
    }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(organisation)

    def clean(self):
        cleaned = super().clean()
        likelihood, impact = cleaned.get("residual_likelihood"), cleaned.get("residual_impact")
        if likelihood is None and impact is not None:
            self.add_error("residual_likelihood", _("Select the likelihood after controls, or clear the impact"))
        if impact is None and likelihood is not None:
            self.add_error("residual_impact", _("Select the impact after controls, or clear the likelihood"))
        return cleaned


class ReviewForm(forms.Form):
    inherent_likelihood = _scale_field("inherent_likelihood", LIKELIHOOD_CHOICES)
    inherent_impact = _scale_field("inherent_impact", IMPACT_CHOICES)
    residual_likelihood = _scale_field("residual_likelihood", LIKELIHOOD_CHOICES)
    residual_impact = _scale_field("residual_impact", IMPACT_CHOICES)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the risk’s status")},
    )
    note = forms.CharField(
        label=_("What has changed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: the supplier has signed the contract, so delay is less likely."),
        error_messages={"required": _("Enter what has changed since the last review")},
    )
    review_date = forms.DateField(
        label=_("Next review date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave blank to set it by the new score’s band."),
        error_messages={"invalid": _("Enter the next review date as a real date")},
    )


class ControlForm(forms.Form):
    description = forms.CharField(
        label=_("Control or mitigation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the control or mitigation")},
    )
    owner = PersonChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("No owner yet")
    )
    cost = forms.DecimalField(
        label=_("Cost in pounds"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={"invalid": _("Enter the cost as a number, like 1500 or 1500.50")},
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Enter the start date as a real date")},
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Enter the due date as a real date")},
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Control.Status.choices, widget=forms.RadioSelect, initial=Control.Status.PLANNED
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(organisation)


class AssessmentForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("How the risks of going ahead compare with the risk of leaving the service as it is."),
        error_messages={"required": _("Enter a summary comparing the risks of innovating and of not innovating")},
    )
    recommendation = forms.CharField(
        label=_("Recommendation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter a recommendation")},
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter your comment")},
    )


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Why are you escalating this risk to members?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why you are escalating this risk")},
    )


class AcceptForm(forms.Form):
    until = forms.DateField(
        label=_("Accepted until"),
        widget=DATE_WIDGET,
        help_text=_("The acceptance shows as expired on the register after this date."),
        error_messages={"required": _("Enter the date the acceptance lasts until"), "invalid": _("Enter a real date")},
    )
    note = forms.CharField(
        label=_("Why is this risk acceptable?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why the risk is acceptable")},
    )


class AppetiteForm(forms.Form):
    max_residual_score = forms.IntegerField(
        label=_("Highest residual score accepted without a member’s explicit acceptance"),
        min_value=1,
        max_value=25,
        help_text=_("A score from 1 to 25. Scores of 10 to 14 are high, 15 to 25 very high."),
        error_messages={
            "required": _("Enter the highest residual score"),
            "invalid": _("Enter the score as a whole number from 1 to 25"),
            "min_value": _("Enter a score of 1 or more"),
            "max_value": _("Enter a score of 25 or less"),
        },
    )
    acceptance_months = forms.IntegerField(
        label=_("How many months a member’s acceptance of a risk lasts"),
        min_value=1,
        max_value=36,
        required=False,
        help_text=_(
            "When a member approves a project and accepts its risks above the appetite, each "
            "acceptance lasts this long, then shows as expired on the register. From 1 to 36 months."
        ),
        error_messages={
            "invalid": _("Enter the number of months as a whole number from 1 to 36"),
            "min_value": _("Enter 1 month or more"),
            "max_value": _("Enter 36 months or fewer"),
        },
    )

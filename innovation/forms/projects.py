"""Projects: their details, business case, decision, progress, team and evaluation."""

from django import forms

from accounts.models import Organisation
from accounts.templatetags.govuk import money
from innovation import evidence, queries
from innovation.forms.fields import CHECKBOX, MONEY_ERRORS, SCORE_CHOICES, DateInput, required_error
from innovation.models import (
    RAG,
    BusinessCaseOption,
    Decision,
    Evaluation,
    Factor,
    Involvement,
    Milestone,
    ProjectType,
)
from innovation.optimism import BOUNDS
from portfolio import queries as portfolio_queries
from portfolio.models import Indicator, ServiceArea


class ProjectForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages=required_error("Enter a title"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    service_areas = forms.ModelMultipleChoiceField(
        label="Service areas it spans",
        queryset=ServiceArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages=required_error("Select at least one service area"),
    )
    indicator = forms.ModelChoiceField(
        label="Indicator it aims to move (optional)",
        queryset=Indicator.objects.none(),
        required=False,
        empty_label="None chosen",
    )
    budget = forms.DecimalField(
        label="Budget in pounds (optional)",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        error_messages={"invalid": "Enter the budget as a number, like 25000"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_areas"].queryset = ServiceArea.objects.for_organisation(organisation)
        # As the idea form offers, keeping the project's current indicator even if since retired.
        current = self.initial.get("indicator")
        self.fields["indicator"].queryset = portfolio_queries.indicator_choices(
            organisation=organisation, include_pk=getattr(current, "pk", current)
        )


class SponsorForm(forms.Form):
    sponsor = forms.ModelChoiceField(
        label="Which elected member sponsors this project?",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages=required_error("Select the sponsoring member"),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = queries.member_choices(organisation=organisation)


class BusinessCaseForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the case",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Needed before the project can go for approval.",
    )
    recommended_option = forms.ChoiceField(
        label="Which option do you recommend?",
        choices=BusinessCaseOption.Kind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    FIGURES = (
        ("one_off_cost", "One-off cost (£)"),
        ("running_cost", "Yearly running cost (£)"),
        ("benefit", "Yearly benefit (£)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in BusinessCaseOption.Kind.choices:
            self.fields[f"{kind}-description"] = forms.CharField(
                label=f"{label}: what it means", widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            for name, figure in self.FIGURES:
                # Doing nothing can cost the council every year (a service getting worse, fines,
                # demand rising): its yearly benefit may be negative, written like -90000.
                cost_of_doing_nothing = kind == BusinessCaseOption.Kind.DO_NOTHING and name == "benefit"
                self.fields[f"{kind}-{name}"] = forms.DecimalField(
                    label=f"{label}: {figure[0].lower()}{figure[1:]}",
                    min_value=None if cost_of_doing_nothing else 0,
                    max_digits=14,
                    decimal_places=2,
                    required=False,
                    error_messages=MONEY_ERRORS,
                    help_text="A yearly cost of doing nothing is a negative benefit, like -90000."
                    if cost_of_doing_nothing
                    else "",
                )
            self.fields[f"{kind}-project_type"] = forms.ChoiceField(
                label=f"{label}: kind of project",
                choices=[("", "None: no optimism bias uplift"), *ProjectType.choices],
                required=False,
                help_text="The Green Book’s project types: the kind sets the optimism bias uplift on its costs "
                "and time to deliver.",
            )
            self.fields[f"{kind}-delivery_months"] = forms.IntegerField(
                label=f"{label}: time to deliver in months (optional)",
                min_value=1,
                max_value=600,
                required=False,
                error_messages={
                    "invalid": "Enter the time to deliver as a whole number of months",
                    "min_value": "The time to deliver must be at least 1 month",
                    "max_value": "The time to deliver must be 600 months or fewer",
                },
            )
            self.fields[f"{kind}-years"] = forms.IntegerField(
                label=f"{label}: horizon in years",
                min_value=1,
                max_value=50,
                required=False,
                error_messages={
                    "invalid": "Enter the horizon as a whole number of years",
                    "min_value": "The horizon must be at least 1 year",
                    "max_value": "The horizon must be 50 years or fewer",
                },
            )

    def option_groups(self):
        """The fields of each option, for the template to lay out one fieldset each."""
        return [
            (label, [self[f"{kind}-{name}"] for name in OPTION_FIELDS])
            for kind, label in BusinessCaseOption.Kind.choices
        ]

    def options(self) -> dict[str, dict]:
        return {
            kind: {name: self.cleaned_data.get(f"{kind}-{name}") for name in OPTION_FIELDS}
            for kind in BusinessCaseOption.Kind.values
        }

    @classmethod
    def initial_for(cls, case) -> dict:
        if case is None:
            return {"version": 0}
        initial = {"summary": case.summary, "recommended_option": case.recommended_option, "version": case.version}
        for option in case.options.all():
            for name in OPTION_FIELDS:
                initial[f"{option.kind}-{name}"] = getattr(option, name)
        return initial


OPTION_FIELDS = (
    "description",
    "project_type",
    "one_off_cost",
    "running_cost",
    "benefit",
    "years",
    "delivery_months",
)


class MitigationForm(forms.Form):
    factor = forms.ChoiceField(
        label="Contributory factor",
        choices=[("", "Choose a factor"), *Factor.choices],
        error_messages=required_error("Choose the contributory factor this mitigates"),
    )
    share_mitigated = forms.IntegerField(
        label="Share of the factor mitigated (%)",
        help_text="From 0 (nothing done yet) to 100 (fully mitigated).",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the share of the factor mitigated, from 0 to 100",
            "invalid": "Enter the share mitigated as a whole number from 0 to 100",
            "min_value": "The share mitigated cannot be negative: enter a number from 0 to 100",
            "max_value": "The share mitigated cannot be more than 100",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    how = forms.CharField(
        label="What has been done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error("Enter what has been done to mitigate this factor"),
    )


PERCENT_ERRORS = {
    "invalid": "Enter a percentage, like 24",
    "min_value": "A bound cannot be negative",
    "max_value": "A bound cannot be more than 1000%",
}


class OptimismOverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why does the organisation use its own figures?",
        help_text="The guidance asks for evidence for any change, such as the organisation’s own record of "
        "past projects. The reason is kept with who set the figures and when.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error("Enter why the organisation uses its own figures"),
    )

    LABELS = {
        "works_duration_upper": "Works duration: upper bound (%)",
        "works_duration_lower": "Works duration: lower bound (%)",
        "capital_expenditure_upper": "Capital expenditure: upper bound (%)",
        "capital_expenditure_lower": "Capital expenditure: lower bound (%)",
        "operating_expenditure_upper": "Operating expenditure: upper bound (%)",
        "operating_expenditure_lower": "Operating expenditure: lower bound (%)",
    }

    def __init__(self, *args, guidance, **kwargs):
        """Only the bounds the guidance gives for this type are asked for (the others are n/a)."""
        super().__init__(*args, **kwargs)
        for name in BOUNDS:
            if getattr(guidance, name) is None:
                continue
            self.fields[name] = forms.DecimalField(
                label=self.LABELS[name],
                help_text=f"The guidance’s figure is {getattr(guidance, name)}%.",
                min_value=0,
                max_value=1000,
                max_digits=6,
                decimal_places=2,
                error_messages={**PERCENT_ERRORS, "required": f"Enter the {self.LABELS[name][:-4].lower()}"},
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "step": "any"}),
            )
        self.order_fields([*BOUNDS, "reason"])


class CommentOnlyForm(forms.Form):
    comment = forms.CharField(label="Comment (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why is the project being abandoned?",
        help_text="The reason is kept with the project. Abandoned projects are never deleted.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error("Enter the reason the project is abandoned"),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What is your decision?",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages=required_error("Select approve, reject or defer"),
    )
    rationale = forms.CharField(
        label="Your rationale",
        help_text="It is recorded and shown with the project.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_error("Enter the rationale for your decision"),
    )
    accept_residual_risk = forms.BooleanField(
        label="I accept the risks above the organisation’s risk appetite that need my acceptance",
        required=False,
        widget=CHECKBOX,
    )

    def __init__(self, *args, exceeds_appetite: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not exceeds_appetite:
            del self.fields["accept_residual_risk"]


class ProgressForm(forms.Form):
    rag = forms.ChoiceField(
        label="RAG status",
        choices=RAG.choices,
        widget=forms.RadioSelect,
        error_messages=required_error("Select a RAG status"),
    )
    rag_reason = forms.CharField(
        label="Why is it at this status?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error("Enter the reason for the RAG status"),
    )
    spend_to_date = forms.DecimalField(
        label="Spend to date (£)",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={**MONEY_ERRORS, "required": "Enter the spend to date"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages=required_error("Enter the milestone"))
    due_date = forms.DateField(
        widget=DateInput(), error_messages={"required": "Enter the due date", "invalid": "Enter a real due date"}
    )
    status = forms.ChoiceField(choices=Milestone.Status.choices, widget=forms.RadioSelect, initial="not_started")


class TeamMemberForm(forms.Form):
    name = forms.CharField(max_length=150, error_messages=required_error("Enter their name"))
    department = forms.CharField(max_length=150, error_messages=required_error("Enter their department"))
    role = forms.CharField(label="Role on the project (optional)", max_length=150, required=False)


class InvolvementForm(forms.Form):
    group = forms.ChoiceField(
        label="Who was involved?",
        choices=Involvement.Group.choices,
        widget=forms.RadioSelect,
        error_messages=required_error("Select who was involved"),
    )
    who = forms.CharField(
        label="Describe them",
        max_length=200,
        help_text="For example: 12 tenants of Riverside estate",
        error_messages=required_error("Describe who was involved"),
    )
    how = forms.CharField(
        label="How were they involved?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error("Enter how they were involved"),
    )
    what_changed = forms.CharField(
        label="What changed because of it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error("Enter what changed because of it"),
    )
    happened_on = forms.DateField(
        label="When?",
        widget=DateInput(),
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )


class EvaluationForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=Evaluation.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages=required_error("Select the outcome"),
    )
    summary = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_error("Enter what happened"),
    )
    actual_one_off_cost = forms.DecimalField(
        label="Actual one-off cost (£)",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={**MONEY_ERRORS, "required": "Enter the actual one-off cost"},
    )
    actual_running_cost = forms.DecimalField(
        label="Actual yearly running cost (£)",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={**MONEY_ERRORS, "required": "Enter the actual yearly running cost"},
    )
    actual_benefit = forms.DecimalField(
        label="Actual yearly benefit (£)",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={**MONEY_ERRORS, "required": "Enter the actual yearly benefit"},
    )
    actual_years = forms.IntegerField(
        label="Horizon in years",
        help_text="How many years the yearly figures run for, as the business case’s horizon did.",
        min_value=1,
        max_value=50,
        error_messages={
            "required": "Enter the horizon in years",
            "invalid": "Enter the horizon as a whole number of years",
            "min_value": "The horizon must be at least 1 year",
            "max_value": "The horizon must be 50 years or fewer",
        },
    )
    indicator_before = forms.DecimalField(
        label="Override the indicator value before (optional)",
        help_text="Leave blank to use the imported figure.",
        max_digits=14,
        decimal_places=3,
        required=False,
        error_messages={"invalid": "Enter the indicator value before as a number, like 13.4"},
    )
    indicator_after = forms.DecimalField(
        label="Override the indicator value after (optional)",
        help_text="Leave blank to use the imported figure.",
        max_digits=14,
        decimal_places=3,
        required=False,
        error_messages={"invalid": "Enter the indicator value after as a number, like 9.8"},
    )
    indicator_override_reason = forms.CharField(
        label="Why are you overriding the imported figures? (only if you do)",
        help_text="The reason is kept with the evaluation.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    value_for_money = forms.CharField(
        label="Was it value for money?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error("Enter whether it was value for money"),
    )
    transferability = forms.TypedChoiceField(
        label="How easily could other authorities adopt it?",
        help_text="1: only works here; 5: any authority could adopt it.",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=required_error("Select how transferable it is"),
    )
    transferability_reasons = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error("Enter why it is or is not transferable"),
    )

    evidence_level = forms.TypedChoiceField(
        label="What level of evidence did the evaluation reach?",
        help_text="Nesta’s Standards of Evidence. Choose the highest level the evaluation fully reached.",
        choices=[(level.number, level.label) for level in evidence.LEVELS],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            **required_error("Select the level of evidence the evaluation reached"),
            "invalid_choice": "Select the level of evidence the evaluation reached, from 1 to 5",
        },
    )
    evidence_support = forms.CharField(
        label="What supports this level?",
        help_text="The theory of change, the data, the study or the manuals that show the level was reached.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error("Enter what supports this level of evidence"),
    )
    evidence_comparison = forms.CharField(
        label="The comparison group (level 3 and above)",
        help_text="Who did not receive the project, and how they were compared with those who did.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    evidence_evaluator = forms.CharField(
        label="The independent evaluator (level 4 and above)",
        help_text="Who evaluated it independently, for example a university or another council.",
        max_length=200,
        required=False,
        error_messages={"max_length": "The evaluator’s name must be 200 characters or fewer"},
    )

    def __init__(self, *args, spend_to_date=None, forecast_years=None, **kwargs):
        super().__init__(*args, **kwargs)
        if spend_to_date is not None:
            self.fields[
                "actual_one_off_cost"
            ].help_text = (
                f"Filled in from the spend to date, {money(spend_to_date)}; change it if the final cost differs."
            )
        if forecast_years is not None:
            self.fields["actual_years"].help_text = f"The business case’s horizon was {forecast_years} years."

    def clean(self):
        data = super().clean()
        overriding = data.get("indicator_before") is not None or data.get("indicator_after") is not None
        reason = (data.get("indicator_override_reason") or "").strip()
        if overriding and not reason:
            self.add_error("indicator_override_reason", "Enter why you are overriding the imported figures")
        elif reason and not overriding:
            self.add_error("indicator_before", "Enter the indicator value that overrides the imported figure")
        if "evidence_level" in data:
            problems = evidence.support_problems(
                level=data["evidence_level"],
                support=data.get("evidence_support") or "",
                comparison=data.get("evidence_comparison") or "",
                evaluator=data.get("evidence_evaluator") or "",
            )
            for field, message in problems.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return data

    @classmethod
    def initial_for(cls, project, evaluation, forecast) -> dict:
        """A first evaluation starts from the spend to date and the business case's horizon; a
        saved one shows what was saved, with only the overridden indicator figures in the boxes."""
        if evaluation is None:
            return {"actual_one_off_cost": project.spend_to_date, "actual_years": forecast.years if forecast else None}
        initial = {name: getattr(evaluation, name) for name in cls.base_fields}
        for side in ("before", "after"):
            if not evaluation.indicator_override_reason or getattr(evaluation, f"indicator_{side}_period"):
                initial[f"indicator_{side}"] = None
        return initial


GATE_CHOICES = [("", "No gate: any level"), *((level.number, level.label) for level in evidence.LEVELS)]


class EvidenceGatesForm(forms.Form):
    scale_up_level = forms.TypedChoiceField(
        label="Scaling up one of our projects needs",
        help_text="The level its evaluation must have reached before a manager can scale it up.",
        choices=GATE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Select a level from 1 to 5, or no gate"},
    )
    adoption_level = forms.TypedChoiceField(
        label="Adopting another organisation’s practice needs",
        help_text="The level the lesson it comes from must have reached before anyone here adopts it.",
        choices=GATE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Select a level from 1 to 5, or no gate"},
    )


class ScaleUpForm(forms.Form):
    plan = forms.CharField(
        label="How will the project be scaled up?",
        help_text="Where it goes next, to whom, by when, and who runs it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_error("Enter how the project will be scaled up"),
    )

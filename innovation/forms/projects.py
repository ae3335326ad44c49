"""Projects: their details, business case, decision, progress, team and evaluation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import bilingual
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


class DecisionArrangementForm(forms.Form):
    """The admin's choice of how decisions at the approval gate are taken and published."""

    made_by = forms.ChoiceField(
        label="Who takes decisions at the approval gate?",
        choices=Decision.MadeBy.choices,
        widget=forms.RadioSelect,
        error_messages=required_error("Select a single member or a committee"),
    )
    committee_name = forms.CharField(
        label="Name of the committee",
        help_text="For example: Cabinet, or the Innovation and Improvement Committee. Needed for a committee.",
        max_length=200,
        required=False,
    )
    members = forms.ModelMultipleChoiceField(
        label="Members of the committee",
        help_text="The organisation’s elected members. Needed for a committee.",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    quorum = forms.IntegerField(
        label="Quorum",
        help_text="How many members able to take part must be present. The project’s sponsor and members "
        "with an interest and no dispensation do not count.",
        min_value=1,
        max_value=50,
        error_messages={
            "required": "Enter the quorum",
            "invalid": "Enter the quorum as a whole number",
            "min_value": "The quorum must be 1 or more",
            "max_value": "The quorum must be 50 or fewer",
        },
    )
    publish_decisions = forms.BooleanField(
        label="Publish our records of decision on a public page",
        help_text="Anyone can read them without signing in. They name only the decision-makers and their roles.",
        required=False,
        widget=CHECKBOX,
    )

    def __init__(self, *args, organisation: Organisation, arrangement, **kwargs):
        initial = {
            "made_by": arrangement.made_by,
            "committee_name": arrangement.committee_name,
            "members": list(arrangement.committee_members.all()) if arrangement.pk else [],
            "quorum": arrangement.quorum,
            "publish_decisions": arrangement.publish_decisions,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["members"].queryset = queries.member_choices(organisation=organisation)
        self.fields["members"].label_from_instance = lambda user: user.full_name or user.email

    def clean(self):
        data = super().clean()
        if data.get("made_by") == Decision.MadeBy.COMMITTEE:
            if not (data.get("committee_name") or "").strip():
                self.add_error("committee_name", "Enter the name of the committee")
            quorum = data.get("quorum")
            if quorum and len(data.get("members") or []) < quorum:
                self.add_error("members", f"Choose at least as many members as the quorum ({quorum})")
        if "members" in data:
            data["members"] = list(data["members"])
        return data


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


INTEREST_CHOICES = [
    ("none", "No, I have no interest to declare"),
    ("declared", "Yes, I declare an interest"),
]
MEMBER_INTEREST_CHOICES = [("none", "No interest declared"), ("declared", "Declared an interest")]


class DecisionForm(forms.Form):
    """The decision, its reasons, why each other option is rejected, and the declaration of
    interests each decision-maker makes first (the record of decision: innovation.services.approval).

    Deciding alone, the member declares for themself; for a committee, the member recording the
    decision gives, for each committee member, whether they were present and what they declared."""

    outcome = forms.ChoiceField(
        label="What is your decision?",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages=required_error("Select approve, reject or defer"),
    )
    rationale = forms.CharField(
        label="Your rationale: the reasons for your decision",
        help_text="They are recorded and shown with the project and on the record of decision.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_error("Enter the reasons for your decision"),
    )
    language = bilingual.language_form_field(_("Which language are the reasons written in?"))
    rationale_translation = forms.CharField(
        label=_("The reasons in the other language (optional)"),
        help_text=_(
            "If you can, give the reasons in Welsh as well as English. "
            "Readers of the record see their own language first."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    accept_residual_risk = forms.BooleanField(
        label="I accept the risks above the organisation’s risk appetite that need my acceptance",
        required=False,
        widget=CHECKBOX,
    )

    def __init__(self, *args, exceeds_appetite: bool, committee: list | None = None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not exceeds_appetite:
            del self.fields["accept_residual_risk"]
        for kind, label in BusinessCaseOption.Kind.choices:
            when = "approve" if kind != BusinessCaseOption.Kind.INNOVATE else "reject"
            self.fields[f"reason_{kind}"] = forms.CharField(
                label=f"Why is the option “{label.lower()}” rejected?",
                help_text=f"Needed if you {when} the project.",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
        self.committee = committee
        self.actor = actor
        people = committee if committee is not None else [actor]
        for person in people:
            name = person.full_name or person.email
            if committee is not None:
                self.fields[f"present{self._suffix(person)}"] = forms.BooleanField(
                    label=f"{name} was present", required=False, widget=CHECKBOX
                )
                interest_label = f"Did {name} declare an interest?"
                choices = MEMBER_INTEREST_CHOICES
            else:
                interest_label = "Do you have an interest to declare in this decision?"
                choices = INTEREST_CHOICES
            self.fields[f"interest{self._suffix(person)}"] = forms.ChoiceField(
                label=interest_label,
                choices=choices,
                widget=forms.RadioSelect,
                required=committee is None,
                help_text="A personal, prejudicial or pecuniary interest, under the members’ code of conduct.",
                error_messages=required_error("Select whether you have an interest to declare"),
            )
            self.fields[f"interest_description{self._suffix(person)}"] = forms.CharField(
                label="Describe the interest" if committee is None else f"The interest {name} declared",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            self.fields[f"dispensation_by{self._suffix(person)}"] = forms.CharField(
                label="Dispensation granted by (if any)",
                help_text="For example: the monitoring officer, or the standards committee.",
                max_length=200,
                required=False,
            )
            self.fields[f"dispensation_date{self._suffix(person)}"] = forms.DateField(
                label="Date the dispensation was granted",
                widget=DateInput(),
                required=False,
                error_messages={"invalid": "Enter a real date for the dispensation"},
            )

        # The error summary lists problems in the order the page shows the fields: the
        # declarations first, as a member declares before deciding.
        declared = [name for name in self.fields if name.startswith(("present", "interest", "dispensation"))]
        self.order_fields(
            [
                *declared,
                "outcome",
                "language",
                "rationale",
                "rationale_translation",
                *(f"reason_{k}" for k in BusinessCaseOption.Kind.values),
            ]
        )

    def _suffix(self, person) -> str:
        """Field names carry the member's id for a committee; deciding alone they are plain."""
        return f"_{person.pk}" if self.committee is not None else ""

    def people(self) -> list[dict]:
        """Each person's fields, for the template."""
        people = self.committee if self.committee is not None else [self.actor]
        return [
            {
                "name": person.full_name or person.email,
                "present": self[f"present{self._suffix(person)}"] if self.committee is not None else None,
                "interest": self[f"interest{self._suffix(person)}"],
                "description": self[f"interest_description{self._suffix(person)}"],
                "dispensation_by": self[f"dispensation_by{self._suffix(person)}"],
                "dispensation_date": self[f"dispensation_date{self._suffix(person)}"],
            }
            for person in people
        ]

    def reason_fields(self):
        return [self[f"reason_{kind}"] for kind in BusinessCaseOption.Kind.values]

    def clean(self):
        data = super().clean()
        bilingual.clean_language(data)
        outcome = data.get("outcome")
        if outcome == Decision.Outcome.APPROVED:
            needed = [BusinessCaseOption.Kind.INCREMENTAL, BusinessCaseOption.Kind.DO_NOTHING]
        elif outcome == Decision.Outcome.REJECTED:
            needed = [BusinessCaseOption.Kind.INNOVATE]
        else:
            needed = []
        for kind in needed:
            if not (data.get(f"reason_{kind}") or "").strip():
                label = BusinessCaseOption.Kind(kind).label.lower()
                self.add_error(f"reason_{kind}", f"Enter why the option “{label}” is rejected")
        people = self.committee if self.committee is not None else [self.actor]
        for person in people:
            name = "you" if self.committee is None else (person.full_name or person.email)
            sfx = self._suffix(person)
            if self.committee is not None and not data.get(f"present{sfx}"):
                continue
            if self.committee is not None and not data.get(f"interest{sfx}"):
                self.add_error(f"interest{sfx}", f"Select whether {name} declared an interest")
            if data.get(f"interest{sfx}") == "declared" and not (data.get(f"interest_description{sfx}") or "").strip():
                self.add_error(f"interest_description{sfx}", f"Describe the interest {name} declared")
            by = (data.get(f"dispensation_by{sfx}") or "").strip()
            on = data.get(f"dispensation_date{sfx}")
            if by and not on and f"dispensation_date{sfx}" not in self.errors:
                self.add_error(f"dispensation_date{sfx}", "Enter the date the dispensation was granted")
            if on and not by:
                self.add_error(f"dispensation_by{sfx}", "Enter who granted the dispensation")
        return data

    def declarations(self) -> list[dict]:
        """The declarations as keyword arguments of services.Declaration."""
        data = self.cleaned_data
        people = self.committee if self.committee is not None else [self.actor]
        return [
            {
                "member": person,
                "present": True if self.committee is None else bool(data.get(f"present{self._suffix(person)}")),
                "interest": data.get(f"interest{self._suffix(person)}") or "none",
                "interest_description": data.get(f"interest_description{self._suffix(person)}") or "",
                "dispensation_granted_by": data.get(f"dispensation_by{self._suffix(person)}") or "",
                "dispensation_date": data.get(f"dispensation_date{self._suffix(person)}"),
            }
            for person in people
        ]

    def rejected_option_reasons(self) -> dict[str, str]:
        return {kind: self.cleaned_data.get(f"reason_{kind}") or "" for kind in BusinessCaseOption.Kind.values}


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

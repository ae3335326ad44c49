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


def lower_first(words: str) -> str:
    return f"{words[:1].lower()}{words[1:]}"


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, error_messages=required_error(_("Enter a title")))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    service_areas = forms.ModelMultipleChoiceField(
        label=_("Service areas it spans"),
        queryset=ServiceArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages=required_error(_("Select at least one service area")),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator it aims to move (optional)"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("None chosen"),
    )
    budget = forms.DecimalField(
        label=_("Budget in pounds (optional)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        error_messages={"invalid": _("Enter the budget as a number, like 25000")},
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
        label=_("Which elected member sponsors this project?"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages=required_error(_("Select the sponsoring member")),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = queries.member_choices(organisation=organisation)


class DecisionArrangementForm(forms.Form):
    """The admin's choice of how decisions at the approval gate are taken and published."""

    made_by = forms.ChoiceField(
        label=_("Who takes decisions at the approval gate?"),
        choices=Decision.MadeBy.choices,
        widget=forms.RadioSelect,
        error_messages=required_error(_("Select a single member or a committee")),
    )
    committee_name = forms.CharField(
        label=_("Name of the committee"),
        help_text=_("For example: Cabinet, or the Innovation and Improvement Committee. Needed for a committee."),
        max_length=200,
        required=False,
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members of the committee"),
        help_text=_("The organisation’s elected members. Needed for a committee."),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    quorum = forms.IntegerField(
        label=_("Quorum"),
        help_text=_(
            "How many members able to take part must be present. The project’s sponsor and members "
            "with an interest and no dispensation do not count."
        ),
        min_value=1,
        max_value=50,
        error_messages={
            "required": _("Enter the quorum"),
            "invalid": _("Enter the quorum as a whole number"),
            "min_value": _("The quorum must be 1 or more"),
            "max_value": _("The quorum must be 50 or fewer"),
        },
    )
    publish_decisions = forms.BooleanField(
        label=_("Publish our records of decision on a public page"),
        help_text=_("Anyone can read them without signing in. They name only the decision-makers and their roles."),
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
                self.add_error("committee_name", _("Enter the name of the committee"))
            quorum = data.get("quorum")
            if quorum and len(data.get("members") or []) < quorum:
                self.add_error(
                    "members", _("Choose at least as many members as the quorum (%(quorum)s)") % {"quorum": quorum}
                )
        if "members" in data:
            data["members"] = list(data["members"])
        return data


class BusinessCaseForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the case"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Needed before the project can go for approval."),
    )
    recommended_option = forms.ChoiceField(
        label=_("Which option do you recommend?"),
        choices=BusinessCaseOption.Kind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    FIGURES = (
        ("one_off_cost", _("One-off cost (£)")),
        ("running_cost", _("Yearly running cost (£)")),
        ("benefit", _("Yearly benefit (£)")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in BusinessCaseOption.Kind.choices:
            self.fields[f"{kind}-description"] = forms.CharField(
                label=_("%(option)s: what it means") % {"option": label},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            for name, figure in self.FIGURES:
                # Doing nothing can cost the council every year (a service getting worse, fines,
                # demand rising): its yearly benefit may be negative, written like -90000.
                cost_of_doing_nothing = kind == BusinessCaseOption.Kind.DO_NOTHING and name == "benefit"
                self.fields[f"{kind}-{name}"] = forms.DecimalField(
                    label=_("%(option)s: %(figure)s") % {"option": label, "figure": lower_first(str(figure))},
                    min_value=None if cost_of_doing_nothing else 0,
                    max_digits=14,
                    decimal_places=2,
                    required=False,
                    error_messages=MONEY_ERRORS,
                    help_text=_("A yearly cost of doing nothing is a negative benefit, like -90000.")
                    if cost_of_doing_nothing
                    else "",
                )
            self.fields[f"{kind}-project_type"] = forms.ChoiceField(
                label=_("%(option)s: kind of project") % {"option": label},
                choices=[("", _("None: no optimism bias uplift")), *ProjectType.choices],
                required=False,
                help_text=_(
                    "The Green Book’s project types: the kind sets the optimism bias uplift on its costs "
                    "and time to deliver."
                ),
            )
            self.fields[f"{kind}-delivery_months"] = forms.IntegerField(
                label=_("%(option)s: time to deliver in months (optional)") % {"option": label},
                min_value=1,
                max_value=600,
                required=False,
                error_messages={
                    "invalid": _("Enter the time to deliver as a whole number of months"),
                    "min_value": _("The time to deliver must be at least 1 month"),
                    "max_value": _("The time to deliver must be 600 months or fewer"),
                },
            )
            self.fields[f"{kind}-years"] = forms.IntegerField(
                label=_("%(option)s: horizon in years") % {"option": label},
                min_value=1,
                max_value=50,
                required=False,
                error_messages={
                    "invalid": _("Enter the horizon as a whole number of years"),
                    "min_value": _("The horizon must be at least 1 year"),
                    "max_value": _("The horizon must be 50 years or fewer"),
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
        label=_("Contributory factor"),
        choices=[("", _("Choose a factor")), *Factor.choices],
        error_messages=required_error(_("Choose the contributory factor this mitigates")),
    )
    share_mitigated = forms.IntegerField(
        label=_("Share of the factor mitigated (%)"),
        help_text=_("From 0 (nothing done yet) to 100 (fully mitigated)."),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("Enter the share of the factor mitigated, from 0 to 100"),
            "invalid": _("Enter the share mitigated as a whole number from 0 to 100"),
            "min_value": _("The share mitigated cannot be negative: enter a number from 0 to 100"),
            "max_value": _("The share mitigated cannot be more than 100"),
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    how = forms.CharField(
        label=_("What has been done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error(_("Enter what has been done to mitigate this factor")),
    )


PERCENT_ERRORS = {
    "invalid": _("Enter a percentage, like 24"),
    "min_value": _("A bound cannot be negative"),
    "max_value": _("A bound cannot be more than 1000%"),
}


class OptimismOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the organisation use its own figures?"),
        help_text=_(
            "The guidance asks for evidence for any change, such as the organisation’s own record of "
            "past projects. The reason is kept with who set the figures and when."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error(_("Enter why the organisation uses its own figures")),
    )

    LABELS = {
        "works_duration_upper": _("Works duration: upper bound (%)"),
        "works_duration_lower": _("Works duration: lower bound (%)"),
        "capital_expenditure_upper": _("Capital expenditure: upper bound (%)"),
        "capital_expenditure_lower": _("Capital expenditure: lower bound (%)"),
        "operating_expenditure_upper": _("Operating expenditure: upper bound (%)"),
        "operating_expenditure_lower": _("Operating expenditure: lower bound (%)"),
    }

    def __init__(self, *args, guidance, **kwargs):
        """Only the bounds the guidance gives for this type are asked for (the others are n/a)."""
        super().__init__(*args, **kwargs)
        for name in BOUNDS:
            if getattr(guidance, name) is None:
                continue
            self.fields[name] = forms.DecimalField(
                label=self.LABELS[name],
                help_text=_("The guidance’s figure is %(figure)s%%.") % {"figure": getattr(guidance, name)},
                min_value=0,
                max_value=1000,
                max_digits=6,
                decimal_places=2,
                error_messages={
                    **PERCENT_ERRORS,
                    # Translators: bound is a label above without its " (%)", like "works duration: upper bound".
                    "required": _("Enter the %(bound)s") % {"bound": str(self.LABELS[name])[:-4].lower()},
                },
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "step": "any"}),
            )
        self.order_fields([*BOUNDS, "reason"])


class CommentOnlyForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the project being abandoned?"),
        help_text=_("The reason is kept with the project. Abandoned projects are never deleted."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error(_("Enter the reason the project is abandoned")),
    )


INTEREST_CHOICES = [
    ("none", _("No, I have no interest to declare")),
    ("declared", _("Yes, I declare an interest")),
]
MEMBER_INTEREST_CHOICES = [("none", _("No interest declared")), ("declared", _("Declared an interest"))]


class DecisionForm(forms.Form):
    """The decision, its reasons, why each other option is rejected, and the declaration of
    interests each decision-maker makes first (the record of decision: innovation.services.approval).

    Deciding alone, the member declares for themself; for a committee, the member recording the
    decision gives, for each committee member, whether they were present and what they declared."""

    outcome = forms.ChoiceField(
        label=_("What is your decision?"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages=required_error(_("Select approve, reject or defer")),
    )
    rationale = forms.CharField(
        label=_("Your rationale: the reasons for your decision"),
        help_text=_("They are recorded and shown with the project and on the record of decision."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_error(_("Enter the reasons for your decision")),
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
        label=_("I accept the risks above the organisation’s risk appetite that need my acceptance"),
        required=False,
        widget=CHECKBOX,
    )

    def __init__(self, *args, exceeds_appetite: bool, committee: list | None = None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not exceeds_appetite:
            del self.fields["accept_residual_risk"]
        for kind, label in BusinessCaseOption.Kind.choices:
            self.fields[f"reason_{kind}"] = forms.CharField(
                label=_("Why is the option “%(option)s” rejected?") % {"option": label.lower()},
                help_text=_("Needed if you approve the project.")
                if kind != BusinessCaseOption.Kind.INNOVATE
                else _("Needed if you reject the project."),
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
                    label=_("%(name)s was present") % {"name": name}, required=False, widget=CHECKBOX
                )
                interest_label = _("Did %(name)s declare an interest?") % {"name": name}
                choices = MEMBER_INTEREST_CHOICES
            else:
                interest_label = _("Do you have an interest to declare in this decision?")
                choices = INTEREST_CHOICES
            self.fields[f"interest{self._suffix(person)}"] = forms.ChoiceField(
                label=interest_label,
                choices=choices,
                widget=forms.RadioSelect,
                required=committee is None,
                help_text=_("A personal, prejudicial or pecuniary interest, under the members’ code of conduct."),
                error_messages=required_error(_("Select whether you have an interest to declare")),
            )
            self.fields[f"interest_description{self._suffix(person)}"] = forms.CharField(
                label=_("Describe the interest")
                if committee is None
                else _("The interest %(name)s declared") % {"name": name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            self.fields[f"dispensation_by{self._suffix(person)}"] = forms.CharField(
                label=_("Dispensation granted by (if any)"),
                help_text=_("For example: the monitoring officer, or the standards committee."),
                max_length=200,
                required=False,
            )
            self.fields[f"dispensation_date{self._suffix(person)}"] = forms.DateField(
                label=_("Date the dispensation was granted"),
                widget=DateInput(),
                required=False,
                error_messages={"invalid": _("Enter a real date for the dispensation")},
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
                self.add_error(f"reason_{kind}", _("Enter why the option “%(option)s” is rejected") % {"option": label})
        people = self.committee if self.committee is not None else [self.actor]
        for person in people:
            name = person.full_name or person.email
            sfx = self._suffix(person)
            if self.committee is not None and not data.get(f"present{sfx}"):
                continue
            if self.committee is not None and not data.get(f"interest{sfx}"):
                self.add_error(f"interest{sfx}", _("Select whether %(name)s declared an interest") % {"name": name})
            if data.get(f"interest{sfx}") == "declared" and not (data.get(f"interest_description{sfx}") or "").strip():
                self.add_error(
                    f"interest_description{sfx}",
                    _("Describe the interest you declared")
                    if self.committee is None
                    else _("Describe the interest %(name)s declared") % {"name": name},
                )
            by = (data.get(f"dispensation_by{sfx}") or "").strip()
            on = data.get(f"dispensation_date{sfx}")
            if by and not on and f"dispensation_date{sfx}" not in self.errors:
                self.add_error(f"dispensation_date{sfx}", _("Enter the date the dispensation was granted"))
            if on and not by:
                self.add_error(f"dispensation_by{sfx}", _("Enter who granted the dispensation"))
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
        label=_("RAG status"),
        choices=RAG.choices,
        widget=forms.RadioSelect,
        error_messages=required_error(_("Select a RAG status")),
    )
    rag_reason = forms.CharField(
        label=_("Why is it at this status?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error(_("Enter the reason for the RAG status")),
    )
    spend_to_date = forms.DecimalField(
        label=_("Spend to date (£)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={**MONEY_ERRORS, "required": _("Enter the spend to date")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, error_messages=required_error(_("Enter the milestone")))
    due_date = forms.DateField(
        label=_("Due date"),
        widget=DateInput(),
        error_messages={"required": _("Enter the due date"), "invalid": _("Enter a real due date")},
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Milestone.Status.choices, widget=forms.RadioSelect, initial="not_started"
    )


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, error_messages=required_error(_("Enter their name")))
    department = forms.CharField(
        label=_("Department"), max_length=150, error_messages=required_error(_("Enter their department"))
    )
    role = forms.CharField(label=_("Role on the project (optional)"), max_length=150, required=False)


class InvolvementForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Who was involved?"),
        choices=Involvement.Group.choices,
        widget=forms.RadioSelect,
        error_messages=required_error(_("Select who was involved")),
    )
    who = forms.CharField(
        label=_("Describe them"),
        max_length=200,
        help_text=_("For example: 12 tenants of Riverside estate"),
        error_messages=required_error(_("Describe who was involved")),
    )
    how = forms.CharField(
        label=_("How were they involved?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error(_("Enter how they were involved")),
    )
    what_changed = forms.CharField(
        label=_("What changed because of it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error(_("Enter what changed because of it")),
    )
    happened_on = forms.DateField(
        label=_("When?"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date"), "invalid": _("Enter a real date")},
    )


class EvaluationForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Evaluation.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages=required_error(_("Select the outcome")),
    )
    summary = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_error(_("Enter what happened")),
    )
    actual_one_off_cost = forms.DecimalField(
        label=_("Actual one-off cost (£)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={**MONEY_ERRORS, "required": _("Enter the actual one-off cost")},
    )
    actual_running_cost = forms.DecimalField(
        label=_("Actual yearly running cost (£)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={**MONEY_ERRORS, "required": _("Enter the actual yearly running cost")},
    )
    actual_benefit = forms.DecimalField(
        label=_("Actual yearly benefit (£)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={**MONEY_ERRORS, "required": _("Enter the actual yearly benefit")},
    )
    actual_years = forms.IntegerField(
        label=_("Horizon in years"),
        help_text=_("How many years the yearly figures run for, as the business case’s horizon did."),
        min_value=1,
        max_value=50,
        error_messages={
            "required": _("Enter the horizon in years"),
            "invalid": _("Enter the horizon as a whole number of years"),
            "min_value": _("The horizon must be at least 1 year"),
            "max_value": _("The horizon must be 50 years or fewer"),
        },
    )
    indicator_before = forms.DecimalField(
        label=_("Override the indicator value before (optional)"),
        help_text=_("Leave blank to use the imported figure."),
        max_digits=14,
        decimal_places=3,
        required=False,
        error_messages={"invalid": _("Enter the indicator value before as a number, like 13.4")},
    )
    indicator_after = forms.DecimalField(
        label=_("Override the indicator value after (optional)"),
        help_text=_("Leave blank to use the imported figure."),
        max_digits=14,
        decimal_places=3,
        required=False,
        error_messages={"invalid": _("Enter the indicator value after as a number, like 9.8")},
    )
    indicator_override_reason = forms.CharField(
        label=_("Why are you overriding the imported figures? (only if you do)"),
        help_text=_("The reason is kept with the evaluation."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    value_for_money = forms.CharField(
        label=_("Was it value for money?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error(_("Enter whether it was value for money")),
    )
    transferability = forms.TypedChoiceField(
        label=_("How easily could other authorities adopt it?"),
        help_text=_("1: only works here; 5: any authority could adopt it."),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=required_error(_("Select how transferable it is")),
    )
    transferability_reasons = forms.CharField(
        label=_("Why?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_error(_("Enter why it is or is not transferable")),
    )

    evidence_level = forms.TypedChoiceField(
        label=_("What level of evidence did the evaluation reach?"),
        help_text=_("Nesta’s Standards of Evidence. Choose the highest level the evaluation fully reached."),
        choices=[(level.number, level.label) for level in evidence.LEVELS],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            **required_error(_("Select the level of evidence the evaluation reached")),
            "invalid_choice": _("Select the level of evidence the evaluation reached, from 1 to 5"),
        },
    )
    evidence_support = forms.CharField(
        label=_("What supports this level?"),
        help_text=_("The theory of change, the data, the study or the manuals that show the level was reached."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_error(_("Enter what supports this level of evidence")),
    )
    evidence_comparison = forms.CharField(
        label=_("The comparison group (level 3 and above)"),
        help_text=_("Who did not receive the project, and how they were compared with those who did."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    evidence_evaluator = forms.CharField(
        label=_("The independent evaluator (level 4 and above)"),
        help_text=_("Who evaluated it independently, for example a university or another council."),
        max_length=200,
        required=False,
        error_messages={"max_length": _("The evaluator’s name must be 200 characters or fewer")},
    )

    def __init__(self, *args, spend_to_date=None, forecast_years=None, **kwargs):
        super().__init__(*args, **kwargs)
        if spend_to_date is not None:
            self.fields["actual_one_off_cost"].help_text = _(
                "Filled in from the spend to date, %(spend)s; change it if the final cost differs."
            ) % {"spend": money(spend_to_date)}
        if forecast_years is not None:
            self.fields["actual_years"].help_text = _("The business case’s horizon was %(years)s years.") % {
                "years": forecast_years
            }

    def clean(self):
        data = super().clean()
        overriding = data.get("indicator_before") is not None or data.get("indicator_after") is not None
        reason = (data.get("indicator_override_reason") or "").strip()
        if overriding and not reason:
            self.add_error("indicator_override_reason", _("Enter why you are overriding the imported figures"))
        elif reason and not overriding:
            self.add_error("indicator_before", _("Enter the indicator value that overrides the imported figure"))
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


GATE_CHOICES = [("", _("No gate: any level")), *((level.number, level.label) for level in evidence.LEVELS)]


class EvidenceGatesForm(forms.Form):
    scale_up_level = forms.TypedChoiceField(
        label=_("Scaling up one of our projects needs"),
        help_text=_("The level its evaluation must have reached before a manager can scale it up."),
        choices=GATE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Select a level from 1 to 5, or no gate")},
    )
    adoption_level = forms.TypedChoiceField(
        label=_("Adopting another organisation’s practice needs"),
        help_text=_("The level the lesson it comes from must have reached before anyone here adopts it."),
        choices=GATE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Select a level from 1 to 5, or no gate")},
    )


class ScaleUpForm(forms.Form):
    plan = forms.CharField(
        label=_("How will the project be scaled up?"),
        help_text=_("Where it goes next, to whom, by when, and who runs it."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_error(_("Enter how the project will be scaled up")),
    )

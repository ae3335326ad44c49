import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from portfolio import imports
from portfolio.models import CapacityFactor, Indicator, Service


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_(
            "A CSV or XLSX file, smaller than 20 MB. The first line must be the column names: "
            "ons_code,indicator_code,period,value for actual values, or "
            "ons_code,indicator_code,period,aspiration for aspirations. "
            "Periods are written 2025-Q1 (a quarter) or 2025/26 (a financial year)."
        ),
        error_messages={"required": _("Select a CSV or XLSX file"), "empty": _("The selected file is empty")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        head = upload.read(4096)
        upload.seek(0)
        try:
            imports.check_upload(upload.name, head, upload.size)
        except imports.FileRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return upload


SCORES = [(str(n), label) for n, label in ((1, _("1 – weak")), (2, "2"), (3, "3"), (4, "4"), (5, _("5 – strong")))]


class CapacityForm(forms.Form):
    """One 1–5 question per factor of the capacity to innovate (R9)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for factor in CapacityFactor:
            self.fields[factor.value] = forms.TypedChoiceField(
                label=factor.label,
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Select a score for %(factor)s") % {"factor": str(factor.label).lower()}},
            )


SERVICE_CHOICES = [("", _("Choose a service")), *Service.choices]


def _service_field(label: str, help_text: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=SERVICE_CHOICES,
        error_messages={"required": _("Select a service"), "invalid_choice": _("Select a service from the list")},
    )


def _words(value: str) -> str:
    return " ".join(value.split())


class ServiceAreaForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        help_text=_("As your organisation calls it, like “Street scene”."),
        max_length=120,
        error_messages={
            "required": _("Enter a name for the service area"),
            "max_length": _("The name must be 120 characters or fewer"),
        },
    )
    service = _service_field(
        _("Which standard service is it?"), _("So that it can be compared with other organisations’ services.")
    )

    def clean_name(self) -> str:
        name = _words(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Enter a name for the service area"))
        return name


CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,29}$")


class IndicatorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        help_text=_(
            "Up to 30 letters, numbers and hyphens, like LOCAL-REPAIRS. Import files name the indicator by it."
        ),
        max_length=30,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        error_messages={"required": _("Enter a code"), "max_length": _("The code must be 30 characters or fewer")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter a name"), "max_length": _("The name must be 200 characters or fewer")},
    )
    unit = forms.CharField(
        label=_("Unit"),
        help_text=_("For example: %, days, households, £"),
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"required": _("Enter the unit"), "max_length": _("The unit must be 40 characters or fewer")},
    )
    polarity = forms.TypedChoiceField(
        label=_("Which way is better?"),
        choices=Indicator.Polarity.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select which way is better"),
            "invalid_choice": _("Select which way is better"),
        },
    )
    frequency = forms.ChoiceField(
        label=_("How often is it reported?"),
        choices=Indicator.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how often it is reported"),
            "invalid_choice": _("Select how often it is reported"),
        },
    )
    service = _service_field(_("Which service does it measure?"), _("Ideas in that service are offered it."))
    description = forms.CharField(
        label=_("Description (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        error_messages={"max_length": _("The description must be 2,000 characters or fewer")},
    )

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # An indicator with figures keeps its code and meaning (portfolio.services.indicator_update).
        if locked:
            for name in ("code", "polarity", "frequency"):
                del self.fields[name]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(_("The code must be letters, numbers and hyphens only, like LOCAL-REPAIRS"))
        return code

    def clean_name(self) -> str:
        name = _words(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Enter a name"))
        return name

    def clean_unit(self) -> str:
        unit = _words(self.cleaned_data["unit"])
        if not unit:
            raise forms.ValidationError(_("Enter the unit"))
        return unit


class ComparisonChoiceForm(forms.Form):
    """Which comparison group the report shows (GET), or the organisation's default (POST)."""

    group = forms.ChoiceField(label=_("Compare with"), error_messages={"required": _("Select a comparison group")})

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(group.key, group.label) for group in choices]
        self.fields["group"].error_messages["invalid_choice"] = _("Select one of the comparison groups listed")


class ComparisonGroupForm(forms.Form):
    """A named list of organisations, by ONS code, that an admin compares theirs with."""

    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("For example: Coastal districts in the South West"),
        error_messages={"required": _("Enter a name for the group")},
    )
    members = forms.CharField(
        label=_("Organisations in the group"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Their ONS codes, one a line or separated by commas, such as E07000032. "
            "Your own organisation is always compared with them, whether or not you list it."
        ),
        error_messages={"required": _("Enter the ONS code of at least one organisation")},
    )
    shared = forms.BooleanField(
        label=_("Share this group with other organisations in the sector"),
        required=False,
        help_text=_("They can compare themselves with it; only your admins can change it."),
    )

    def clean_members(self):
        codes = [code.strip().upper() for code in re.split(r"[\s,;]+", self.cleaned_data["members"]) if code.strip()]
        found = {o.ons_code: o for o in Organisation.objects.filter(ons_code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("These are not the ONS codes of organisations in Lantern: %(codes)s")
                % {"codes": ", ".join(unknown[:10])}
            )
        return list(dict.fromkeys(found[code] for code in codes))

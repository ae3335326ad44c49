from django import forms

from portfolio import imports
from portfolio.models import CapacityFactor


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            "A CSV or XLSX file, smaller than 20 MB. The first line must be the column names: "
            "ons_code,indicator_code,period,value for actual values, or "
            "ons_code,indicator_code,period,aspiration for aspirations. "
            "Periods are written 2025-Q1 (a quarter) or 2025/26 (a financial year)."
        ),
        error_messages={"required": "Select a CSV or XLSX file", "empty": "The selected file is empty"},
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


SCORES = [(str(n), label) for n, label in ((1, "1 – weak"), (2, "2"), (3, "3"), (4, "4"), (5, "5 – strong"))]


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
                error_messages={"required": f"Select a score for {factor.label.lower()}"},
            )

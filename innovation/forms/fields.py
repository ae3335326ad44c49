"""The small pieces every innovation form shares."""

from django import forms
from django.utils.translation import gettext_lazy as _


def required_error(message: str) -> dict:
    return {"required": message}


# The shared govuk_widget filter gives single checkboxes no class of their own; GOV.UK's needs one.
CHECKBOX = forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]
MONEY_ERRORS = {"invalid": _("Enter an amount in pounds, like 25000"), "min_value": _("Enter an amount of 0 or more")}

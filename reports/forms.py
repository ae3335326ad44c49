"""Input shapes of the reports page's two forms: the committee pack and a scheduled export."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from reports.models import ExportJob, ScheduledReport

# Meetings are set months ahead; a date years away is a typing mistake.
MEETING_WITHIN = datetime.timedelta(days=2 * 366)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CommitteePackForm(forms.Form):
    committee = forms.CharField(
        label="Which committee is the report to?",
        help_text="For example, Cabinet, or Overview and Scrutiny Committee.",
        max_length=120,
        error_messages={
            "required": "Enter the name of the committee",
            "max_length": "The committee’s name must be 120 characters or fewer",
        },
    )
    meeting_date = forms.DateField(
        label="Date of the meeting",
        help_text="For example, 10 December 2026.",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the meeting date as a real date",
        },
    )
    report_of = forms.CharField(
        label="Report of (optional)",
        help_text="The officer presenting the report, such as Head of Transformation. Leave it blank to use your name.",
        max_length=120,
        required=False,
        error_messages={"max_length": "‘Report of’ must be 120 characters or fewer"},
    )

    def clean_committee(self):
        return " ".join(self.cleaned_data["committee"].split())

    def clean_report_of(self):
        return " ".join(self.cleaned_data["report_of"].split())

    def clean_meeting_date(self):
        value = self.cleaned_data["meeting_date"]
        today = timezone.localdate()
        if value < today:
            raise ValidationError("The date of the meeting must be today or in the future")
        if value > today + MEETING_WITHIN:
            raise ValidationError("The date of the meeting must be within the next two years")
        return value


class ScheduledReportForm(forms.Form):
    """The export, its format and filter come from the export page; this form adds who gets it and when."""

    format = forms.ChoiceField(
        label="Format",
        choices=ExportJob.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a format", "invalid_choice": "Select CSV, Excel (XLSX) or PDF"},
    )
    recipients = forms.CharField(
        label="Who should get it?",
        help_text=f"Email addresses, one a line, at most {ScheduledReport.MAX_RECIPIENTS}.",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        max_length=6000,
        error_messages={
            "required": "Enter at least one email address",
            "max_length": "Enter fewer email addresses",
        },
    )
    day_of_month = forms.IntegerField(
        label="Day of the month to send it",
        help_text="1 to 28, so that every month has that day.",
        min_value=1,
        max_value=28,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the day of the month",
            "invalid": "Enter the day of the month as a number, like 1",
            "min_value": "The day of the month must be between 1 and 28",
            "max_value": "The day of the month must be between 1 and 28",
        },
    )

    def clean_recipients(self) -> list[str]:
        addresses, seen = [], set()
        for address in re.split(r"[\s,;]+", self.cleaned_data["recipients"]):
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                shown = address if len(address) <= 60 else address[:57] + "…"
                raise ValidationError(
                    f"“{shown}” is not an email address. Enter addresses like name@council.gov.uk"
                ) from None
            if address.lower() not in seen:
                seen.add(address.lower())
                addresses.append(address)
        if not addresses:
            raise ValidationError("Enter at least one email address")
        if len(addresses) > ScheduledReport.MAX_RECIPIENTS:
            raise ValidationError(
                f"Enter at most {ScheduledReport.MAX_RECIPIENTS} email addresses; you entered {len(addresses)}"
            )
        return addresses

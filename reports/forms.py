"""Input shapes of the reports page's two forms: the committee pack and a scheduled export."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from reports.models import ExportJob, ScheduledReport

# Meetings are set months ahead; a date years away is a typing mistake.
MEETING_WITHIN = datetime.timedelta(days=2 * 366)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CommitteePackForm(forms.Form):
    committee = forms.CharField(
        label=_("Which committee is the report to?"),
        help_text=_("For example, Cabinet, or Overview and Scrutiny Committee."),
        max_length=120,
        error_messages={
            "required": _("Enter the name of the committee"),
            "max_length": _("The committee’s name must be 120 characters or fewer"),
        },
    )
    meeting_date = forms.DateField(
        label=_("Date of the meeting"),
        help_text=_("For example, 10 December 2026."),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date of the meeting"),
            "invalid": _("Enter the meeting date as a real date"),
        },
    )
    report_of = forms.CharField(
        label=_("Report of (optional)"),
        help_text=_(
            "The officer presenting the report, such as Head of Transformation. Leave it blank to use your name."
        ),
        max_length=120,
        required=False,
        error_messages={"max_length": _("‘Report of’ must be 120 characters or fewer")},
    )

    def clean_committee(self):
        return " ".join(self.cleaned_data["committee"].split())

    def clean_report_of(self):
        return " ".join(self.cleaned_data["report_of"].split())

    def clean_meeting_date(self):
        value = self.cleaned_data["meeting_date"]
        today = timezone.localdate()
        if value < today:
            raise ValidationError(_("The date of the meeting must be today or in the future"))
        if value > today + MEETING_WITHIN:
            raise ValidationError(_("The date of the meeting must be within the next two years"))
        return value


class ScheduledReportForm(forms.Form):
    """The export, its format and filter come from the export page; this form adds who gets it and when."""

    format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportJob.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a format"), "invalid_choice": _("Select CSV, Excel (XLSX) or PDF")},
    )
    recipients = forms.CharField(
        label=_("Who should get it?"),
        help_text=format_lazy(_("Email addresses, one a line, at most {count}."), count=ScheduledReport.MAX_RECIPIENTS),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        max_length=6000,
        error_messages={
            "required": _("Enter at least one email address"),
            "max_length": _("Enter fewer email addresses"),
        },
    )
    day_of_month = forms.IntegerField(
        label=_("Day of the month to send it"),
        help_text=_("1 to 28, so that every month has that day."),
        min_value=1,
        max_value=28,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the day of the month"),
            "invalid": _("Enter the day of the month as a number, like 1"),
            "min_value": _("The day of the month must be between 1 and 28"),
            "max_value": _("The day of the month must be between 1 and 28"),
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
                    _("“%(address)s” is not an email address. Enter addresses like name@council.gov.uk")
                    % {"address": shown}
                ) from None
            if address.lower() not in seen:
                seen.add(address.lower())
                addresses.append(address)
        if not addresses:
            raise ValidationError(_("Enter at least one email address"))
        if len(addresses) > ScheduledReport.MAX_RECIPIENTS:
            raise ValidationError(
                _("Enter at most %(most)s email addresses; you entered %(count)s")
                % {"most": ScheduledReport.MAX_RECIPIENTS, "count": len(addresses)}
            )
        return addresses

"""How often each kind of notice reaches a person."""

from django import forms

from accounts.models import NotificationPreference
from innovation.models import (
    NoticeKind,
)


class NotificationPreferencesForm(forms.Form):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NoticeKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=NotificationPreference.Frequency.choices,
                widget=forms.RadioSelect,
                initial=current.get(kind, NotificationPreference.Frequency.IMMEDIATELY),
            )

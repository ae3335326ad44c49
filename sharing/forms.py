"""Input shapes for lessons, publication, adoption, visits and following."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import bilingual
from innovation.models import Project, ProjectStage
from portfolio.models import Service, ServiceArea
from sharing.models import Lesson, Visibility, VisitRequest

LESSON_STAGES = [ProjectStage.EVALUATION, ProjectStage.CLOSED, ProjectStage.ABANDONED]
MARKDOWN_HINT = _("You can use Markdown: **bold**, - lists, [links](https://example.org).")


def _required(message: str) -> dict:
    return {"required": message}


class LessonForm(forms.Form):
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        label=_("Project"),
        help_text=_("Lessons come from a project that has been evaluated, closed or abandoned."),
        error_messages=_required(_("Select the project the lesson comes from")),
    )
    title = forms.CharField(label=_("Title"), max_length=200, error_messages=_required(_("Enter a title")))
    summary = forms.CharField(
        label=_("Summary"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences that appear in the library."),
        error_messages=_required(_("Enter a summary")),
    )
    service = forms.ChoiceField(
        label=_("Service"),
        choices=[("", _("Select a service"))] + list(Service.choices),
        error_messages=_required(_("Select the service the lesson is about")),
    )
    tried = forms.CharField(
        label=_("What was tried"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HINT,
        error_messages=_required(_("Enter what was tried")),
    )
    happened = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required(_("Enter what happened")),
    )
    worked = forms.CharField(label=_("What worked"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    did_not_work = forms.CharField(
        label=_("What did not work, and why"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    to_repeat = forms.CharField(
        label=_("What another authority would need to repeat it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    costs_and_results = forms.CharField(
        label=_("Costs and results"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.EmailField(
        label=_("Contact email address"),
        required=False,
        error_messages={"invalid": _("Enter an email address in the correct format, like name@council.gov.uk")},
    )

    language = bilingual.language_form_field(_("Which language is the lesson written in?"))

    # The same lesson in the other language, in its own optional section of the form.
    translation_labels = {
        "title": _("Title in the other language"),
        "summary": _("Summary in the other language"),
        "tried": _("What was tried, in the other language"),
        "happened": _("What happened, in the other language"),
        "worked": _("What worked, in the other language"),
        "did_not_work": _("What did not work, and why, in the other language"),
        "to_repeat": _("What another authority would need to repeat it, in the other language"),
        "costs_and_results": _("Costs and results, in the other language"),
    }
    translation_missing = {
        "title": _("Enter the title in the other language, or leave all of the other language empty"),
        "summary": _("Enter the summary in the other language, or leave all of the other language empty"),
        "tried": _("Enter what was tried in the other language, or leave all of the other language empty"),
        "happened": _("Enter what happened in the other language, or leave all of the other language empty"),
    }

    def __init__(self, *args, organisation, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(bilingual.translation_form_fields(Lesson, self.translation_labels))
        # The error summary lists problems in the order the page shows the fields.
        self.order_fields(
            [
                "project",
                "language",
                *[name for name in self.fields if name not in ("project", "language", "contact_name", "contact_email")],
                "contact_name",
                "contact_email",
            ]
        )
        if editing:
            del self.fields["project"]
        else:
            self.fields["project"].queryset = Project.objects.for_organisation(organisation).filter(
                stage__in=LESSON_STAGES
            )

    def clean(self):
        cleaned = super().clean()
        bilingual.clean_language(cleaned)
        for name, message in bilingual.translation_errors(Lesson, cleaned, self.translation_missing).items():
            self.add_error(name, message)
        return cleaned

    def translation_fields(self):
        """The bound fields of the lesson in the other language, for the form's optional section."""
        return [self[name] for name in Lesson.bilingual.translation_fields()]

    def lesson_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "project"}


class PublishForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who can read this lesson?"),
        widget=forms.RadioSelect,
        error_messages=_required(_("Select who can read the lesson")),
    )

    descriptions = {
        Visibility.INTERNAL: _("Everyone in your organisation."),
        Visibility.SECTOR: _("Anyone signed in to Lantern, with your organisation’s name and contact."),
        Visibility.ANONYMISED: _(
            "Anyone signed in to Lantern, without your organisation’s name, people or contact. "
            "A safe way to share what did not work. You check a preview of what they will see before it is published."
        ),
        Visibility.PUBLIC: _("Anyone, without signing in, with your organisation’s name and contact."),
    }

    def __init__(self, *args, can_publish_beyond: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v, label.split(":")[0]) for v, label in Visibility.choices]
        if not can_publish_beyond:
            choices = choices[:1]
        self.fields["visibility"].choices = choices


class AnonymisedCheckForm(forms.Form):
    """The admin's confirmation that the preview they checked identifies nobody."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    confirmed = forms.BooleanField(
        label=_("I have checked the preview: nothing in it identifies our organisation, our people or our area"),
        error_messages=_required(_("Confirm that you have checked the preview and nothing in it identifies you")),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), error_messages=_required(_("Enter the reason"))
    )

    def __init__(self, *args, label: str, message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages = _required(message)


class AdoptForm(forms.Form):
    title = forms.CharField(label=_("Title of your idea"), max_length=200, error_messages=_required(_("Enter a title")))
    problem = forms.CharField(
        label=_("The problem it addresses here"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("Enter the problem it addresses")),
    )
    proposal = forms.CharField(
        label=_("What you propose"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("Enter what you propose")),
    )
    what_changed = forms.CharField(
        label=_("What you would change from the original"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("Enter what you would change")),
    )
    service_areas = forms.ModelMultipleChoiceField(
        queryset=ServiceArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Service areas it touches"),
        error_messages=_required(_("Select at least one service area")),
    )
    named_publicly = forms.BooleanField(
        label=_("Name my organisation to people who are not signed in"),
        help_text=_(
            "Everyone signed in to Lantern sees that your organisation adopted the lesson. "
            "If you do not tick this, people who are not signed in see only what you changed, without your name."
        ),
        required=False,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_areas"].queryset = ServiceArea.objects.for_organisation(organisation)


class VisitRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of visit?"),
        widget=forms.RadioSelect,
        choices=VisitRequest.Kind.choices,
        error_messages=_required(_("Select what kind of visit you would like")),
    )
    message = forms.CharField(
        label=_("What you would like to see, and when"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required(_("Enter what you would like to see and when")),
    )

    def __init__(self, *args, places_left: int | None, **kwargs):
        """`places_left` is None where the visitor must not learn it (an anonymised lesson)."""
        super().__init__(*args, **kwargs)
        if places_left == 0:
            self.fields["kind"].choices = [(VisitRequest.Kind.GROUP, VisitRequest.Kind.GROUP.label)]
            self.fields["kind"].initial = VisitRequest.Kind.GROUP


class VisitDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        error_messages=_required(_("Select accept or decline")),
    )
    response = forms.CharField(
        label=_("Your reply"),
        help_text=_("If you accept, give the dates you offer and who to contact."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "accept" and not cleaned.get("response", "").strip():
            self.add_error("response", _("Enter the dates you offer and who they should contact"))
        return cleaned


class CapacityForm(forms.Form):
    visits_per_quarter = forms.IntegerField(
        label=_("How many visits a quarter will you host?"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("Enter how many visits a quarter you will host"),
            "invalid": _("Enter a whole number of visits, like 2"),
            "min_value": _("Enter a number of visits of 0 or more"),
            "max_value": _("Enter a number of visits of 100 or fewer"),
        },
    )


class FollowForm(forms.Form):
    services = forms.MultipleChoiceField(
        label=_("Services you follow"),
        help_text=_("Each Monday we email you the lessons published that week in these services."),
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

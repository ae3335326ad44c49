from django import forms

from accounts.templatetags.govuk import govuk_widget


class ExampleForm(forms.Form):
    agree = forms.BooleanField(label="I agree", error_messages={"required": "Tick the box to agree"})
    name = forms.CharField(label="Name", help_text="As on your payslip")


def test_single_checkbox_gets_the_govuk_input_class_so_it_can_be_ticked():
    html = govuk_widget(ExampleForm()["agree"])
    assert 'class="govuk-checkboxes__input"' in html


def test_single_checkbox_with_an_error_renders_without_crashing_and_points_at_the_error():
    form = ExampleForm(data={"name": "Sam"})
    assert not form.is_valid()
    html = govuk_widget(form["agree"])
    assert "govuk-checkboxes__input" in html
    assert 'aria-describedby="id_agree-error"' in html


def test_text_input_with_an_error_is_marked_as_in_error_and_described_by_hint_and_error():
    form = ExampleForm(data={"agree": "on", "name": ""})
    form.is_valid()
    html = govuk_widget(form["name"])
    assert "govuk-input govuk-input--error" in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html

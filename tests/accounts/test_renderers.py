"""Lantern draws a select's options itself (accounts.renderers): the markup must be Django's own."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from accounts.renderers import FormRenderer, LongSelect

CHOICES = [("", "Any"), ("a", "Apples"), ("b", "Bread & <butter>"), (3, "Three")]
GROUPED = [("", "Any"), ("Fruit", [("a", "Apples"), ("p", "Pears")]), ("Other", [("b", "Bread")])]


def _same(html: str) -> str:
    """Markup with the whitespace between tags taken out."""
    return re.sub(r">\s+<", "><", html.strip())


class ChoiceForm(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    required = forms.ChoiceField(choices=CHOICES)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    disabled = forms.ChoiceField(choices=CHOICES, disabled=True, required=False)


@pytest.mark.parametrize("name", ["plain", "required", "grouped", "several", "disabled"])
@pytest.mark.parametrize("data", [None, {"plain": "b", "required": "3", "grouped": "p", "several": ["a", "b"]}])
def test_a_select_is_drawn_exactly_as_django_draws_it(name, data):
    ours = ChoiceForm(data, renderer=FormRenderer())[name]
    django = ChoiceForm(data, renderer=DjangoTemplates())[name]
    assert _same(str(ours)) == _same(str(django))


def test_an_option_label_is_escaped():
    html = str(ChoiceForm(renderer=FormRenderer())["plain"])
    assert "Bread &amp; &lt;butter&gt;" in html and "<butter>" not in html


class MarkedOptions(forms.Select):
    option_template_name = "django/forms/widgets/select_option.html"  # a subclass's own would be drawn by it
    option_inherits_attrs = True


def test_a_select_whose_options_carry_attributes_keeps_them():
    field = forms.ChoiceField(choices=CHOICES, widget=MarkedOptions(attrs={"data-x": "1"}))
    form = type("F", (forms.Form,), {"pick": field})
    assert _same(str(form(renderer=FormRenderer())["pick"])) == _same(str(form(renderer=DjangoTemplates())["pick"]))


@pytest.mark.parametrize("value", [None, "b", 3])
def test_a_long_select_is_drawn_as_django_draws_a_select(value):
    long = forms.ChoiceField(choices=CHOICES, widget=LongSelect, required=False)
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    data = None if value is None else {"pick": value}
    ours = type("F", (forms.Form,), {"pick": long})(data)["pick"]
    django = type("F", (forms.Form,), {"pick": plain})(data, renderer=DjangoTemplates())["pick"]
    assert _same(str(ours)) == _same(str(django))

"""Render Django form fields with the GOV.UK Design System's markup.

Used by templates/includes/field.html; classes and error states are worked out when the
field is rendered, after the form has been validated.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import dateformat, timezone

register = template.Library()

INPUT_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input govuk-input--width-20",
    "number": "govuk-input govuk-input--width-10",
    "url": "govuk-input",
    "date": "govuk-input govuk-input--width-10",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "longselect": "govuk-select",  # accounts.renderers.LongSelect
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    # A single checkbox: without this class GOV.UK's label covers the input and it cannot be ticked.
    "checkbox": "govuk-checkboxes__input",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


@register.filter
def govuk_widget(bound_field):
    """The field's widget with GOV.UK classes, its error state and aria-describedby."""
    attrs = dict(bound_field.field.widget.attrs)
    classes = INPUT_CLASSES.get(bound_field.widget_type, "")
    if classes and attrs.get("class"):
        classes = f"{classes} {attrs['class']}"
    error_class = ERROR_CLASSES.get(classes.split()[0]) if classes else None
    if bound_field.errors and error_class:
        classes += f" {error_class}"
    if classes:
        attrs["class"] = classes
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def first_input_id(bound_field):
    """The id an error summary links to: the field itself, or its first option."""
    if bound_field.widget_type in {"radioselect", "checkboxselectmultiple"}:
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.simple_tag
def govuk_date(value):
    """A date as GOV.UK writes it, in the language of the page: 27 November 2026, 27 Tachwedd 2026.
    Python's strftime knows only English months; Django's date format has each language's."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return dateformat.format(value, "j F Y")


MINUS = "\u2212"  # GOV.UK style writes a true minus sign, not a hyphen, before the £


@register.filter
def money(value) -> str:
    """An amount in whole pounds as GOV.UK writes it: £90,000 and −£90,000; blank for none."""
    if value is None or value == "":
        return ""
    try:
        whole = int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{MINUS}£{-whole:,}" if whole < 0 else f"£{whole:,}"


@register.filter
def plain_number(value) -> str:
    """A measured value as it was reported, without trailing zeros: 13.4, not 13.4000."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value).normalize():f}"


@register.filter
def signed_money(value) -> str:
    """A difference in money: +£2,000, −£2,000 or £0."""
    text = money(value)
    return f"+{text}" if text and Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP) > 0 else text


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template, or None; used for per-choice hints."""
    if not mapping:
        return None
    return mapping.get(key)

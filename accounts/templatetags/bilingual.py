"""`record|in_reader_language`: what the reader sees of a bilingual record (accounts.bilingual)."""

from django import template

register = template.Library()


@register.filter
def in_reader_language(record):
    """The record's `Shown` for the page's language: texts, their `lang`, and the note when only
    the other language has text. The record's model names its fields in `bilingual`."""
    return record.bilingual.show(record)

"""Content people write in Welsh, English or both, and the one rule for which of them a reader sees.

A lesson, a campaign or a record of decision keeps its text as written, in `language`, and may
hold the same text in the other language in `<field>_translation` fields. A reader sees the text
in the language of the page when there is one; otherwise the other, with a note saying so, and
the element holding it carries that text's `lang` so that screen readers pronounce it.

Here, in the lowest app, because innovation's campaigns and decisions and sharing's lessons all
use it, and the layers (tests/test_architecture.py) let both import accounts.
"""

from dataclasses import dataclass

from django import forms
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SUFFIX = "_translation"


class Language(models.TextChoices):
    ENGLISH = "en-gb", _("English")
    WELSH = "cy", _("Welsh")


# The value of an HTML lang attribute for text in each language.
HTML_LANG = {Language.ENGLISH: "en", Language.WELSH: "cy"}


def language_field():
    """The `language` field of a bilingual record: the language its main text is written in."""
    return models.CharField(
        _("language it is written in"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )


def other(language: str) -> str:
    return Language.ENGLISH if language == Language.WELSH else Language.WELSH


def reader_language(language: str | None = None) -> str:
    """The content language for the page's language (`language`, else the active one): Welsh or English."""
    code = (language or get_language() or "").lower()
    return Language.WELSH if code.startswith("cy") else Language.ENGLISH


def author_language(language: str | None = None) -> str:
    """The language a new record is assumed to be written in: the language its author is using."""
    return reader_language(language)


@dataclass(frozen=True)
class Shown:
    """What a reader sees of one record: each field's text, which language it is in, and a note
    when the reader's language has no text."""

    language: str
    texts: dict
    langs: dict
    note: str

    @property
    def lang(self) -> str:
        return HTML_LANG[self.language]


@dataclass(frozen=True)
class Bilingual:
    """How a model holds its two languages: `fields`, each with a `<field>_translation` twin; the
    translation counts as given once `required` ones all are; `only_in` is the note shown when
    the reader's language has no text, by the language the text is in."""

    fields: tuple[str, ...]
    required: tuple[str, ...]
    only_in: dict

    def translation_fields(self) -> tuple[str, ...]:
        return tuple(name + SUFFIX for name in self.fields)

    def has_translation(self, record) -> bool:
        return all((getattr(record, name + SUFFIX) or "").strip() for name in self.required)

    def languages(self, record) -> list[str]:
        """The languages the record can be read in, its own first."""
        written = record.language or Language.ENGLISH
        return [written, other(written)] if self.has_translation(record) else [written]

    def show(self, record, language: str | None = None) -> Shown:
        """The record's text for a reader of `language` (default: the active language).

        The reader's language when the record has it; otherwise the language it is written in,
        with the note. A field the translation leaves blank falls back to the written text, in
        its own language (its `lang` says so)."""
        wanted = reader_language(language)
        written = record.language or Language.ENGLISH
        translated = wanted != written and self.has_translation(record)
        texts, langs = {}, {}
        for name in self.fields:
            text = getattr(record, name + SUFFIX) if translated else ""
            if translated and (text or "").strip():
                texts[name], langs[name] = text, HTML_LANG[wanted]
            else:
                texts[name], langs[name] = getattr(record, name), HTML_LANG[written]
        shown = wanted if translated else written
        note = "" if shown == wanted else str(self.only_in[written])
        return Shown(language=shown, texts=texts, langs=langs, note=note)

    def search_text(self, record) -> tuple[str, str]:
        """(text as written, its translation) for a search document, each joined by newlines."""
        return (
            "\n".join(getattr(record, name) or "" for name in self.fields),
            "\n".join(getattr(record, name + SUFFIX) or "" for name in self.fields),
        )


# ---------------------------------------------------------------- forms


def language_form_field(label: str) -> forms.ChoiceField:
    """The radios asking which language the record is written in, the author's language chosen to
    begin with; left unanswered, it is the author's language (see `clean_language`)."""
    return forms.ChoiceField(
        label=label, choices=Language.choices, widget=forms.RadioSelect, initial=author_language, required=False
    )


def clean_language(cleaned: dict) -> None:
    """The form's `language`, or the author's language when not given."""
    cleaned["language"] = cleaned.get("language") or author_language()


def translation_form_fields(model, labels: dict) -> dict:
    """Optional form fields for the translations of `model`'s bilingual fields, each shaped as the
    field it translates, labelled by `labels` (field name → label)."""
    fields = {}
    for name in model.bilingual.fields:
        translation = model._meta.get_field(name + SUFFIX)
        widget = forms.Textarea(attrs={"rows": 4}) if isinstance(translation, models.TextField) else None
        fields[name + SUFFIX] = forms.CharField(
            label=labels[name], max_length=translation.max_length, required=False, widget=widget
        )
    return fields


def translation_errors(model, cleaned: dict, messages: dict) -> dict:
    """Field name → error (`messages`, by the field translated) for each required translation left
    empty while others are given: the other language's text is all there, or none of it is."""
    spec = model.bilingual
    if not any((cleaned.get(name + SUFFIX) or "").strip() for name in spec.fields):
        return {}
    return {name + SUFFIX: messages[name] for name in spec.required if not (cleaned.get(name + SUFFIX) or "").strip()}

"""Every string a person reads is marked for translation, and the Welsh catalogue has it.

Two faults are caught here:
- a template holds text (or a human-language attribute, or a literal passed as a default or to an
  include) that is not inside `{% translate %}` or `{% blocktranslate %}`: it would show in
  English on a Welsh page. One test per template, so that the failing ones are named;
- a marked string has no Welsh in locale/cy/LC_MESSAGES/django.po, or its Welsh is fuzzy, or
  its placeholders or HTML tags differ from the English (a %(name)s lost in translation is a
  KeyError at run time). The fast test reads the committed catalogue with polib; the full one
  runs makemessages (GNU xgettext) into a temporary catalogue to find strings marked since.
"""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
CATALOGUE = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"

# Words that are the same in Welsh, so may stand unmarked in a template, each with why.
ALLOWED_WORDS = {
    "Lantern": "the service's name, which is not translated",
    # The language switch names each language in itself (GOV.UK's pattern), so neither is translated.
    "English": "the language switch's name of English, the same on a Welsh page",
    "Cymraeg": "the language switch's name of Welsh, the same on an English page",
    # ...and says what the button does in the language it switches to, for a screen reader.
    "Change the language to English": "the switch's hidden text, in the language it switches to",
    "Newid yr iaith i’r Gymraeg": "the switch's hidden text, in the language it switches to",
    "openid email profile": "the OpenID Connect scopes an admin gives their identity provider: protocol names",
}

# Attributes whose value a person reads or hears (a screen reader announces them).
HUMAN_ATTRIBUTES = {
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "title",
    "alt",
    "placeholder",
}

# Stands for each template tag and variable, which print no literal text of their own.
MARK = "\ue000"

_ALLOWED = re.compile(r"\b(?:" + "|".join(map(re.escape, ALLOWED_WORDS)) + r")\b")
# A string literal given as a filter's default or a tag's keyword argument ({% include … with
# label="Filter ideas" %}), unless wrapped in _( ): it reaches the page untranslated.
_DEFAULT_LITERAL = re.compile(r"\|default(?:_if_none)?:(?!_\()([\"'])(.*?)\1")
_KEYWORD_LITERAL = re.compile(r"\b\w+=(?!_\()([\"'])(.*?)\1")
# An identifier, CSS class, path or permission name rather than words: "govuk-label--s".
_IDENTIFIER = re.compile(r"[a-z0-9]*(?:[-_.:/]+[a-z0-9]+)+")
# English plural endings ("idea{{ n|pluralize }}"): Welsh has four plural forms, so a count's
# words belong in {% blocktranslate count %}…{% plural %}…{% endblocktranslate %}.
_ENGLISH_PLURAL = re.compile(r"\|pluralize\b")


def _has_words(text: str) -> bool:
    return any(character.isalpha() for character in _ALLOWED.sub("", text))


def _is_words_literal(literal: str) -> bool:
    return _has_words(literal) and not _IDENTIFIER.fullmatch(literal)


class _TextFinder(HTMLParser):
    """Collects the text and human-language attribute values of HTML in which every Django tag
    and variable has been replaced by MARK."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw = 0  # inside <script> or <style>, whose contents are not read as text

    def _check(self, text: str, where: str) -> None:
        for piece in text.split(MARK):
            if _has_words(piece):
                self.found.append(f"{where}{piece.strip()}")

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value and name in HUMAN_ATTRIBUTES:
                self._check(value, f"<{tag} {name}=…> ")
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
            self._check(attributes["value"], f"<{tag} value=…> ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._raw -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._raw = max(0, self._raw - 1)

    def handle_data(self, data):
        if not self._raw:
            self._check(data, "")


def unmarked_strings(source: str) -> list[str]:
    """The text in a template that would reach a page without being translated."""
    found: list[str] = []
    html: list[str] = []
    skipping_until = None  # the end tag of a {% comment %} or {% blocktranslate %} being skipped
    for token in Lexer(source).tokenize():
        contents = token.contents.strip()
        name = contents.split(" ", 1)[0] if token.token_type == TokenType.BLOCK else ""
        if skipping_until:
            if name in skipping_until:
                skipping_until = None
            continue
        if token.token_type == TokenType.TEXT:
            html.append(token.contents)
            continue
        if token.token_type == TokenType.COMMENT:
            continue
        html.append(MARK)
        if name == "comment":
            skipping_until = ("endcomment",)
            continue
        if name in ("blocktranslate", "blocktrans"):
            skipping_until = ("endblocktranslate", "endblocktrans")
        if token.token_type in (TokenType.VAR, TokenType.BLOCK) and name not in ("translate", "trans"):
            literals = [m.group(2) for m in _DEFAULT_LITERAL.finditer(contents)]
            if token.token_type == TokenType.BLOCK:
                literals += [m.group(2) for m in _KEYWORD_LITERAL.finditer(contents)]
            where = f"{{% {name} %}}" if token.token_type == TokenType.BLOCK else "{{ … }}"
            found += [f"{where} literal: {literal}" for literal in literals if _is_words_literal(literal)]
            if _ENGLISH_PLURAL.search(contents):
                found.append(f"{where} |pluralize (English plurals): {contents}")
    finder = _TextFinder()
    finder.feed("".join(html))
    finder.close()
    return found + finder.found


def _templates() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.suffix in (".html", ".txt", ".xml"))


# ------------------------------------------------------------------ the checker itself


@pytest.mark.parametrize(
    "source, expected",
    [
        ("<p>Save your idea</p>", ["Save your idea"]),
        ('<nav aria-label="Menu">{% translate "Menu" %}</nav>', ["<nav aria-label=…> Menu"]),
        ('<img alt="A chart of the gap" src="x.svg">', ["<img alt=…> A chart of the gap"]),
        ('<input type="submit" value="Save">', ["<input value=…> Save"]),
        ("{% if x %}Edit {{ idea.title }}{% endif %}", ["Edit"]),
        ("{% load i18n %}{% translate 'Ok' as ok %}<p>{{ ok }}</p> and more", ["and more"]),
        ('{{ owner|default:"No owner yet" }}', ["{{ … }} literal: No owner yet"]),
        ('{% include "x.html" with label="Filter ideas" %}', ["{% include %} literal: Filter ideas"]),
        ("Dear {{ name }},\n\nYour idea was accepted.\n", ["Dear", ",\n\nYour idea was accepted."]),
        ("{% blocktranslate trimmed %}Hello {{ name }}{% endblocktranslate %} world", ["world"]),
        ("{{ n }}{% translate 'idea' %}{{ n|pluralize }}", ["{{ … }} |pluralize (English plurals): n|pluralize"]),
    ],
)
def test_the_checker_finds_unmarked_text(source, expected):
    assert unmarked_strings(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        '{% load i18n %}<p class="govuk-body">{% translate "Save" %}</p>',
        "{% blocktranslate trimmed count counter=n %}One idea{% plural %}{{ counter }} ideas{% endblocktranslate %}",
        "{% comment %}Notes for developers, never shown.{% endcomment %}{# Nor this. #}",
        "<script>const words = 'not read';</script><style>p::after { content: 'x'; }</style>",
        '<a href="{% url \'home\' %}" class="govuk-link" data-module="govuk-button">{{ label }}</a>',
        "<title>{% block page_title %}Lantern{% endblock %} – Lantern</title>&nbsp;|",
        '{{ label|default:_("Pages") }} {% include "f.html" with label_class="govuk-label--s" %}',
        '<div aria-label="{% translate "Menu" %}" title="{{ hint }}"></div><!-- a note -->',
    ],
)
def test_the_checker_passes_marked_text(source):
    assert unmarked_strings(source) == []


# ------------------------------------------------------------------ every template


@pytest.mark.parametrize("path", _templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_template_has_no_unmarked_text(path):
    found = unmarked_strings(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)} shows text not marked for translation:\n  " + "\n  ".join(found)


# ------------------------------------------------------------------ the Welsh catalogue

_PYTHON_FORMAT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_BRACE_FORMAT = re.compile(r"\{[\w.\[\]]*\}")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def _placeholders(text: str, entry: polib.POEntry) -> list[str]:
    found = _HTML_TAG.findall(text) + re.findall(r"\{\{.*?\}\}", text)
    if "python-format" in entry.flags:
        found += _PYTHON_FORMAT.findall(text)
    if "python-brace-format" in entry.flags:
        found += _BRACE_FORMAT.findall(text)
    return sorted(found)


def catalogue_faults(catalogue: polib.POFile, nplurals: int = 4) -> list[str]:
    """Each entry of the catalogue that is untranslated, fuzzy, or whose Welsh keeps other
    placeholders or HTML tags than its English."""
    faults = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        label = f"{entry.msgid!r}" + (f" (context {entry.msgctxt!r})" if entry.msgctxt else "")
        if entry.fuzzy:
            faults.append(f"{label}: fuzzy")
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if sorted(forms) != list(range(nplurals)) or not all(forms.values()):
                faults.append(f"{label}: needs all {nplurals} Welsh plural forms")
                continue
            english = set(_placeholders(entry.msgid_plural, entry)) | set(_placeholders(entry.msgid, entry))
            welsh = [set(_placeholders(form, entry)) for form in forms.values()]
            # A form may leave the number out ("Un syniad"), but none may add a placeholder.
            if any(form - english for form in welsh) or set().union(*welsh) != english:
                faults.append(f"{label}: placeholders differ in a plural form")
        else:
            if not entry.msgstr:
                faults.append(f"{label}: untranslated")
            elif _placeholders(entry.msgid, entry) != _placeholders(entry.msgstr, entry):
                faults.append(f"{label}: placeholders or tags differ in {entry.msgstr!r}")
    return faults


def _key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def test_the_catalogue_checker_finds_faults():
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid="Save", msgstr=""))
    catalogue.append(polib.POEntry(msgid="Edit", msgstr="Golygu", flags=["fuzzy"]))
    catalogue.append(polib.POEntry(msgid="%(name)s saved", msgstr="Cadwyd %(enw)s", flags=["python-format"]))
    catalogue.append(polib.POEntry(msgid='<a href="%(u)s">x</a>', msgstr="y %(u)s", flags=["python-format"]))
    catalogue.append(
        polib.POEntry(msgid="%(n)s idea", msgid_plural="%(n)s ideas", msgstr_plural={0: "%(n)s syniad", 1: "a"})
    )
    catalogue.append(polib.POEntry(msgid="Ideas", msgstr="Syniadau"))
    faults = catalogue_faults(catalogue)
    assert [fault.split(":")[0] for fault in faults] == [
        "'Save'",
        "'Edit'",
        "'%(name)s saved'",
        "'<a href=\"%(u)s\">x</a>'",
        "'%(n)s idea'",
    ]


def test_the_welsh_catalogue_is_complete_with_matching_placeholders():
    catalogue = polib.pofile(str(CATALOGUE))
    assert "nplurals=4;" in catalogue.metadata.get("Plural-Forms", "")
    faults = catalogue_faults(catalogue)
    assert not faults, f"{len(faults)} fault(s) in {CATALOGUE.relative_to(ROOT)}:\n  " + "\n  ".join(faults)


# Left out of extraction, as `make messages-extract` leaves them out: no strings people read.
NOT_EXTRACTED = {
    ".git",
    ".venv",
    "node_modules",
    "tests",
    "staticfiles",
    "bench",
    "scripts",
    "mutants",
    "docs",
    "locale",
}
EXTRACTED_SUFFIXES = {".py", ".html", ".txt"}


def _copy_sources(destination: Path) -> None:
    """The files makemessages reads, copied so that it runs away from the repository: run
    there, it would write into the committed catalogue (it picks the `locale` folder it walks
    past over any other)."""

    def ignore(folder, names):
        return [
            name
            for name in names
            if name in NOT_EXTRACTED
            or name.startswith(".")
            or (not (Path(folder) / name).is_dir() and Path(name).suffix not in EXTRACTED_SUFFIXES)
        ]

    shutil.copytree(ROOT, destination, ignore=ignore, symlinks=True)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext (xgettext)")
def test_every_marked_string_has_welsh(tmp_path, settings, monkeypatch):
    # Extracted into an empty catalogue, so that every marked string comes out, translated or not.
    _copy_sources(tmp_path / "src")
    settings.LOCALE_PATHS = [tmp_path / "out" / "locale"]
    monkeypatch.chdir(tmp_path / "src")
    call_command("makemessages", locale=["cy"], no_location=True, verbosity=0)
    extracted = polib.pofile(str(tmp_path / "out" / "locale" / "cy" / "LC_MESSAGES" / "django.po"))
    assert len(extracted) > 100, "makemessages found almost nothing: is the copy of the sources right?"
    committed = {_key(entry): entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    missing = [entry.msgid for entry in extracted if _key(entry) not in committed]
    assert not missing, (
        f"{len(missing)} marked string(s) not in {CATALOGUE.relative_to(ROOT)} (run `make messages-extract` "
        "and translate them):\n  " + "\n  ".join(missing)
    )
    used = polib.POFile()
    for entry in extracted:
        used.append(committed[_key(entry)])
    faults = catalogue_faults(used)
    assert not faults, "\n  ".join([f"{len(faults)} fault(s):", *faults])


def _form_classes():
    """Every form and filter set in Lantern's apps (the API's filters are for scripts, and hidden
    fields show nothing)."""
    import importlib
    import inspect
    import pkgutil

    import django_filters
    from django import forms

    found = set()
    for app in ("accounts", "innovation", "portfolio", "risk", "sharing", "reports", "jobs", "config"):
        for info in pkgutil.walk_packages(importlib.import_module(app).__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name or info.name.endswith(".api"):
                continue
            module = importlib.import_module(info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__.startswith(app) and issubclass(cls, forms.BaseForm | django_filters.FilterSet):
                    found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def unmarked_labels(cls) -> list[str]:
    """The fields of a form (or filter set) whose label is not marked for translation: None (Django
    then makes one from the field's name, in English whatever the language) or a plain string."""
    import django_filters
    from django import forms
    from django.utils.functional import Promise

    if issubclass(cls, django_filters.FilterSet):
        fields = {name: (f.label, f.extra.get("widget")) for name, f in cls.base_filters.items()}
    else:
        fields = {name: (f.label, f.widget) for name, f in cls.base_fields.items()}
    found = []
    for name, (label, widget) in fields.items():
        if widget is forms.HiddenInput or isinstance(widget, forms.HiddenInput):
            continue
        if label is None or (not isinstance(label, Promise) and label != ""):
            found.append(f"{name}: {label!r}")
    return found


def test_the_label_checker_finds_a_label_made_from_a_field_name():
    from django import forms
    from django.utils.translation import gettext_lazy

    class Unmarked(forms.Form):
        title = forms.CharField()
        summary = forms.CharField(label="Summary")
        hidden = forms.CharField(widget=forms.HiddenInput)
        marked = forms.CharField(label=gettext_lazy("Marked"))

    assert unmarked_labels(Unmarked) == ["title: None", "summary: 'Summary'"]


@pytest.mark.parametrize("cls", _form_classes(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_form_label_is_marked_for_translation(cls):
    assert not unmarked_labels(cls), f"{cls.__name__}'s labels are not marked for translation: {unmarked_labels(cls)}"

"""How Lantern's form widgets are drawn: with Django's own templates, except the select's options.

Django draws each option of a select through two template includes, some 500 Python calls an
option; the filters of the risk register, the portfolio and the library have dozens to hundreds
of options between them, and drawing them was the largest part of those pages' time. Here a
select is written out directly, from the same context Django builds and to the same markup
(less the blank lines between options). A widget with templates of its own is drawn by them.
"""

from html import escape

from django.forms import Select
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

SELECT = "django/forms/widgets/select.html"
# Django's empty choice ("---------") reads as nothing to a person and as "dash dash dash…" to a
# screen reader; a form's empty choice asks for one instead (django-filter's filters say "All",
# FILTERS_EMPTY_CHOICE_LABEL in settings).
DJANGO_BLANK = "---------"
CHOOSE = gettext_lazy("Choose one")
SELECTED = format_html(" {}", "selected")
OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context["widget"] if template_name == SELECT else None
        if widget is None or any(o["template_name"] != OPTION for _, group, _ in widget["optgroups"] for o in group):
            return super().render(template_name, context, request)
        return select_html(widget)


def select_html(widget: dict) -> str:
    """A select element from the context Django's select widget builds (`widget.get_context()["widget"]`)."""
    groups = format_html_join("\n", "{}", ((_group_html(name, options),) for name, options, _ in widget["optgroups"]))
    return format_html('<select name="{}"{}>\n{}\n</select>', widget["name"], attributes(widget["attrs"]), groups)


def _group_html(name, options: list[dict]) -> str:
    rendered = format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        ((o["value"], _option_attrs(o["attrs"]), _label(o["label"])) for o in options),
    )
    return format_html('<optgroup label="{}">\n{}\n</optgroup>', name, rendered) if name else rendered


def _label(label):
    return CHOOSE if label == DJANGO_BLANK else label


def _option_attrs(attrs: dict) -> str:
    # Nearly every option has no attributes or is the selected one.
    if not attrs:
        return ""
    return SELECTED if attrs == {"selected": True} else attributes(attrs)


def attributes(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them: in order, True as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v),)
            for k, v in attrs.items()
            if v is not False
        ),
    )


class LongSelect(Select):
    """A select for long lists of plain-text choices (hundreds of projects), written out straight
    from its choices: even FormRenderer's way costs some 75 Python calls an option, this about five."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "\n".join(
            f'<option value="{escape(str(key))}"{SELECTED if str(key) in chosen else ""}>{escape(str(text))}</option>'
            for key, text in ((key, _label(label)) for key, label in self.choices)
        )
        # Safe: every value and label was escaped just above (html.escape, as Django's escape uses).
        options = mark_safe(options)  # noqa: S308
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', name, attributes(self.build_attrs(self.attrs, attrs)), options
        )

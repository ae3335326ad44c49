"""The gap report's indicator rows, written here rather than in the template: the report has
a row for every indicator in the catalogue, and Django's template language spends some 40 Python
calls on each of the row's twenty-odd variables (issue 8's page benchmark)."""

import re
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portfolio.models import Indicator, Trend

register = template.Library()

TREND_LABELS = dict(Trend.choices)
# Translators: after a quartile number in the gap report, e.g. "1 (best)".
QUARTILE_NOTES = {1: gettext_lazy(" (best)"), 4: gettext_lazy(" (worst)")}
# reverse() costs a few hundred Python calls; the indicator links differ only in the code, which
# is put in place of this mark when it needs no quoting in a URL (every catalogue code).
CODE_MARK = "LANTERN-CODE-MARK"
URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")


def number(value) -> str:
    """A decimal as the template writes it (en-GB, no thousands separator): 72.5000 normalised is 72.5."""
    return f"{value:f}"


def _position(row) -> str:
    """The quartile, or why there is none; and whether peers' earlier figures were used."""
    if row.percentile is None:
        return format_html('<span class="govuk-body-s">{}</span>', row.position_note)
    position = format_html(
        '{}{}<span class="govuk-visually-hidden">{}</span>',
        row.quartile,
        QUARTILE_NOTES.get(row.quartile, ""),
        _(", percentile %(percentile)s") % {"percentile": number(row.percentile)},
    )
    if row.compared_with_latest:
        position = format_html(
            '{}<span class="govuk-body-s govuk-!-display-block">{}</span>', position, row.position_note
        )
    return position


@register.simple_tag
def gap_rows(rows, *, ideas_available: bool, projects_available: bool, idea_create_url: str | None):
    """The report's indicator rows, biggest gap first, each with its live ideas and projects."""
    # The words every row shares, translated once for the page rather than once a row.
    words = {
        "polarity": {value: str(label).lower() for value, label in Indicator.Polarity.choices},
        "innovate": format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', "red", _("Innovate")),
        "none_set": _("None set"),
        "not_enough": _("Not enough data"),
    }
    detail_url = reverse("portfolio:indicator-detail", args=[CODE_MARK])

    def indicator_url(code: str) -> str:
        if URL_SAFE.fullmatch(code):
            return detail_url.replace(CODE_MARK, code)
        return reverse("portfolio:indicator-detail", args=[code])

    return format_html_join(
        "\n",
        "{}",
        ((_gap_row(row, ideas_available, projects_available, idea_create_url, indicator_url, words),) for row in rows),
    )


def _gap_row(row, ideas_available: bool, projects_available: bool, idea_create_url, indicator_url, words) -> str:
    indicator = row.indicator
    counts = []
    if ideas_available:
        counts.append(ngettext("%(count)s idea", "%(count)s ideas", row.idea_count) % {"count": row.idea_count})
    if projects_available:
        counts.append(
            ngettext("%(count)s project", "%(count)s projects", row.project_count) % {"count": row.project_count}
        )
    counts_cell = (
        format_html('\n<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>', ", ".join(counts))
        if ideas_available or projects_available
        else ""
    )
    action = ""
    if row.incremental_unlikely:
        action = words["innovate"]
        if idea_create_url:
            action = format_html(
                '{}\n<a class="govuk-link govuk-!-display-block" href="{}?indicator={}">{}'
                '<span class="govuk-visually-hidden"> {}</span></a>',
                words["innovate"],
                idea_create_url,
                quote(indicator.code, safe="/"),  # as the template's urlencode filter
                _("Log an idea"),
                # Translators: hidden text after "Log an idea"; name is the indicator's.
                _("for %(name)s") % {"name": indicator.name},
            )
    return format_html(
        '<tr class="govuk-table__row">\n<th scope="row" class="govuk-table__header">\n'
        '<a class="govuk-link" href="{}">{}</a>\n'
        '<span class="govuk-body-s govuk-!-display-block">{} · {} · {}</span>\n</th>\n'
        '<td class="govuk-table__cell">{}</td>\n'
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>\n'
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>\n'
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>\n'
        '<td class="govuk-table__cell">{}</td>\n'
        '<td class="govuk-table__cell">{}</td>{}\n'
        '<td class="govuk-table__cell">{}</td>\n</tr>',
        indicator_url(indicator.code),
        indicator.name,
        indicator.code,
        indicator.unit,
        words["polarity"].get(indicator.polarity, indicator.polarity),
        row.period,
        number(row.actual.normalize()),
        words["none_set"] if row.aspiration is None else number(row.aspiration.normalize()),
        "–" if row.gap_pct is None else f"{number(row.gap_pct)}%",
        _position(row),
        TREND_LABELS.get(row.trend) or row.trend or words["not_enough"],
        counts_cell,
        action,
    )

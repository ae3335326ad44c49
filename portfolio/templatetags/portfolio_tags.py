"""The gap report's indicator rows, written here rather than in the template: the report has
a row for every indicator in the catalogue, and Django's template language spends some 40 Python
calls on each of the row's twenty-odd variables (issue 8's page benchmark)."""

import re
from urllib.parse import quote

from django import template
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from portfolio.models import Indicator, Trend

register = template.Library()

POLARITY_LABELS = {value: label.lower() for value, label in Indicator.Polarity.choices}
TREND_LABELS = dict(Trend.choices)
QUARTILE_NOTES = {1: " (best)", 4: " (worst)"}
INNOVATE = format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', "red", "Innovate")
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
        '{}{}<span class="govuk-visually-hidden">, percentile {}</span>',
        row.quartile,
        QUARTILE_NOTES.get(row.quartile, ""),
        number(row.percentile),
    )
    if row.compared_with_latest:
        position = format_html(
            '{}<span class="govuk-body-s govuk-!-display-block">{}</span>', position, row.position_note
        )
    return position


@register.simple_tag
def gap_rows(rows, *, ideas_available: bool, projects_available: bool, idea_create_url: str | None):
    """The report's indicator rows, biggest gap first, each with its live ideas and projects."""
    detail_url = reverse("portfolio:indicator-detail", args=[CODE_MARK])

    def indicator_url(code: str) -> str:
        if URL_SAFE.fullmatch(code):
            return detail_url.replace(CODE_MARK, code)
        return reverse("portfolio:indicator-detail", args=[code])

    return format_html_join(
        "\n",
        "{}",
        ((_gap_row(row, ideas_available, projects_available, idea_create_url, indicator_url),) for row in rows),
    )


def _gap_row(row, ideas_available: bool, projects_available: bool, idea_create_url, indicator_url) -> str:
    indicator = row.indicator
    counts = []
    if ideas_available:
        counts.append(f"{row.idea_count} idea{pluralize(row.idea_count)}")
    if projects_available:
        counts.append(f"{row.project_count} project{pluralize(row.project_count)}")
    counts_cell = (
        format_html('\n<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>', ", ".join(counts))
        if ideas_available or projects_available
        else ""
    )
    action = ""
    if row.incremental_unlikely:
        action = INNOVATE
        if idea_create_url:
            action = format_html(
                '{}\n<a class="govuk-link govuk-!-display-block" href="{}?indicator={}">Log an idea'
                '<span class="govuk-visually-hidden"> for {}</span></a>',
                INNOVATE,
                idea_create_url,
                quote(indicator.code, safe="/"),  # as the template's urlencode filter
                indicator.name,
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
        POLARITY_LABELS.get(indicator.polarity, indicator.polarity),
        row.period,
        number(row.actual.normalize()),
        "None set" if row.aspiration is None else number(row.aspiration.normalize()),
        "–" if row.gap_pct is None else f"{number(row.gap_pct)}%",
        _position(row),
        TREND_LABELS.get(row.trend) or row.trend or "Not enough data",
        counts_cell,
        action,
    )

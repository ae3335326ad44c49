"""Scores and bands on risk pages: always the number and the band's name, never colour alone."""

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from risk import queries, scoring
from risk.models import Category, Status

register = template.Library()


@register.simple_tag
def score_tag(score: int | None, likelihood: int | None = None, impact: int | None = None):
    """A score as a GOV.UK tag coloured by band, with the band's name written in it."""
    if score is None:
        return format_html('<strong class="govuk-tag {}">{}</strong>', "govuk-tag--grey", _("Not scored"))
    band = scoring.band(score)
    return format_html(
        '<strong class="govuk-tag {}">{} {}</strong><span class="govuk-visually-hidden">{}</span>',
        scoring.BAND_TAG_CLASSES[band],
        score,
        band.label,
        _(", likelihood %(likelihood)s times impact %(impact)s") % {"likelihood": likelihood, "impact": impact}
        if likelihood and impact
        else "",
    )


@register.simple_tag
def movement(previous: int | None, current: int | None):
    """How a residual score moved at its latest change: up, down or unchanged, in words."""
    if previous is None or current is None or previous == current:
        return ""
    if current > previous:
        words = _("Up from %(previous)s") % {"previous": previous}
    else:
        words = _("Down from %(previous)s") % {"previous": previous}
    return format_html('<span class="govuk-body-s">{}</span>', words)


@register.simple_tag
def band_label(score: int | None) -> str:
    band = scoring.band(score)
    return band.label if band else _("Not scored")


@register.simple_tag
def band_legend():
    """The bands with their colours and score ranges."""
    return [
        {"label": band.label, "low": low, "high": high, "tag_class": scoring.BAND_TAG_CLASSES[band]}
        for band, (low, high) in scoring.BAND_RANGES.items()
    ]


# The register's heat maps and rows are written here rather than in their templates: a register
# page repeats them 50 to 100 times, and Django's template language spends some 40 Python calls
# on each variable it prints; here a row costs a fraction of that (issue 8's page benchmark).


def _cell_href(register_url: str, cell_query: str, kind: str, cell) -> str:
    """The register filtered to one cell of a heat map, keeping the other filters."""
    query = f"{cell_query}&" if cell_query else ""
    return f"{register_url}?{query}{kind}_likelihood={cell.likelihood}&{kind}_impact={cell.impact}"


@register.simple_tag
def heat_map_rows(heat_map, register_url: str, cell_query: str):
    """The rows of a heat map's grid: impact 5 down to 1, each cell's count linking to those risks."""
    rows = []
    for impact, cells in heat_map.rows:
        rendered = format_html_join(
            "\n", "{}", ((_heat_map_cell(cell, heat_map.kind, register_url, cell_query),) for cell in cells)
        )
        rows.append(
            format_html(
                '<tr class="govuk-table__row">\n<th scope="row" class="govuk-table__header">'
                '<span class="govuk-visually-hidden">{} </span>{}</th>\n{}\n</tr>',
                _("Impact"),
                impact,
                rendered,
            )
        )
    return format_html_join("\n", "{}", ((row,) for row in rows))


def _heat_map_cell(cell, kind: str, register_url: str, cell_query: str) -> str:
    if cell.count:
        content = format_html(
            '<a class="govuk-link" href="{}"><strong class="govuk-tag {}">{}</strong>'
            '<span class="govuk-visually-hidden"> {}</span></a>',
            _cell_href(register_url, cell_query, kind, cell),
            cell.tag_class,
            cell.count,
            # Translators: hidden text after a heat-map cell's count, e.g. "3 risks with likelihood 4 and …".
            ngettext(
                "risk with likelihood %(likelihood)s and impact %(impact)s, score %(score)s, %(band)s",
                "risks with likelihood %(likelihood)s and impact %(impact)s, score %(score)s, %(band)s",
                cell.count,
            )
            % {
                "likelihood": cell.likelihood,
                "impact": cell.impact,
                "score": cell.score,
                "band": str(cell.band_label).lower(),
            },
        )
    else:
        content = format_html('<span class="govuk-tag {}">0</span>', cell.tag_class)
    return format_html(
        '<td class="govuk-table__cell govuk-table__cell--numeric" data-likelihood="{}" data-impact="{}" '
        'data-count="{}">{}</td>',
        cell.likelihood,
        cell.impact,
        cell.count,
        content,
    )


@register.simple_tag
def heat_map_list_rows(heat_map, register_url: str, cell_query: str):
    """The heat map as a list: each cell with risks, highest score first."""
    return format_html_join(
        "\n",
        '<tr class="govuk-table__row">\n<td class="govuk-table__cell">{} {}</td>\n'
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>\n'
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>\n'
        '<td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" href="{}">{}'
        '<span class="govuk-visually-hidden"> {}</span></a></td>\n</tr>',
        (
            (
                cell.score,
                str(cell.band_label).lower(),
                cell.likelihood,
                cell.impact,
                _cell_href(register_url, cell_query, heat_map.kind, cell),
                cell.count,
                # Translators: hidden text after a count of risks in the heat map's list.
                ngettext("risk", "risks", cell.count),
            )
            for cell in heat_map.cells
        ),
    )


TAG = '<br><strong class="govuk-tag govuk-tag--{}">{}</strong>'
CATEGORY_LABELS = dict(Category.choices)
STATUS_LABELS = dict(Status.choices)
# reverse() costs a few hundred Python calls; a register page's 50 links differ only in the id.
PK_MARK = "2147483647"


@register.simple_tag
def register_rows(risks, appetite: int, show_project: bool):
    """The register's rows: each risk with its project, owner, scores, movement, review date and status."""
    detail_url = reverse("risk:risk-detail", args=[PK_MARK])
    dates = _Dates()
    # The words every row shares, translated once for the page rather than once a row.
    words = {
        "above_appetite": format_html(TAG, "purple", _("Above appetite")),
        "escalated": format_html(TAG, "pink", _("Escalated")),
        "overdue": format_html(TAG, "red", _("Overdue")),
        "carried": format_html(TAG, "blue", _("Carried by the organisation")),
        "no_owner": format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', "red", _("No owner")),
        "expired": format_html(TAG, "red", _("Acceptance expired")),
        "not_set": _("Not set"),
    }
    return format_html_join(
        "\n", "{}", ((_register_row(risk, appetite, show_project, detail_url, dates, words),) for risk in risks)
    )


class _Dates:
    """Dates as the `date` filter writes them, each distinct date worked out once."""

    def __init__(self):
        self.format, self.written = get_format("DATE_FORMAT"), {}

    def __call__(self, value) -> str:
        if not value:
            return ""
        if value not in self.written:
            self.written[value] = dateformat.format(value, self.format)
        return self.written[value]


def _register_row(risk, appetite: int, show_project: bool, detail_url: str, date: _Dates, words: dict) -> str:
    residual = movement(risk.previous_residual_score, risk.residual_score)
    if risk.is_above(appetite):
        residual = format_html("{}\n{}", residual, words["above_appetite"])
    status = STATUS_LABELS[risk.status]
    if risk.escalated_at:
        status = format_html("{}\n{}", status, words["escalated"])
    if risk.carried_at:
        status = format_html("{}\n{}", status, words["carried"])
    if risk.is_accepted:
        if risk.acceptance_expired:
            # Translators: after the "Acceptance expired" tag: the date it expired.
            on = _("on %(date)s") % {"date": date(risk.accepted_until)}
            status = format_html("{}\n{} {}", status, words["expired"], on)
        else:
            until = _("Accepted until %(date)s") % {"date": date(risk.accepted_until)}
            status = format_html("{}\n<br>{}", status, until)
    return format_html(
        '<tr class="govuk-table__row" data-risk="{}">\n'
        '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a><br>'
        '<span class="govuk-body-s">{}</span></td>{}\n'
        '<td class="govuk-table__cell">{}</td>\n'
        '<td class="govuk-table__cell">{}</td>\n'
        '<td class="govuk-table__cell">{}\n{}</td>\n'
        '<td class="govuk-table__cell">{}{}</td>\n'
        '<td class="govuk-table__cell">{}</td>\n</tr>',
        risk.pk,
        detail_url.replace(PK_MARK, str(risk.pk)),
        risk.title,
        CATEGORY_LABELS[risk.category],
        format_html('\n<td class="govuk-table__cell">{}</td>', risk.assessment.project.title) if show_project else "",
        (risk.owner.full_name or risk.owner.email) if risk.owner else words["no_owner"],
        score_tag(risk.inherent_score, risk.inherent_likelihood, risk.inherent_impact),
        score_tag(risk.residual_score, risk.residual_likelihood, risk.residual_impact),
        residual,
        date(risk.review_date) or words["not_set"],
        words["overdue"] if risk.is_overdue else "",
        status,
    )


@register.simple_tag
def project_heat_maps(project):
    """Both heat maps of one project's risks (inherent, residual), for a page outside the risk app:
    the decision page shows them beside the risks above appetite."""
    return queries.register_summary(queries.project_register_base(project=project)).heat_maps

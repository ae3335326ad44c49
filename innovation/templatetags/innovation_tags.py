"""The portfolio's rows, written here rather than in the template: Django's template language
spends some 40 Python calls on each variable it prints, and a portfolio page prints 25 rows of
them (issue 8's page benchmark)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from innovation.models import PROJECT_FINISHED_STAGES, RAG, ProjectStage

register = template.Library()

STAGE_LABELS = dict(ProjectStage.choices)
RAG_LABELS = dict(RAG.choices)
# reverse() costs a few hundred Python calls; the project links differ only in the id.
PK_MARK = "2147483647"


@register.simple_tag
def project_rows(projects):
    """Each project with its service areas, owner, sponsor, stage and RAG status (service areas prefetched)."""
    detail_url = reverse("innovation:project-detail", args=[PK_MARK])
    none_yet = _("None yet")
    return format_html_join(
        "\n",
        '<tr class="govuk-table__row">\n'
        '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>\n'
        '<td class="govuk-table__cell">{}</td>\n'
        '<td class="govuk-table__cell">{}</td>\n'
        '<td class="govuk-table__cell">{}</td>\n'
        '<td class="govuk-table__cell"><strong class="govuk-tag{}">{}</strong></td>\n'
        '<td class="govuk-table__cell">{}</td>\n</tr>',
        (
            (
                detail_url.replace(PK_MARK, str(project.pk)),
                project.title,
                ", ".join(area.name for area in project.service_areas.all()),
                project.owner,
                project.sponsor or none_yet,
                " govuk-tag--grey" if project.stage in PROJECT_FINISHED_STAGES else "",
                STAGE_LABELS.get(project.stage, project.stage),
                RAG_LABELS.get(project.live_rag) or project.live_rag or "–",
            )
            for project in projects
        ),
    )


@register.filter
def percent(value) -> str:
    """An optimism bias uplift as the guidance writes it, to the hundredth at most: 51%, 43.95%."""
    if value is None or value == "":
        return "n/a"
    shown = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{shown:f}%"


@register.filter
def points(value) -> str:
    """A reduction of an uplift in percentage points: 7.05 points."""
    if value is None:
        return "n/a"
    return percent(value)[:-1] + " points"

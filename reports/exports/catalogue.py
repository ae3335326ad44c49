"""What can be exported: each export's columns, rows and filter, read from the domain apps' exports.py."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from innovation import exports as innovation_exports
from portfolio import exports as portfolio_exports
from reports import committee_pack, copy_out
from risk import exports as risk_exports
from risk import queries as risk_queries
from sharing import exports as sharing_exports


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    description: str
    columns: list[str]
    # (organisation=, user=, data=) -> a queryset or list of the rows' objects
    select: Callable
    # (selected, organisation=) -> rows of values, in `columns` order
    rows: Callable
    # (data, organisation=, user=) -> the page's FilterSet, whose form the reports page shows
    filterset: Callable | None = None
    # (organisation=) -> CSV bytes made by the database itself (PostgreSQL COPY), or None
    copy_chunks: Callable | None = None

    def count(self, selected) -> int:
        return selected.count() if hasattr(selected, "count") and not isinstance(selected, list) else len(selected)


def _portfolio_select(*, organisation: Organisation, user: User, data) -> QuerySet:
    """innovation's register, with risk's own measure of each project's risk (its open risks)."""
    projects = innovation_exports.portfolio_select(organisation=organisation, user=user, data=data)
    return projects.annotate(highest_residual=risk_queries.highest_open_residual(OuterRef("pk")))


# The risk columns go after the business case's figures: risk's to define, innovation's to list.
_RISK_AT = innovation_exports.PORTFOLIO_COLUMNS.index("innovate_adjusted_net_value") + 1


def _portfolio_rows(projects, *, organisation):
    for project in projects.iterator(chunk_size=2000):
        row = innovation_exports.portfolio_row(project)
        risk = [project.highest_residual, risk_exports.band_label(project.highest_residual)]
        yield [*row[:_RISK_AT], *risk, *row[_RISK_AT:]]


def _portfolio_columns() -> list[str]:
    columns = innovation_exports.PORTFOLIO_COLUMNS
    return [*columns[:_RISK_AT], "highest_residual_risk_score", "risk_band", *columns[_RISK_AT:]]


EXPORTS: dict[str, Export] = {
    export.name: export
    for export in [
        Export(
            name="portfolio-register",
            title=_("Portfolio register"),
            description=_(
                "Every project with its stage, owner, service areas, costs, net value, risk, decision and outcome."
            ),
            columns=_portfolio_columns(),
            select=_portfolio_select,
            rows=_portfolio_rows,
            filterset=innovation_exports.portfolio_filterset,
        ),
        Export(
            name="risk-register",
            title=_("Risk register"),
            description=_("The risks of projects under way, with their scores before and after controls."),
            columns=risk_exports.REGISTER_COLUMNS,
            select=risk_exports.register_select,
            rows=lambda risks, organisation: risk_exports.register_rows(risks),
            filterset=risk_exports.register_filterset,
        ),
        Export(
            name="gap-report",
            title=_("Gap report"),
            description=_("Where services fall furthest short of their aspirations, biggest gap first."),
            columns=portfolio_exports.GAP_COLUMNS,
            select=portfolio_exports.gap_select,
            rows=lambda rows, organisation: portfolio_exports.gap_rows(rows),
        ),
        Export(
            name="decisions",
            title=_("Records of decision"),
            description=_(
                "Every decision at the approval gate as recorded: who decided, the reasons, the options "
                "rejected and why, interests declared, dispensations, risks accepted and documents relied on."
            ),
            columns=innovation_exports.DECISION_COLUMNS,
            select=innovation_exports.decision_select,
            rows=lambda decisions, organisation: [innovation_exports.decision_row(d) for d in decisions],
        ),
        Export(
            name="capacity-assessment",
            title=_("Capacity assessment"),
            description=_("The organisation's capacity to innovate, factor by factor, beside the sector."),
            columns=portfolio_exports.CAPACITY_COLUMNS,
            select=portfolio_exports.capacity_select,
            rows=lambda factors, organisation: portfolio_exports.capacity_rows(factors),
        ),
        Export(
            name="lessons",
            title=_("Lessons"),
            description=_(
                "Lessons in the sector library as you see them there: anonymised ones without "
                "the organisation or the people."
            ),
            columns=sharing_exports.LESSON_COLUMNS,
            select=sharing_exports.library_select,
            rows=lambda lessons, organisation: sharing_exports.library_rows(lessons, reader=organisation),
            filterset=sharing_exports.library_filterset,
        ),
        Export(
            name="measurements",
            title=_("Performance measurements"),
            description=_("Every actual value imported for the organisation, indicator by indicator."),
            columns=portfolio_exports.MEASUREMENT_COLUMNS,
            select=portfolio_exports.measurement_select,
            rows=lambda values, organisation: portfolio_exports.measurement_rows(values),
            copy_chunks=copy_out.measurement_copy_chunks,
        ),
    ]
}


def export_get(name: str) -> Export:
    from django.http import Http404

    try:
        return EXPORTS[name]
    except KeyError:
        raise Http404 from None


def title_for(name: str) -> str:
    """The title of an export or of the committee pack, by its name."""
    if name == committee_pack.NAME:
        return committee_pack.TITLE
    export = EXPORTS.get(name)
    return export.title if export is not None else name

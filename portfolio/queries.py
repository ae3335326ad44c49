"""Read paths for performance data, gap reports and capacity assessments.

The home dashboard (config/) reads `gap_biggest` from here.
"""

from collections import defaultdict
from statistics import median

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.query import ModelIterable
from django.shortcuts import get_object_or_404

from accounts import access
from accounts.models import Organisation
from portfolio import gaps, groups
from portfolio.catalogue import SERVICES_BY_KIND
from portfolio.models import (
    Aspiration,
    CapacityAssessment,
    CapacityFactor,
    ComparisonGroup,
    GapReport,
    GapReportAreaRow,
    GapReportJob,
    GapReportPosition,
    GapReportRow,
    ImportJob,
    Indicator,
    Measurement,
    NearestNeighbour,
    ServiceArea,
)
from portfolio.periods import label_for


def gap_report_current(*, organisation: Organisation) -> GapReport | None:
    """The organisation's current gap report, or None before the first is computed."""
    return GapReport.objects.for_organisation(organisation).filter(is_current=True).first()


POSITION_FIELDS = ("percentile", "quartile", "peers_compared", "compared_with_latest")


class _InGroup(ModelIterable):
    """Rows read for a comparison group: each carries the group's position in place of its own
    (every organisation's), and the group's key, so that every surface (the page, the CSV, the
    API, the committee pack) reads row.percentile, row.quartile and row.position_note as before."""

    def __iter__(self):
        for row in super().__iter__():
            row.comparison_group = row.in_group
            for name in POSITION_FIELDS:
                setattr(row, name, getattr(row, f"group_{name}"))
            if row.peers_compared is None:  # no position at all in the group (no neighbours yet)
                row.peers_compared, row.compared_with_latest = 0, False
            yield row


def gap_rows_ranked(*, report: GapReport | None, group: str = groups.ALL):
    """The report's indicator rows, biggest gap first (rows without a gap last), with their
    position within the comparison group named (portfolio.groups; every organisation by default)."""
    if report is None:
        return GapReportRow.objects.none()
    rows = (
        GapReportRow.objects.for_organisation(report.organisation_id)
        .filter(report=report)
        .select_related("indicator")
        .order_by(F("gap_pct").desc(nulls_last=True), "indicator__code")
    )
    if group == groups.ALL:
        return rows
    positions = GapReportPosition.objects.filter(
        report_id=OuterRef("report_id"), indicator_id=OuterRef("indicator_id"), comparison_group=group
    )
    rows = rows.annotate(
        in_group=Value(group, output_field=CharField()),
        **{f"group_{name}": Subquery(positions.values(name)[:1]) for name in POSITION_FIELDS},
    )
    rows._iterable_class = _InGroup
    return rows


def gap_comparison_group(*, organisation: Organisation) -> groups.Group:
    """The comparison group the organisation's dashboard and committee pack position it in: its default."""
    return groups.group_for_request(organisation=organisation, key=None)[0]


def gap_biggest(*, organisation: Organisation, limit: int = 5) -> list[GapReportRow]:
    """The organisation's biggest shortfalls against aspiration, for the home dashboard and the
    committee pack, positioned within the organisation's default comparison group."""
    report = gap_report_current(organisation=organisation)
    group = gap_comparison_group(organisation=organisation)
    return list(gap_rows_ranked(report=report, group=group.key).filter(gap_pct__gt=0)[:limit])


def area_rows_ranked(*, report: GapReport | None) -> list[dict]:
    """The report's service lines, biggest mean gap first, named as the organisation names them."""
    if report is None:
        return []
    names = defaultdict(list)
    for area in ServiceArea.objects.for_organisation(report.organisation_id).order_by("name"):
        names[area.service].append(area.name)
    rows = (
        GapReportAreaRow.objects.for_organisation(report.organisation_id)
        .filter(report=report)
        .order_by(F("gap_pct").desc(nulls_last=True), "service")
    )
    return [{"row": row, "name": ", ".join(names[row.service]) or row.get_service_display()} for row in rows]


def _live_counts(relation: str, organisation: Organisation, indicator_ids: list[int]) -> dict[int, int] | None:
    """Live ideas or projects aimed at each indicator, from innovation's own named query
    (`live_counts_by_indicator`) on the model behind the reverse relation it defines
    (`indicator.ideas`, `indicator.projects`). None while no app defines the relation:
    portfolio never imports innovation."""
    try:
        model = Indicator._meta.get_field(relation).related_model
    except FieldDoesNotExist:
        return None
    return model.objects.live_counts_by_indicator(organisation=organisation, indicator_ids=indicator_ids)


def gap_report_page(*, organisation: Organisation, group: str | None = None) -> dict:
    """Everything the report page shows, in a fixed number of queries, with positions within the
    comparison group asked for (a 404 for one that is not the organisation's), else its default."""
    report = gap_report_current(organisation=organisation)
    chosen, choices = groups.group_for_request(organisation=organisation, key=group)
    rows = list(gap_rows_ranked(report=report, group=chosen.key))
    ids = [row.indicator_id for row in rows]
    ideas = _live_counts("ideas", organisation, ids) if rows else None
    projects = _live_counts("projects", organisation, ids) if rows else None
    for row in rows:
        row.idea_count = None if ideas is None else ideas.get(row.indicator_id, 0)
        row.project_count = None if projects is None else projects.get(row.indicator_id, 0)
    return {
        "report": report,
        "rows": rows,
        "group": chosen,
        "group_choices": choices,
        "default_group": groups.group_default_key(organisation=organisation),
        "areas": area_rows_ranked(report=report),
        "flagged": [row for row in rows if row.incremental_unlikely],
        "without_position": sum(1 for row in rows if row.percentile is None),
        "counts_available": ideas is not None or projects is not None,
        "ideas_available": ideas is not None,
        "projects_available": projects is not None,
    }


def indicator_series(*, organisation: Organisation, indicator: Indicator, count: int = 12) -> list[dict]:
    """The organisation's actual values and aspirations and the sector median, period by period.
    The median is over the gap report's comparison (portfolio.gaps), and blank with too few others."""
    actuals = dict(
        Measurement.objects.for_organisation(organisation)
        .filter(indicator=indicator)
        .values_list("period_index", "value")
    )
    aspirations = dict(
        Aspiration.objects.for_organisation(organisation)
        .filter(indicator=indicator)
        .values_list("period_index", "value")
    )
    indexes = sorted(set(actuals) | set(aspirations))[-count:]
    if not indexes:
        return []
    sector = gaps.sector_points(organisation_id=organisation.pk, indicator_id=indicator.pk, period_indexes=indexes)
    return [
        {
            "period": label_for(index, indicator.frequency),
            "actual": actuals.get(index),
            "aspiration": aspirations.get(index),
            "median": sector[index].median,
            "median_note": _median_note(sector[index]),
        }
        for index in indexes
    ]


def _median_note(point: gaps.SectorPoint) -> str:
    if point.median is None:
        return str(GapReportRow.TOO_FEW)
    return str(GapReportRow.LATEST) if point.compared_with_latest else ""


def import_job_get(*, organisation: Organisation, public_id) -> ImportJob:
    """One of the organisation's imports; another organisation's is a 404."""
    return get_object_or_404(ImportJob.objects.for_organisation(organisation), public_id=public_id)


def import_job_list(*, organisation: Organisation, limit: int = 10) -> list[ImportJob]:
    return list(ImportJob.objects.for_organisation(organisation).select_related("uploaded_by")[:limit])


def gap_report_job_get(*, organisation: Organisation, public_id) -> GapReportJob:
    """One of the organisation's report runs; another organisation's is a 404."""
    return get_object_or_404(GapReportJob.objects.for_organisation(organisation), public_id=public_id)


def capacity_summary(*, organisation: Organisation) -> dict:
    """Each factor's median score in the organisation beside the sector's median of
    organisations' medians (R9)."""
    by_organisation: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    own_count = 0
    for organisation_id, scores in CapacityAssessment.objects.values_list("organisation_id", "scores"):
        own_count += organisation_id == organisation.pk
        for factor, score in scores.items():
            by_organisation[organisation_id][factor].append(score)
    factors = []
    for factor in CapacityFactor:
        medians = [median(f[factor]) for f in by_organisation.values() if f.get(factor)]
        own = by_organisation.get(organisation.pk, {}).get(factor)
        factors.append(
            {
                "factor": factor,
                "own": median(own) if own else None,
                "sector": median(medians) if medians else None,
            }
        )
    chart = {
        "labels": [f["factor"].label for f in factors],
        "own": [f["own"] for f in factors],
        "sector": [f["sector"] for f in factors],
    }
    return {"factors": factors, "chart": chart, "respondents": own_count, "organisations": len(by_organisation)}


def capacity_assessment_for(*, organisation: Organisation, user) -> CapacityAssessment | None:
    return CapacityAssessment.objects.for_organisation(organisation).filter(respondent=user).first()


def service_area_list(*, organisation: Organisation):
    return ServiceArea.objects.for_organisation(organisation).order_by("name", "pk")


def service_area_get_for_user(*, user, organisation: Organisation, pk: int) -> ServiceArea:
    """One of the organisation's service areas (another organisation's is a 404) the user may change (else 403)."""
    area = get_object_or_404(service_area_list(organisation=organisation), pk=pk)
    access.require(user, "portfolio.manage_indicators", area)
    return area


def indicator_own_list(*, organisation: Organisation):
    """The organisation's own indicators: in use first, then retired, by code."""
    return Indicator.objects.for_organisation(organisation).order_by(F("retired_at").asc(nulls_first=True), "code")


def indicator_catalogue() -> list[Indicator]:
    return list(Indicator.objects.catalogue().order_by("service", "code"))


def indicator_get(*, organisation: Organisation, code: str) -> Indicator:
    """An indicator by code among those the organisation sees (the catalogue and its own); else a 404."""
    return get_object_or_404(Indicator.objects.available_to(organisation), code__iexact=code[:30])


def indicator_by_code(*, organisation: Organisation, code: str) -> Indicator | None:
    """A live indicator the organisation may aim an idea at, by code, or None for a blank or unknown one."""
    if not code:
        return None
    return Indicator.objects.available_to(organisation).live().performance().filter(code__iexact=code[:30]).first()


def indicator_own_get_for_user(*, user, organisation: Organisation, pk: int) -> Indicator:
    """One of the organisation's own indicators (the catalogue's, or another organisation's, is a 404)
    that the user may change (else 403)."""
    indicator = get_object_or_404(Indicator.objects.for_organisation(organisation), pk=pk)
    access.require(user, "portfolio.manage_indicators", indicator)
    return indicator


def indicator_choices(*, organisation: Organisation, include_pk: int | None = None):
    """The indicators to offer on an idea's or project's form: live ones of the services the
    organisation's kind delivers (portfolio.catalogue.SERVICES_BY_KIND) or that it has figures
    for, from the catalogue and its own. `include_pk` keeps an idea's current choice offered."""
    services = SERVICES_BY_KIND.get(organisation.kind, set())
    reported = Measurement.objects.for_organisation(organisation).values("indicator_id")
    offered = (
        Indicator.objects.available_to(organisation)
        .live()
        .performance()
        .filter(Q(service__in=services) | Q(pk__in=reported))
    )
    if include_pk:
        offered = offered | Indicator.objects.available_to(organisation).filter(pk=include_pk)
    return offered.order_by("code")


def comparison_groups_visible(*, organisation: Organisation):
    """The organisation's own comparison groups and those others share with the sector, with members."""
    return (
        ComparisonGroup.objects.visible_to(organisation)
        .select_related("organisation")
        .prefetch_related("members")
        .order_by("name", "pk")
    )


def comparison_group_get(*, organisation: Organisation, pk: int) -> ComparisonGroup:
    """A group the organisation may read (its own, or shared); another authority's unshared one is a 404."""
    return get_object_or_404(comparison_groups_visible(organisation=organisation), pk=pk)


def comparison_group_own_get_for_user(*, user, organisation: Organisation, pk: int) -> ComparisonGroup:
    """One of the organisation's own groups (another's, shared or not, is a 404) the user may change (else 403)."""
    group = get_object_or_404(ComparisonGroup.objects.for_organisation(organisation), pk=pk)
    access.require(user, "portfolio.manage_groups", organisation)
    return group


def nearest_neighbours(*, organisation: Organisation) -> list[NearestNeighbour]:
    """The organisation's nearest neighbours as the last gap report run found them, nearest first."""
    return list(NearestNeighbour.objects.for_organisation(organisation).select_related("neighbour").order_by("rank"))

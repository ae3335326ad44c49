"""Pipeline figures: how many projects and ideas are at each stage, what they are worth, and
how long projects spend in each stage (the pipeline page and the committee pack)."""

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.utils import timezone

from accounts.models import Organisation
from innovation.models import (
    IDEA_LIVE_STAGES,
    BusinessCaseOption,
    Idea,
    IdeaStage,
    Project,
    ProjectStage,
    ProjectTransition,
)

# A missing reverse one-to-one (a project without a business case yet) raises a subclass of
# AttributeError, which getattr(project, "business_case", None) absorbs.


def time_in_stages(
    *, created_at: datetime.datetime, transitions: list[ProjectTransition], current_stage: str, now: datetime.datetime
) -> dict[str, float]:
    """Pure: days a project has spent in each stage, from its transition log (the current stage up to now)."""
    days: dict[str, float] = {}
    entered, stage = created_at, ProjectStage.ASSESSMENT
    for move in transitions:
        days[stage] = days.get(stage, 0.0) + (move.created_at - entered).total_seconds() / 86400
        entered, stage = move.created_at, move.to_stage
    if stage == current_stage and stage not in {ProjectStage.CLOSED, ProjectStage.REJECTED, ProjectStage.ABANDONED}:
        days[stage] = days.get(stage, 0.0) + (now - entered).total_seconds() / 86400
    return days


@dataclass
class PipelineStage:
    stage: str
    label: str
    count: int
    value: Decimal
    median_days: float | None


def pipeline(*, organisation: Organisation, now: datetime.datetime | None = None) -> dict:
    """Counts, value (the innovate option's net value) and median days in each stage, plus ideas by stage."""
    now = now or timezone.now()
    projects = list(
        Project.objects.for_organisation(organisation)
        .only("pk", "stage", "created_at")
        .prefetch_related(
            Prefetch("transitions", queryset=ProjectTransition.objects.order_by("created_at", "pk")),
            Prefetch(
                "business_case__options",
                queryset=BusinessCaseOption.objects.filter(kind=BusinessCaseOption.Kind.INNOVATE),
                to_attr="innovate",
            ),
        )
    )
    counts: dict[str, int] = {}
    values: dict[str, Decimal] = {}
    durations: dict[str, list[float]] = {}
    rows = []
    for project in projects:
        counts[project.stage] = counts.get(project.stage, 0) + 1
        case = getattr(project, "business_case", None)
        innovate = case.innovate[0] if case is not None and case.innovate else None
        if innovate is not None and innovate.net_value is not None:
            values[project.stage] = values.get(project.stage, Decimal(0)) + innovate.net_value
        days = time_in_stages(
            created_at=project.created_at,
            transitions=list(project.transitions.all()),
            current_stage=project.stage,
            now=now,
        )
        for stage, spent in days.items():
            durations.setdefault(stage, []).append(spent)
        rows.append((project, days))
    stages = [
        PipelineStage(
            stage=value,
            label=label,
            count=counts.get(value, 0),
            value=values.get(value, Decimal(0)),
            median_days=round(statistics.median(durations[value]), 1) if durations.get(value) else None,
        )
        for value, label in ProjectStage.choices
    ]
    idea_counts = dict(
        Idea.objects.for_organisation(organisation).values_list("stage").annotate(n=Count("pk")).order_by()
    )
    return {
        "stages": stages,
        "ideas": [(label, idea_counts.get(value, 0)) for value, label in IdeaStage.choices],
        "live_ideas": sum(idea_counts.get(s, 0) for s in IDEA_LIVE_STAGES),
        "total_projects": len(projects),
    }


@dataclass
class StageTotals:
    stage: str
    label: str
    count: int
    budget: Decimal
    whole_life_cost: Decimal  # the innovate option's one-off cost + running cost × years
    net_value: Decimal  # the innovate option's net value (DESIGN.md, R3)


def portfolio_summary(*, organisation: Organisation) -> list[StageTotals]:
    """Projects by stage with their budgets and the innovate option's cost and net value, for members."""
    projects = (
        Project.objects.for_organisation(organisation)
        .only("pk", "stage", "budget")
        .prefetch_related(
            Prefetch(
                "business_case__options",
                queryset=BusinessCaseOption.objects.filter(kind=BusinessCaseOption.Kind.INNOVATE),
                to_attr="innovate",
            )
        )
    )
    totals = {
        value: StageTotals(value, label, 0, Decimal(0), Decimal(0), Decimal(0)) for value, label in ProjectStage.choices
    }
    for project in projects:
        row = totals[project.stage]
        row.count += 1
        row.budget += project.budget or 0
        case = getattr(project, "business_case", None)
        innovate = case.innovate[0] if case is not None and case.innovate else None
        if innovate is not None and innovate.is_complete:
            row.whole_life_cost += innovate.one_off_cost + innovate.running_cost * innovate.years
            row.net_value += innovate.net_value
    return list(totals.values())

"""What an evaluation reads (R12): when the project started, the indicator's imported values
before and since, and the evaluation beside the business case's forecast."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from innovation import forecasts
from innovation.models import Evaluation, Project, ProjectStage
from portfolio import periods
from portfolio.models import Indicator, Measurement


def project_started_on(project: Project) -> datetime.date | None:
    """The day the project started: its first move into implementation, that is its approval.
    None for a project never approved (nothing it did can have moved the indicator)."""
    moved = project.transitions.filter(to_stage=ProjectStage.IMPLEMENTATION).order_by("created_at", "pk").first()
    return timezone.localdate(moved.created_at) if moved else None


@dataclass(frozen=True)
class IndicatorReadings:
    """The indicator's imported values for the organisation around the project's start."""

    indicator: Indicator | None
    started_on: datetime.date | None
    before: Measurement | None  # the last value of a period that ended before the project started
    after: Measurement | None  # the latest value, of the period the project started in or later


def indicator_readings(*, project: Project) -> IndicatorReadings:
    """Before: the latest imported value for a period before the one the project started in;
    after: the latest value of that period or any later one (portfolio.periods.index_for_date)."""
    indicator, started_on = project.indicator, project_started_on(project)
    if indicator is None or started_on is None:
        return IndicatorReadings(indicator, started_on, None, None)
    start = periods.index_for_date(started_on, indicator.frequency)
    series = Measurement.objects.for_organisation(project.organisation).filter(indicator=indicator)
    before = series.filter(period_index__lt=start).order_by("-period_index").first()
    after = series.filter(period_index__gte=start).order_by("-period_index").first()
    return IndicatorReadings(indicator, started_on, before, after)


@dataclass(frozen=True)
class IndicatorMovement:
    """How the indicator moved, in its unit and by its polarity."""

    indicator: Indicator
    before: Decimal
    after: Decimal
    before_period: str
    after_period: str
    overridden: bool

    @property
    def change(self) -> Decimal:
        return self.after - self.before

    @property
    def figures(self) -> tuple[str, str, str]:
        """Before, after and the size of the change, without trailing zeros: 13.4, 9.8, 3.6."""
        return tuple(f"{value.normalize():f}" for value in (self.before, self.after, self.size))

    @property
    def direction(self) -> str:
        return "up" if self.change > 0 else "down"

    @property
    def size(self) -> Decimal:
        return abs(self.change)

    @property
    def verdict(self) -> str:
        """ "better", "worse" or "no change", by the indicator's polarity."""
        if self.change == 0:
            return "no change"
        return forecasts.BETTER if self.change * self.indicator.polarity > 0 else forecasts.WORSE


def indicator_movement(*, evaluation: Evaluation, indicator: Indicator | None) -> IndicatorMovement | None:
    if indicator is None or evaluation.indicator_before is None or evaluation.indicator_after is None:
        return None
    return IndicatorMovement(
        indicator=indicator,
        before=evaluation.indicator_before,
        after=evaluation.indicator_after,
        before_period=evaluation.indicator_before_period,
        after_period=evaluation.indicator_after_period,
        overridden=bool(evaluation.indicator_override_reason),
    )


def evaluation_report(*, project: Project) -> dict:
    """The project page's evaluation: each figure beside its forecast, and the indicator's movement."""
    evaluation = getattr(project, "evaluation", None)
    if evaluation is None:
        return {"comparisons": [], "movement": None}
    return {
        "comparisons": forecasts.project_compare(project),
        "movement": indicator_movement(evaluation=evaluation, indicator=project.indicator),
    }

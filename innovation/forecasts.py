"""Forecast against actual (R12): the one home of an evaluation's variances.

The forecast is the approved business case's innovate option — the project is the
innovation, and a business case can change only in assessment, so the case a project carries
into evaluation is the one the member approved. The actual is the evaluation. Both net values
come from innovation.models.net_value, so realised net value is worked out exactly as the
forecast was.

- variance = actual − forecast (money, or years);
- variance % = 100 × variance / |forecast|, to one decimal; blank where the forecast is 0;
- better or worse: for costs a lower actual is better, for the yearly benefit and the net value
  a higher one; the horizon is not judged on its own (the net value weighs it).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, gettext_noop

from innovation.models import BusinessCaseOption, Evaluation, Project

BETTER, WORSE, AS_FORECAST = "better", "worse", "as forecast"
# Every "against forecast" column has these values: the API schema names the set once (ForecastVerdictEnum).
VERDICTS = [BETTER, WORSE, AS_FORECAST]

# (name, label, direction, column stem): direction +1 where more is better, −1 where less is,
# 0 where not judged; the stem names the export's and the API's columns, as innovate_<stem> does.
FIGURES = (
    ("one_off_cost", gettext_noop("One-off cost"), -1, "one_off_cost"),
    ("running_cost", gettext_noop("Yearly running cost"), -1, "yearly_running_cost"),
    ("benefit", gettext_noop("Yearly benefit"), +1, "yearly_benefit"),
    ("years", gettext_noop("Horizon in years"), 0, "years"),
    ("net_value", gettext_noop("Net value"), +1, "net_value"),
)


@dataclass(frozen=True)
class Comparison:
    """One figure of the evaluation beside its forecast."""

    name: str
    label: str
    direction: int
    stem: str
    forecast: Decimal | None
    actual: Decimal | None

    @property
    def is_money(self) -> bool:
        return self.name != "years"

    @property
    def variance(self) -> Decimal | None:
        if self.forecast is None or self.actual is None:
            return None
        return Decimal(self.actual) - Decimal(self.forecast)

    @property
    def variance_pct(self) -> Decimal | None:
        if self.variance is None or self.forecast == 0:
            return None
        return (100 * self.variance / abs(Decimal(self.forecast))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def verdict(self) -> str | None:
        """ "better", "worse" or "as forecast" than the business case; None where not judged."""
        if self.variance is None or self.direction == 0:
            return None
        if self.variance == 0:
            return AS_FORECAST
        return BETTER if self.variance * self.direction > 0 else WORSE


def compare(*, forecast: BusinessCaseOption | None, evaluation: Evaluation | None) -> list[Comparison]:
    """Each figure (one-off cost, yearly running cost, yearly benefit, years, net value): forecast and actual."""
    actuals = {}
    if evaluation is not None:
        actuals = {
            "one_off_cost": evaluation.actual_one_off_cost,
            "running_cost": evaluation.actual_running_cost,
            "benefit": evaluation.actual_benefit,
            "years": evaluation.actual_years,
            "net_value": evaluation.realised_net_value,
        }
    return [
        Comparison(
            name=name,
            label=gettext(label),
            direction=direction,
            stem=stem,
            forecast=None if forecast is None else _decimal(getattr(forecast, name)),
            actual=_decimal(actuals.get(name)),
        )
        for name, label, direction, stem in FIGURES
    ]


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def innovate_option(project: Project) -> BusinessCaseOption | None:
    """The forecast: the innovate option, from Project.objects.with_forecast_and_actual() when
    prefetched as `innovate`, or read here."""
    case = getattr(project, "business_case", None)
    if case is None:
        return None
    if hasattr(case, "innovate"):
        return case.innovate[0] if case.innovate else None
    return case.options.filter(kind=BusinessCaseOption.Kind.INNOVATE).first()


def project_compare(project: Project) -> list[Comparison]:
    """The project's evaluation beside its business case (all blank actuals before evaluation)."""
    return compare(forecast=innovate_option(project), evaluation=getattr(project, "evaluation", None))


# The portfolio export's and the API's columns: per figure, the actual (realised_net_value for
# the net value), the variance, the variance % and whether it was better or worse than forecast
# (not for the horizon, which is not judged). The forecast is in the innovate_* columns.
def column_names(stem: str, direction: int) -> tuple[str, ...]:
    actual = "realised_net_value" if stem == "net_value" else f"actual_{stem}"
    judged = (f"{stem}_against_forecast",) if direction else ()
    return (actual, f"{stem}_variance", f"{stem}_variance_pct", *judged)


COLUMNS = [column for _, _, direction, stem in FIGURES for column in column_names(stem, direction)]


def columns(comparisons: list[Comparison]) -> dict[str, object]:
    """The comparisons as COLUMNS: one row shape for the export and the API."""
    row: dict[str, object] = {}
    for c in comparisons:
        values = (c.actual, c.variance, c.variance_pct, c.verdict)
        row.update(zip(column_names(c.stem, c.direction), values, strict=False))
    return row

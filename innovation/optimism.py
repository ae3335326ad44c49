"""Optimism bias, worked out once (HM Treasury, Supplementary Green Book Guidance: Optimism Bias).

The guidance gives, per project type, an upper and a lower bound for each uplift: works duration
and capital expenditure, or for outsourcing operating expenditure. A project starts at the upper
bound and comes down as it mitigates the contributory factors behind the bias:

    adjusted uplift = upper − (upper − lower) × Σ(weight of factor × share of it mitigated)

never below the lower bound. Weights are each factor's share of the whole bias for the project
type (innovation/data/optimism_bias_factors.csv, summing to 100 per type); shares are what the
project has recorded (OptimismBiasMitigation, 0–100).

The uplift raises the costs the guidance says it applies to — the one-off cost for capital
types, the yearly running cost for outsourcing — and the time to deliver; the adjusted net value
is the business case's one formula (models.net_value) applied to the raised costs. The duration
uplift is shown beside the months to deliver and does not enter the net value: the horizon in
years is the period of benefit the case is appraised over, not the works.

Every page, export and API field reads the figures through `appraise`.
"""

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from innovation.models import BusinessCaseOption, Factor, OptimismBiasOverride, ProjectType, net_value

DATA = Path(__file__).resolve().parent / "data"
HUNDRED = Decimal(100)
PENNY = Decimal("0.01")
BOUNDS = (
    "works_duration_upper",
    "works_duration_lower",
    "capital_expenditure_upper",
    "capital_expenditure_lower",
    "operating_expenditure_upper",
    "operating_expenditure_lower",
)


@dataclass(frozen=True)
class Bounds:
    """One project type's uplift bounds in per cent; None where the guidance gives none (n/a)."""

    project_type: str
    works_duration_upper: Decimal | None
    works_duration_lower: Decimal | None
    capital_expenditure_upper: Decimal | None
    capital_expenditure_lower: Decimal | None
    operating_expenditure_upper: Decimal | None
    operating_expenditure_lower: Decimal | None
    override: OptimismBiasOverride | None = None

    @property
    def label(self) -> str:
        return ProjectType(self.project_type).label

    @property
    def is_outsourcing(self) -> bool:
        return self.project_type == ProjectType.OUTSOURCING

    @property
    def cost_upper(self) -> Decimal | None:
        """The bound of the cost the uplift raises: operating for outsourcing, capital otherwise."""
        return self.operating_expenditure_upper if self.is_outsourcing else self.capital_expenditure_upper

    @property
    def cost_lower(self) -> Decimal | None:
        return self.operating_expenditure_lower if self.is_outsourcing else self.capital_expenditure_lower


def _percent(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


@cache
def guidance_bounds() -> dict[str, Bounds]:
    """The guidance's Table 1, from innovation/data/optimism_bias.csv."""
    with open(DATA / "optimism_bias.csv", newline="", encoding="utf-8") as file:
        return {
            row["project_type"]: Bounds(row["project_type"], *(_percent(row[name]) for name in BOUNDS))
            for row in csv.DictReader(file)
        }


@cache
def factor_weights() -> dict[str, dict[str, Decimal]]:
    """Per project type, each contributory factor's share (per cent) of the whole bias."""
    with open(DATA / "optimism_bias_factors.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return {kind: {row["factor"]: Decimal(row[kind]) for row in rows} for kind in ProjectType.values}


def bounds_table(overrides: list[OptimismBiasOverride]) -> dict[str, Bounds]:
    """The bounds an organisation uses: the guidance's, except where it has set its own."""
    table = dict(guidance_bounds())
    for override in overrides:
        table[override.project_type] = Bounds(
            override.project_type, *(getattr(override, name) for name in BOUNDS), override=override
        )
    return table


def adjusted_uplift(*, upper: Decimal | None, lower: Decimal | None, mitigated: Decimal) -> Decimal | None:
    """upper − (upper − lower) × mitigated, never below lower; `mitigated` is a fraction 0–1."""
    if upper is None:
        return None
    lower = upper if lower is None else lower
    return max(lower, upper - (upper - lower) * mitigated)


@dataclass(frozen=True)
class Reduction:
    """How much one mitigated factor took off an option's uplifts, in percentage points."""

    factor: str
    weight: Decimal
    share_mitigated: int
    cost_points: Decimal | None
    duration_points: Decimal | None

    @property
    def factor_label(self) -> str:
        return Factor(self.factor).label


@dataclass
class OptionAppraisal:
    """One option's figures as written and after the optimism bias uplift."""

    option: BusinessCaseOption
    bounds: Bounds | None
    cost_uplift: Decimal | None = None  # per cent, on the one-off cost or (outsourcing) the running cost
    duration_uplift: Decimal | None = None
    adjusted_one_off_cost: Decimal | None = None
    adjusted_running_cost: Decimal | None = None
    adjusted_delivery_months: Decimal | None = None
    adjusted_net_value: Decimal | None = None
    reductions: list[Reduction] = field(default_factory=list)
    rank: int | None = None  # 1 is the best net value as written
    adjusted_rank: int | None = None  # 1 is the best net value after the uplift

    @property
    def kind(self) -> str:
        return self.option.kind

    @property
    def net_value(self) -> Decimal | None:
        return self.option.net_value

    @property
    def cost_uplift_on(self) -> str:
        if self.bounds is None:
            return ""
        return "yearly running cost" if self.bounds.is_outsourcing else "one-off cost"

    @property
    def cost_upper(self) -> Decimal | None:
        return self.bounds.cost_upper if self.bounds else None

    @property
    def duration_upper(self) -> Decimal | None:
        return self.bounds.works_duration_upper if self.bounds else None


def _raise(amount: Decimal | None, uplift: Decimal | None) -> Decimal | None:
    if amount is None or uplift is None:
        return amount
    return (amount * (1 + uplift / HUNDRED)).quantize(PENNY)


def appraise_option(
    option: BusinessCaseOption, *, mitigations: dict[str, int], table: dict[str, Bounds]
) -> OptionAppraisal:
    """One option's uplifts and adjusted figures, given the case's mitigations {factor: share %}."""
    bounds = table.get(option.project_type) if option.project_type else None
    result = OptionAppraisal(option=option, bounds=bounds)
    if bounds is None:
        # No project type: nothing to uplift, the figures stand as written.
        result.adjusted_one_off_cost = option.one_off_cost
        result.adjusted_running_cost = option.running_cost
        result.adjusted_net_value = option.net_value
        result.adjusted_delivery_months = option.delivery_months
        return result
    weights = factor_weights()[option.project_type]
    mitigated = Decimal(0)
    for factor, share in sorted(mitigations.items(), key=lambda item: Factor.values.index(item[0])):
        weight = weights.get(factor, Decimal(0))
        fraction = weight * share / (HUNDRED * HUNDRED)
        if not fraction:
            continue
        mitigated += fraction
        result.reductions.append(
            Reduction(
                factor=factor,
                weight=weight,
                share_mitigated=share,
                cost_points=None if bounds.cost_upper is None else (bounds.cost_upper - bounds.cost_lower) * fraction,
                duration_points=None
                if bounds.works_duration_upper is None
                else (bounds.works_duration_upper - bounds.works_duration_lower) * fraction,
            )
        )
    result.cost_uplift = adjusted_uplift(upper=bounds.cost_upper, lower=bounds.cost_lower, mitigated=mitigated)
    result.duration_uplift = adjusted_uplift(
        upper=bounds.works_duration_upper, lower=bounds.works_duration_lower, mitigated=mitigated
    )
    if bounds.is_outsourcing:
        result.adjusted_one_off_cost = option.one_off_cost
        result.adjusted_running_cost = _raise(option.running_cost, result.cost_uplift)
    else:
        result.adjusted_one_off_cost = _raise(option.one_off_cost, result.cost_uplift)
        result.adjusted_running_cost = option.running_cost
    if option.delivery_months is not None and result.duration_uplift is not None:
        result.adjusted_delivery_months = (option.delivery_months * (1 + result.duration_uplift / HUNDRED)).quantize(
            Decimal("0.1")
        )
    else:
        result.adjusted_delivery_months = option.delivery_months
    if option.is_complete:
        result.adjusted_net_value = net_value(
            one_off_cost=result.adjusted_one_off_cost,
            running_cost=result.adjusted_running_cost,
            benefit=option.benefit,
            years=option.years,
        )
    return result


def _rank(appraisals: list[OptionAppraisal], value: str, into: str) -> None:
    """1 for the highest net value; options without one are not ranked. Ties share a rank."""
    values = sorted({getattr(a, value) for a in appraisals if getattr(a, value) is not None}, reverse=True)
    for appraisal in appraisals:
        figure = getattr(appraisal, value)
        setattr(appraisal, into, None if figure is None else values.index(figure) + 1)


def appraise(
    options: list[BusinessCaseOption], *, mitigations: dict[str, int], overrides: list[OptimismBiasOverride]
) -> list[OptionAppraisal]:
    """Every option of a business case, adjusted and ranked both as written and as adjusted."""
    table = bounds_table(overrides)
    appraisals = [appraise_option(option, mitigations=mitigations, table=table) for option in options]
    _rank(appraisals, "net_value", "rank")
    _rank(appraisals, "adjusted_net_value", "adjusted_rank")
    return appraisals


def innovate_appraisal(project) -> OptionAppraisal | None:
    """The innovate option of a project read through ProjectQuerySet.with_forecast_and_actual
    (its mitigations and its organisation's own figures prefetched), after the uplift: the
    portfolio export's and the API's adjusted columns."""
    case = getattr(project, "business_case", None)
    innovate = case.innovate[0] if case is not None and case.innovate else None
    if innovate is None:
        return None
    return appraise_option(
        innovate,
        mitigations={m.factor: m.share_mitigated for m in case.optimism_mitigations.all()},
        table=bounds_table(list(project.organisation.optimism_bias_overrides.all())),
    )

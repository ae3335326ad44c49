"""The committee pack's contents as plain values: what reports/committee_pack.py gathers from
every app and reports.pack_pdf draws. Nothing here reads the database or knows reportlab."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass
class Cover:
    organisation: str
    committee: str
    meeting_date: datetime.date
    report_of: str
    report_date: datetime.date
    title: str = _("Innovation portfolio: report to members")


@dataclass
class StageLine:
    label: str
    count: int
    budget: Decimal
    whole_life_cost: Decimal
    net_value: Decimal


@dataclass
class OptionLine:
    label: str
    one_off_cost: Decimal | None
    running_cost: Decimal | None
    benefit: Decimal | None
    years: int | None
    net_value: Decimal | None
    recommended: bool


@dataclass
class RiskLine:
    title: str
    category: str
    likelihood: int | None
    impact: int | None
    score: int | None
    band: str | None
    owner: str


@dataclass
class AwaitingProject:
    reference: int
    title: str
    owner: str
    sponsor: str
    waiting_since: datetime.date
    case_summary: str
    options: list[OptionLine]
    risk_assessed: bool
    open_risks: int = 0
    highest_residual: int | None = None
    highest_band: str | None = None
    exceeds_appetite: bool = False
    appetite: int | None = None
    risk_summary: str = ""
    top_risks: list[RiskLine] = field(default_factory=list)


@dataclass
class GapLine:
    indicator: str
    code: str
    period: str
    actual: Decimal
    aspiration: Decimal | None
    gap_pct: Decimal | None
    quartile: int | None  # None when too few organisations are compared
    position_note: str  # why there is no quartile, or that peers' latest figures were used
    trend: str
    incremental_unlikely: bool


@dataclass
class HeatGrid:
    label: str  # "after controls (residual)"
    rows: list[tuple[int, str, list[tuple[int, str]]]]  # impact, its name, (count, band) for likelihood 1..5
    total: int
    # The squares holding risks, highest score first, in words: the grid's meaning without its colours.
    described: list[str] = field(default_factory=list)


@dataclass
class LessonLine:
    title: str
    host: str
    outcome: str
    service: str
    published: datetime.date | None
    summary: str


@dataclass
class DecisionLine:
    """A record of decision taken since the last meeting (innovation.queries.decision_record)."""

    reference: str
    decided_on: datetime.date
    project: str
    outcome: str
    body: str
    reasons: str
    options_rejected: list[str]  # "Option: why rejected"
    interests: list[str]  # "Name: interest; dispensation …"


@dataclass
class Pack:
    cover: Cover
    stages: list[StageLine]
    awaiting: list[AwaitingProject]
    gaps: list[GapLine]
    gap_report_date: datetime.date | None
    comparison_group: str  # the group the gaps' quartiles are relative to (the organisation's default)
    heat_maps: list[HeatGrid]
    lessons: list[LessonLine]
    likelihood_names: dict[int, str]
    band_ranges: list[tuple[str, int, int]]
    # The records of decision since the last meeting: since the previous pack's meeting date, or
    # over DECISIONS_SINCE_DAYS before this meeting if there was no previous pack.
    decisions: list[DecisionLine] = field(default_factory=list)
    decisions_since: datetime.date | None = None

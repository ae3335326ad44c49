"""The gap report's numbers against values worked out by hand from DESIGN.md's formulas."""

from decimal import Decimal

import pytest

from portfolio import gaps
from portfolio.models import GapReport, GapReportAreaRow, GapReportRow
from tests.factories import OrganisationFactory
from tests.portfolio.conftest import measure


@pytest.fixture
def sector(personas, indicators):
    a = personas.council
    b, c, d, e = (OrganisationFactory() for _ in range(4))
    rec, res, relet, homes = (indicators[k] for k in ("recycling", "residual", "relet", "homes"))
    # Recycling (higher is better). A: three of the last four quarters (2024-Q4 missing) and an
    # older value outside the window that must not count.
    measure(a, rec, "2024-Q2", 10)
    measure(a, rec, "2024-Q3", 70)
    measure(a, rec, "2025-Q1", 71)
    measure(a, rec, "2025-Q2", 72, aspiration=80)
    measure(b, rec, "2025-Q1", 70)
    measure(b, rec, "2025-Q2", 80, aspiration=100)
    measure(c, rec, "2025-Q2", 72, aspiration=0)  # ties with A; zero aspiration
    measure(d, rec, "2025-Q2", 60)  # no aspiration
    measure(e, rec, "2025-Q1", 90)  # latest is an earlier quarter than everyone else's
    # Residual waste (lower is better), a second waste indicator for the service mean.
    measure(a, res, "2025-Q2", 95, aspiration=100)
    # Re-let days (lower is better).
    measure(a, relet, "2025-Q1", 34)
    measure(a, relet, "2025-Q2", 30, aspiration=25)
    measure(b, relet, "2025-Q2", 20, aspiration=25)
    measure(c, relet, "2025-Q1", 20)
    measure(c, relet, "2025-Q2", 26, aspiration=24)
    # Net additional homes (annual): A is the only organisation reporting it.
    measure(a, homes, "2024/25", 5, aspiration=10)
    gaps.gap_reports_build()
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def row(organisation, indicator):
    report = GapReport.objects.get(organisation=organisation, is_current=True)
    return GapReportRow.objects.get(report=report, indicator=indicator)


def test_gap_is_the_shortfall_against_aspiration_as_a_share_of_it(sector, indicators):
    assert row(sector["a"], indicators["recycling"]).gap_pct == Decimal("10.0")  # 100 × (80 − 72) / 80
    assert row(sector["b"], indicators["recycling"]).gap_pct == Decimal("20.0")  # 100 × (100 − 80) / 100


def test_gap_of_a_lower_is_better_indicator_counts_a_higher_value_as_a_shortfall(sector, indicators):
    assert row(sector["a"], indicators["relet"]).gap_pct == Decimal("20.0")  # 100 × −1 × (25 − 30) / 25
    assert row(sector["b"], indicators["relet"]).gap_pct == Decimal("-20.0")  # ahead of aspiration
    assert row(sector["c"], indicators["relet"]).gap_pct == Decimal("8.3")  # 100 × −1 × (24 − 26) / 24 = 8.33


def test_gap_is_blank_with_zero_or_no_aspiration(sector, indicators):
    assert row(sector["c"], indicators["recycling"]).gap_pct is None
    assert row(sector["d"], indicators["recycling"]).gap_pct is None


def test_percentile_is_the_share_doing_no_better_and_ties_share_it(sector, indicators):
    # 2025-Q2 recycling: D 60, A 72, C 72, B 80. E reported only 2025-Q1 and is not counted.
    assert row(sector["d"], indicators["recycling"]).percentile == Decimal("25.0")
    assert row(sector["a"], indicators["recycling"]).percentile == Decimal("75.0")
    assert row(sector["c"], indicators["recycling"]).percentile == Decimal("75.0")
    assert row(sector["b"], indicators["recycling"]).percentile == Decimal("100.0")


def test_quartile_bands_use_strictly_above(sector, indicators):
    assert row(sector["b"], indicators["recycling"]).quartile == 1
    assert row(sector["a"], indicators["recycling"]).quartile == 2  # 75.0 is not above 75
    assert row(sector["d"], indicators["recycling"]).quartile == 4  # 25.0 is not above 25


def test_percentile_of_a_lower_is_better_indicator_ranks_the_lowest_best(sector, indicators):
    # 2025-Q2 re-let days: B 20 (best), C 26, A 30 (worst).
    assert row(sector["b"], indicators["relet"]).percentile == Decimal("100.0")
    assert row(sector["c"], indicators["relet"]).percentile == Decimal("66.7")
    assert row(sector["a"], indicators["relet"]).percentile == Decimal("33.3")
    assert row(sector["a"], indicators["relet"]).quartile == 3


def test_an_organisation_is_ranked_among_those_reporting_its_own_latest_period(sector, indicators):
    # E's latest is 2025-Q1: E 90, A 71, B 70 reported then.
    e_row = row(sector["e"], indicators["recycling"])
    assert (e_row.period, e_row.percentile, e_row.quartile) == ("2025-Q1", Decimal("100.0"), 1)


def test_a_lone_reporter_is_at_the_hundredth_percentile(sector, indicators):
    homes = row(sector["a"], indicators["homes"])
    assert (homes.period, homes.percentile, homes.quartile) == ("2024/25", Decimal("100.0"), 1)


def test_trend_uses_the_last_four_periods_that_have_values(sector, indicators):
    # x = −3, −1, 0 and y = 70, 71, 72: slope 9/14 = 0.64 a quarter, 0.8% of 80: stable.
    assert row(sector["a"], indicators["recycling"]).trend == "stable"


def test_trend_improving_and_worsening_follow_polarity(sector, indicators):
    assert row(sector["b"], indicators["recycling"]).trend == "improving"  # +10 a quarter = 10% of 100
    assert row(sector["a"], indicators["relet"]).trend == "improving"  # 34 → 30 days: +4/25 = 16%
    assert row(sector["c"], indicators["relet"]).trend == "worsening"  # 20 → 26 days: −6/24 = −25%


def test_trend_is_blank_with_one_value_or_no_usable_aspiration(sector, indicators):
    assert row(sector["a"], indicators["homes"]).trend == ""
    assert row(sector["c"], indicators["recycling"]).trend == ""  # aspiration 0
    assert row(sector["d"], indicators["recycling"]).trend == ""


def test_incremental_improvement_is_unlikely_with_a_big_gap_not_improving(sector, indicators):
    assert row(sector["a"], indicators["recycling"]).incremental_unlikely is True  # 10.0, stable
    assert row(sector["a"], indicators["homes"]).incremental_unlikely is True  # 50.0, no trend
    assert row(sector["b"], indicators["recycling"]).incremental_unlikely is False  # 20.0 but improving
    assert row(sector["a"], indicators["relet"]).incremental_unlikely is False  # 20.0 but improving
    assert row(sector["c"], indicators["relet"]).incremental_unlikely is False  # 8.3, below 10
    assert row(sector["c"], indicators["recycling"]).incremental_unlikely is False  # no gap


def test_a_service_areas_gap_is_the_mean_of_its_indicators_gaps(sector):
    report = GapReport.objects.get(organisation=sector["a"], is_current=True)
    areas = {r.service: r for r in GapReportAreaRow.objects.filter(report=report)}
    # Residual waste is lower-is-better: 95 kg against 100 is 5.0% ahead, a gap of −5.0.
    assert areas["waste"].gap_pct == Decimal("2.5")  # (10.0 + −5.0) / 2
    assert (areas["waste"].indicator_count, areas["waste"].flagged_count) == (2, 1)
    assert areas["housing"].gap_pct == Decimal("20.0")
    assert areas["planning"].gap_pct == Decimal("50.0")


def test_rerunning_replaces_the_report_and_keeps_exactly_one_current(sector, indicators):
    first = GapReport.objects.get(organisation=sector["a"], is_current=True)
    gaps.gap_reports_build(organisation_ids=[sector["a"].pk])
    gaps.gap_reports_build(organisation_ids=[sector["a"].pk])
    current = GapReport.objects.filter(organisation=sector["a"], is_current=True)
    assert current.count() == 1 and current.get().pk != first.pk
    assert not GapReport.objects.filter(pk=first.pk).exists()
    assert current.get().rows.count() == 4
    assert row(sector["a"], indicators["recycling"]).gap_pct == Decimal("10.0")


def test_a_run_that_fails_leaves_the_previous_report_current(sector, monkeypatch):
    before = GapReport.objects.get(organisation=sector["a"], is_current=True)
    monkeypatch.setattr(gaps, "_label_periods", lambda ids: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        gaps.gap_reports_build(organisation_ids=[sector["a"].pk])
    assert GapReport.objects.get(organisation=sector["a"], is_current=True).pk == before.pk
    assert GapReport.objects.filter(organisation=sector["a"]).count() == 1


def test_the_report_records_its_latest_quarter(sector):
    assert GapReport.objects.get(organisation=sector["a"], is_current=True).period == "2025-Q2"

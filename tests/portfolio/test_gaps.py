"""The gap report's numbers against values worked out by hand from DESIGN.md's formulas."""

from decimal import Decimal

import pytest

from portfolio import gaps
from portfolio.models import GapReport, GapReportAreaRow, GapReportRow, Measurement
from tests.factories import OrganisationFactory
from tests.portfolio.conftest import measure


@pytest.fixture
def sector(personas, indicators):
    a = personas.council
    b, c, d, e, f, g, h = (OrganisationFactory() for _ in range(7))
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
    measure(f, rec, "2025-Q2", 65)
    measure(g, rec, "2025-Q2", 50)
    measure(h, rec, "2024-Q1", 99)  # five quarters before 2025-Q2: too old to compare with then
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
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h}


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


def test_percentile_is_the_share_of_the_seven_compared_doing_no_better_and_ties_share_it(sector, indicators):
    # 2025-Q2 recycling, ascending: G 50, D 60, F 65, A 72, C 72, B 80, and E 90 from 2025-Q1 (E has
    # not reported 2025-Q2; its latest figure is one quarter earlier). H's 2024-Q1 is five back: out.
    expected = {"g": "14.3", "d": "28.6", "f": "42.9", "a": "71.4", "c": "71.4", "b": "85.7"}  # 1/7 … 6/7
    for name, percentile in expected.items():
        assert row(sector[name], indicators["recycling"]).percentile == Decimal(percentile), name
    assert row(sector["a"], indicators["recycling"]).peers_compared == 6


def test_quartile_is_1_above_75_2_above_50_3_above_25_else_4(sector, indicators):
    quartiles = {name: row(sector[name], indicators["recycling"]).quartile for name in "gdfacb"}
    assert quartiles == {"g": 4, "d": 3, "f": 3, "a": 2, "c": 2, "b": 1}


def test_quartile_bands_use_strictly_above(sector, indicators):
    # I reported 2024-Q2, four quarters before 2025-Q2: still compared, at 55. Eight now:
    # G 50, I 55, D 60, F 65, A 72, C 72, B 80, E 90.
    measure(OrganisationFactory(), indicators["recycling"], "2024-Q2", 55)
    gaps.gap_reports_build()
    a, f = row(sector["a"], indicators["recycling"]), row(sector["f"], indicators["recycling"])
    assert (a.percentile, a.quartile, a.peers_compared) == (Decimal("75.0"), 2, 7)  # 6/8: 75.0 is not above 75
    assert (f.percentile, f.quartile) == (Decimal("50.0"), 3)  # 4/8: 50.0 is not above 50


def test_a_peers_latest_figure_counts_up_to_four_periods_back_and_says_so(sector, indicators):
    a = row(sector["a"], indicators["recycling"])
    assert a.compared_with_latest is True  # E is there with its 2025-Q1 figure
    assert a.position_note == "Compared with the latest figure each council has reported"


def test_percentile_of_a_lower_is_better_indicator_ranks_the_lowest_best(sector, indicators):
    # 2025-Q2 re-let days: B 20 (best), F 22, C 26, I 28, A 30, G 35 (worst): A has exactly five others.
    relet = indicators["relet"]
    measure(sector["f"], relet, "2025-Q2", 22)
    measure(sector["g"], relet, "2025-Q2", 35)
    measure(OrganisationFactory(), relet, "2025-Q2", 28)
    gaps.gap_reports_build()
    assert row(sector["b"], relet).percentile == Decimal("100.0")
    assert row(sector["f"], relet).percentile == Decimal("83.3")
    assert row(sector["c"], relet).percentile == Decimal("66.7")
    a = row(sector["a"], relet)
    assert (a.percentile, a.quartile, a.peers_compared, a.compared_with_latest) == (Decimal("33.3"), 3, 5, False)
    assert a.position_note == ""


def test_with_fewer_than_five_others_there_is_no_position(sector, indicators):
    # 2025-Q2 re-let days: only B and C beside A.
    a = row(sector["a"], indicators["relet"])
    assert (a.percentile, a.quartile, a.peers_compared) == (None, None, 2)
    assert a.position_note == "Too few organisations have reported this period"


def test_an_organisation_is_compared_at_its_own_latest_period(sector, indicators):
    # E's latest is 2025-Q1: A 71, B 70, E 90 then, and H's 2024-Q1 (four back): three others.
    e_row = row(sector["e"], indicators["recycling"])
    assert (e_row.period, e_row.peers_compared, e_row.percentile, e_row.quartile) == ("2025-Q1", 3, None, None)


def test_a_lone_reporter_has_no_position_but_keeps_its_r2_flag(sector, indicators):
    homes = row(sector["a"], indicators["homes"])
    assert (homes.period, homes.percentile, homes.quartile, homes.peers_compared) == ("2024/25", None, None, 0)
    assert homes.incremental_unlikely is True  # 50% short, no trend: R2 needs only A's own figures


def test_importing_a_quarter_before_anyone_else_compares_with_their_latest_figures(sector, indicators):
    # The case: A imports 2025-Q3 first. Alone in 2025-Q3 it used to be "1 (best)", 100.0.
    # Now: B 80, C 72, D 60, F 65, G 50 from 2025-Q2 and E 90 from 2025-Q1; H (2024-Q1) is six back.
    # Ascending: G 50, D 60, F 65, C 72, A 74, B 80, E 90: A is 5/7.
    measure(sector["a"], indicators["recycling"], "2025-Q3", 74)
    gaps.gap_reports_build()
    a = row(sector["a"], indicators["recycling"])
    assert (a.period, a.percentile, a.quartile) == ("2025-Q3", Decimal("71.4"), 2)
    assert (a.peers_compared, a.compared_with_latest) == (6, True)


def test_importing_a_quarter_nobody_else_has_figures_near_gives_no_position(sector, indicators):
    # Residual waste: A is the only organisation ever to report it.
    measure(sector["a"], indicators["residual"], "2025-Q3", 90)
    gaps.gap_reports_build()
    a = row(sector["a"], indicators["residual"])
    assert (a.period, a.percentile, a.quartile, a.peers_compared) == ("2025-Q3", None, None, 0)
    assert a.position_note == "Too few organisations have reported this period"


def test_a_peer_five_periods_back_is_left_out(sector, indicators):
    # H's only figure is 2024-Q1. For 2025-Q1 it is four back (compared); for 2025-Q2 five (not).
    assert row(sector["e"], indicators["recycling"]).peers_compared == 3  # A, B and H
    assert row(sector["a"], indicators["recycling"]).peers_compared == 6  # B, C, D, E, F, G: no H


def test_a_peer_that_reported_the_period_is_compared_at_that_figure_not_a_later_one(sector, indicators):
    # B reports 2025-Q3 at 10: A's 2025-Q2 position still uses B's 2025-Q2 figure, 80.
    measure(sector["b"], indicators["recycling"], "2025-Q3", 10)
    gaps.gap_reports_build()
    a = row(sector["a"], indicators["recycling"])
    assert (a.period, a.percentile) == ("2025-Q2", Decimal("71.4"))


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


def test_every_report_of_a_big_sector_is_labelled_with_its_period(personas, indicators):
    """Reports are labelled 500 at a time: the 501st and the 1,000th are labelled like the first."""
    from django.utils import timezone

    now = timezone.now()
    reports = GapReport.objects.bulk_create(
        GapReport(organisation=personas.council, computed_at=now) for _ in range(1000)
    )
    GapReportRow.objects.bulk_create(
        GapReportRow(
            report=report,
            organisation=personas.council,
            indicator=indicators["recycling"],
            period="2025-Q2",
            period_index=8101,
            actual=Decimal("70"),
        )
        for report in reports
    )
    gaps._label_periods([report.pk for report in reports])
    assert set(GapReport.objects.filter(pk__in=[r.pk for r in reports]).values_list("period", flat=True)) == {"2025-Q2"}


def _index(period: str) -> int:
    from portfolio import periods

    return periods.parse(period).index


def test_the_indicator_pages_sector_median_uses_the_same_comparison_as_the_position(sector, indicators):
    points = gaps.sector_points(
        organisation_id=sector["a"].pk,
        indicator_id=indicators["recycling"].pk,
        period_indexes=[_index("2025-Q2"), _index("2025-Q1")],
    )
    # 2025-Q2: B to G beside A (E at its 2025-Q1 figure; H's is five quarters old): 50 60 65 72 72 80 90.
    assert points[_index("2025-Q2")] == gaps.SectorPoint(median=Decimal("72"), peers=6, compared_with_latest=True)
    # 2025-Q1: only B, E and H (four quarters back) beside A: too few for a median.
    assert points[_index("2025-Q1")] == gaps.SectorPoint(median=None, peers=3, compared_with_latest=True)
    assert (
        gaps.sector_points(organisation_id=sector["a"].pk, indicator_id=indicators["recycling"].pk, period_indexes=[])
        == {}
    )


def test_the_sector_median_needs_five_others_and_says_when_all_reported_the_period(personas, indicators):
    rec = indicators["recycling"]
    reader = personas.council
    others = [OrganisationFactory() for _ in range(5)]
    for organisation, value in zip([reader, *others], [10, 20, 30, 40, 50, 61], strict=True):
        measure(organisation, rec, "2025-Q2", value)
    point = gaps.sector_points(organisation_id=reader.pk, indicator_id=rec.pk, period_indexes=[_index("2025-Q2")])
    # Exactly five others, all with this quarter's figure: the median of all six.
    assert point[_index("2025-Q2")] == gaps.SectorPoint(median=Decimal("35"), peers=5, compared_with_latest=False)
    assert isinstance(point[_index("2025-Q2")].median, Decimal)
    # A quarter nobody has reported: no median, nobody compared, and no earlier figures used.
    empty = gaps.sector_points(organisation_id=reader.pk, indicator_id=rec.pk, period_indexes=[_index("2020-Q1")])
    assert empty[_index("2020-Q1")] == gaps.SectorPoint(median=None, peers=0, compared_with_latest=False)
    assert empty[_index("2020-Q1")].compared_with_latest is False
    # With four others there is none.
    Measurement.objects.filter(organisation=others[-1]).delete()
    point = gaps.sector_points(organisation_id=reader.pk, indicator_id=rec.pk, period_indexes=[_index("2025-Q2")])
    assert point[_index("2025-Q2")] == gaps.SectorPoint(median=None, peers=4, compared_with_latest=False)


@pytest.mark.parametrize(
    ("percentile", "quartile", "latest", "cell"),
    [
        (None, None, False, '<span class="govuk-body-s">Too few organisations have reported this period</span>'),
        ("87.5", 1, False, '1 (best)<span class="govuk-visually-hidden">, percentile 87.5</span>'),
        ("62.5", 2, False, '2<span class="govuk-visually-hidden">, percentile 62.5</span>'),
        (
            "12.5",
            4,
            True,
            '4 (worst)<span class="govuk-visually-hidden">, percentile 12.5</span>'
            '<span class="govuk-body-s govuk-!-display-block">Compared with the latest figure each council has '
            "reported</span>",
        ),
    ],
)
def test_the_position_cell_gives_the_quartile_or_why_there_is_none(percentile, quartile, latest, cell):
    from portfolio.templatetags.portfolio_tags import _position

    row = GapReportRow(
        percentile=None if percentile is None else Decimal(percentile), quartile=quartile, compared_with_latest=latest
    )
    assert _position(row) == cell

"""Comparison groups and nearest neighbours, against a hand-worked example (DESIGN.md and the
README's "Comparison groups"): six organisations with two contextual measures, four more without
them, and one performance indicator everyone reports.

The contextual measures (z = (x − mean) / sd, sd the population standard deviation over the six):

    population (thousands)  A 70   B 90   C 90   D 100   E 120   F 130
        mean 600 / 6 = 100; deviations −30 −10 −10 0 20 30; squares 900 100 100 0 400 900 = 2400;
        variance 2400 / 6 = 400; sd 20; z  A −1.5  B −0.5  C −0.5  D 0  E 1  F 1.5
    deprivation score       A 20   B 26   C 14   D 18    E 24    F 18
        mean 120 / 6 = 20; deviations 0 6 −6 −2 4 −2; squares 0 36 36 4 16 4 = 96;
        variance 96 / 6 = 16; sd 4; z      A 0     B 1.5   C −1.5  D −0.5  E 1  F −0.5

Distances from A (−1.5, 0), squared then rooted:
    D (0, −0.5):    1.5² + 0.5² = 2.25 + 0.25 = 2.5   → 1.5811
    B (−0.5, 1.5):  1² + 1.5²   = 1 + 2.25    = 3.25  → 1.8028
    C (−0.5, −1.5): 1² + 1.5²   = 3.25 (a tie with B)  → 1.8028
    E (1, 1):       2.5² + 1²   = 6.25 + 1    = 7.25  → 2.6926
    F (1.5, −0.5):  3² + 0.5²   = 9 + 0.25    = 9.25  → 3.0414
so A's neighbours, nearest first: D, then C before B (the tie goes to the lower ONS code: C's is
E07000002, B's E07000003), E, F. From F (1.5, −0.5): D 1.5² + 0² = 2.25, E 0.5² + 1.5² = 2.5,
C 2² + 1² = 5, B 2² + 2² = 8, A 9.25: D, E, C, B, A.

The performance indicator (higher is better), 2025-Q2:
    A 50  B 10  C 20  D 30  E 40  F 60  G 70  H 80  I 90  J 100
Kinds: A B C D E G H I district; F J unitary. Regions: A B C D East Midlands; the rest South West.
A's percentile (the share of the group doing no better, A included; MIN_PEERS others needed):
    all 10:                 10 20 30 40 [50] 60 70 80 90 100     5 / 10 = 50.0  → quartile 3
    district 8:             10 20 30 40 [50] 70 80 90             5 / 8  = 62.5  → quartile 2
    neighbours A + 5:       10 20 30 40 [50] 60                   5 / 6  = 83.3  → quartile 1
    East Midlands 4:        3 others, fewer than 5                → no position
    A's group (B G H I J) + A: 10 [50] 70 80 90 100             2 / 6  = 33.3  → quartile 3
F (unitary, with J alone): 1 other → no position in its kind.
"""

from decimal import Decimal

import pytest
from django.db import models

from accounts.models import Organisation, Region
from portfolio import gaps
from portfolio.models import (
    ComparisonGroup,
    GapReport,
    GapReportPosition,
    GapReportRow,
    Indicator,
    Measurement,
    NearestNeighbour,
)
from tests.factories import OrganisationFactory
from tests.portfolio.conftest import measure

EM, SW = Region.EAST_MIDLANDS, Region.SOUTH_WEST
# The ONS codes neighbours are listed by (C's is lower than B's, to show how a tie is broken).
A, C, B, D, E, F = "E07000001", "E07000002", "E07000003", "E07000004", "E07000005", "E06000006"


def build_example(a=None) -> dict:
    """The module docstring's ten organisations (A may be given: the personas' council), their
    figures and A's unshared group B G H I J. Reports are not computed."""
    district, unitary = Organisation.Kind.DISTRICT, Organisation.Kind.UNITARY
    shape = {  # name: (ONS code, kind, region, population, deprivation, performance)
        "A": ("E07000001", district, EM, 70, 20, 50),
        "C": ("E07000002", district, EM, 90, 14, 20),
        "B": ("E07000003", district, EM, 90, 26, 10),
        "D": ("E07000004", district, EM, 100, 18, 30),
        "E": ("E07000005", district, SW, 120, 24, 40),
        "F": ("E06000006", unitary, SW, 130, 18, 60),
        "G": ("E07000007", district, SW, None, None, 70),
        "H": ("E07000008", district, SW, None, None, 80),
        "I": ("E07000009", district, SW, None, None, 90),
        "J": ("E06000010", unitary, SW, None, None, 100),
    }

    def indicator(code, purpose, frequency="annual"):
        return Indicator.objects.create(
            code=code, name=code, unit="n", polarity=1, frequency=frequency, service="corporate", purpose=purpose
        )

    population = indicator("CTX-POP", Indicator.Purpose.CONTEXTUAL)
    deprivation = indicator("CTX-IMD", Indicator.Purpose.CONTEXTUAL)
    performance = indicator("CORP-FOI", Indicator.Purpose.PERFORMANCE, "quarterly")
    orgs = {}
    for name, (code, kind, region, people, imd, score) in shape.items():
        if name == "A" and a is not None:
            a.ons_code, a.kind, a.region = code, kind, region
            a.save()
            orgs[name] = a
        else:
            orgs[name] = OrganisationFactory(name=f"Council {name}", ons_code=code, kind=kind, region=region)
        if people is not None:
            measure(orgs[name], population, "2024/25", people)
            measure(orgs[name], deprivation, "2023/24", imd + 5)  # an older figure: the latest counts
            measure(orgs[name], deprivation, "2024/25", imd)
        measure(orgs[name], performance, "2025-Q2", score, aspiration=score * 2)
    group = ComparisonGroup.objects.create(organisation=orgs["A"], name="Our benchmarking club")
    group.members.set([orgs[n] for n in "BGHIJ"])
    orgs["group"] = group
    orgs["indicator"] = performance
    return orgs


@pytest.fixture
def example(db):
    return build_example()


def neighbours(organisation):
    return [
        (n.neighbour.ons_code, round(n.distance, 4))
        for n in NearestNeighbour.objects.filter(organisation=organisation).select_related("neighbour")
    ]


def position(organisation, indicator, group):
    report = GapReport.objects.get(organisation=organisation, is_current=True)
    if group == "all":
        row = GapReportRow.objects.get(report=report, indicator=indicator)
    else:
        row = GapReportPosition.objects.filter(report=report, indicator=indicator, comparison_group=group).first()
        if row is None:
            return None
    return (row.percentile, row.quartile, row.peers_compared)


def test_neighbours_are_the_nearest_by_standardised_distance_ties_to_the_lower_ons_code(example):
    gaps.gap_reports_build()
    assert neighbours(example["A"]) == [(D, 1.5811), (C, 1.8028), (B, 1.8028), (E, 2.6926), (F, 3.0414)]
    assert neighbours(example["F"]) == [(D, 1.5), (E, 1.5811), (C, 2.2361), (B, 2.8284), (A, 3.0414)]


def test_only_the_nearest_are_kept_and_organisations_without_every_measure_have_none(example, monkeypatch):
    monkeypatch.setattr(gaps, "NEIGHBOURS", 3)
    gaps.gap_reports_build()
    assert neighbours(example["A"]) == [(D, 1.5811), (C, 1.8028), (B, 1.8028)]
    assert neighbours(example["G"]) == []  # no contextual measures: neither neighbours nor a neighbour


def test_percentile_and_quartile_are_relative_to_each_group(example):
    gaps.gap_reports_build()
    a, indicator = example["A"], example["indicator"]
    assert position(a, indicator, "all") == (Decimal("50.0"), 3, 9)
    assert position(a, indicator, "kind") == (Decimal("62.5"), 2, 7)
    assert position(a, indicator, "neighbours") == (Decimal("83.3"), 1, 5)
    assert position(a, indicator, "region") == (None, None, 3)  # fewer than 5 others: no position
    assert position(a, indicator, f"group-{example['group'].pk}") == (Decimal("33.3"), 3, 5)
    assert position(example["F"], indicator, "kind") == (None, None, 1)


def test_a_group_without_members_for_an_organisation_gives_it_no_position(example):
    gaps.gap_reports_build()
    # G has no nearest neighbours (no contextual figures), and B's custom group is A's, unshared.
    assert position(example["G"], example["indicator"], "neighbours") is None
    assert position(example["B"], example["indicator"], f"group-{example['group'].pk}") is None


def test_a_shared_group_gives_other_organisations_a_position_with_themselves_included(example):
    example["group"].shared = True
    example["group"].save()
    gaps.gap_reports_build()
    # C with A's group B G H I J, C added: 10 [20] 70 80 90 100 → 2 / 6 = 33.3, quartile 3.
    assert position(example["C"], example["indicator"], f"group-{example['group'].pk}") == (Decimal("33.3"), 3, 5)


def test_contextual_measures_give_no_gap_row(example):
    gaps.gap_reports_build()
    report = GapReport.objects.get(organisation=example["A"], is_current=True)
    assert list(GapReportRow.objects.filter(report=report).values_list("indicator__code", flat=True)) == ["CORP-FOI"]


def test_among_neighbours_a_tie_counts_as_doing_no_better_and_an_earlier_figure_is_flagged(example):
    # D now scores A's 50, and E's latest figure is 2025-Q1's 40 (a quarter before A's):
    # A's neighbours set  B 10  C 20  E 40 (Q1)  A [50]  D 50  F 60  → A, B, C, D, E do no
    # better than A: 5 / 6 = 83.3, quartile 1, compared with a neighbour's earlier figure.
    indicator = example["indicator"]
    Measurement.objects.filter(organisation=example["D"], indicator=indicator).update(value=50)
    Measurement.objects.filter(organisation=example["E"], indicator=indicator).update(
        period="2025-Q1", period_index=models.F("period_index") - 1
    )
    gaps.gap_reports_build()
    report = GapReport.objects.get(organisation=example["A"], is_current=True)
    among = GapReportPosition.objects.get(report=report, indicator=indicator, comparison_group="neighbours")
    assert (among.percentile, among.quartile) == (Decimal("83.3"), 1)
    assert (among.peers_compared, among.compared_with_latest) == (5, True)
    # D, with the same score, is placed by the same rule among its own neighbours
    # (D's nearest: A 1.5811, ... all five others): B 10 C 20 E 40 A 50 [D 50] F 60 → 5 / 6.
    assert position(example["D"], indicator, "neighbours") == (Decimal("83.3"), 1, 5)


def test_members_of_a_shared_group_are_ranked_within_the_same_set(example):
    group = example["group"]
    group.shared = True
    group.save()
    group.members.add(example["C"], example["D"])
    gaps.gap_reports_build()
    # The group is now B C D G H I J: 10 20 30 70 80 90 100. Each member is ranked within it, and
    # A, not on its own list, with itself added: 10 20 30 [50] 70 80 90 100 → 4 / 8 = 50.0.
    key = f"group-{group.pk}"
    assert position(example["D"], example["indicator"], key) == (Decimal("42.9"), 3, 6)  # 3 / 7
    assert position(example["I"], example["indicator"], key) == (Decimal("85.7"), 1, 6)  # 6 / 7
    assert position(example["A"], example["indicator"], key) == (Decimal("50.0"), 3, 7)

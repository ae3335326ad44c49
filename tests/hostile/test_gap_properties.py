"""Property tests on the gap arithmetic (the SQL in portfolio.gaps) against a Python reference:
for any values, aspirations (zero included) and polarity, the gap is 100 × polarity × (aspiration
− actual) / |aspiration| to one decimal place, blank when the aspiration is zero or missing, and the
percentile is the share of the sector doing no better (ties share it), from 0 to 100, given only
when at least five other organisations are compared."""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Organisation
from portfolio import gaps
from portfolio.models import GapReportRow, Indicator
from tests.portfolio.conftest import measure

amounts = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
councils = st.lists(st.tuples(amounts, st.one_of(st.none(), st.just(Decimal(0)), amounts)), min_size=1, max_size=8)


def _one_place(value: Decimal) -> set[Decimal]:
    # SQLite and PostgreSQL may round a half differently; either is a right answer to one place.
    return {value.quantize(Decimal("0.1"), rounding=r) for r in (ROUND_HALF_UP, ROUND_HALF_EVEN)}


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=councils, polarity=st.sampled_from([1, -1]))
def test_gaps_and_percentiles_match_the_hand_formula(values, polarity):
    indicator, _ = Indicator.objects.update_or_create(
        code="PROP-1", defaults={"name": "Property", "unit": "%", "polarity": polarity, "frequency": "quarterly",
                                 "service": "waste"},
    )  # fmt: skip
    organisations = [Organisation.objects.create(name=f"Council {n}", kind="district") for n in range(len(values))]
    for organisation, (actual, aspiration) in zip(organisations, values, strict=True):
        measure(organisation, indicator, "2025-Q1", actual, aspiration)
    gaps.gap_reports_build(organisation_ids=None)
    scores = [polarity * actual for actual, _ in values]
    for organisation, (actual, aspiration) in zip(organisations, values, strict=True):
        row = GapReportRow.objects.get(report__organisation=organisation, report__is_current=True, indicator=indicator)
        if not aspiration:
            assert row.gap_pct is None
        else:
            expected = Decimal(100) * polarity * (aspiration - actual) / abs(aspiration)
            assert row.gap_pct in _one_place(expected), (row.gap_pct, expected)
        assert row.peers_compared == len(scores) - 1
        if len(scores) - 1 < gaps.MIN_PEERS:
            assert (row.percentile, row.quartile) == (None, None)
            continue
        doing_no_better = sum(1 for s in scores if s <= polarity * actual)
        expected_percentile = Decimal(100 * doing_no_better) / len(scores)
        assert row.percentile in _one_place(expected_percentile), (row.percentile, expected_percentile)
        assert Decimal(0) <= row.percentile <= Decimal(100)
    Organisation.objects.filter(pk__in=[o.pk for o in organisations]).delete()

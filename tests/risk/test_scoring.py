import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from risk import scoring
from risk.scoring import Band

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, Band.LOW),
        (4, Band.LOW),
        (5, Band.MEDIUM),
        (9, Band.MEDIUM),
        (10, Band.HIGH),
        (14, Band.HIGH),
        (15, Band.VERY_HIGH),
        (25, Band.VERY_HIGH),
    ],
)
def test_each_band_starts_and_ends_where_the_design_says(score, band):
    assert scoring.band(score) == band


def test_no_score_has_no_band():
    assert scoring.band(None) is None


@pytest.mark.parametrize("score", [0, 26, -1])
def test_a_score_outside_one_to_twenty_five_is_refused(score):
    with pytest.raises(ValueError, match=rf"A risk score is 1 to 25, not {score}"):
        scoring.band(score)


@given(st.integers(1, 5), st.integers(1, 5))
def test_every_likelihood_and_impact_gives_a_score_in_exactly_one_band(likelihood, impact):
    value = scoring.score(likelihood, impact)
    assert value == likelihood * impact
    matching = [band for band, (low, high) in scoring.BAND_RANGES.items() if low <= value <= high]
    assert matching == [scoring.band(value)]


def test_score_is_unknown_until_likelihood_and_impact_are_both_given():
    assert scoring.score(3, None) is None
    assert scoring.score(None, 3) is None


@pytest.mark.parametrize(("likelihood", "impact"), [(6, 1), (1, 6), (0, 3), (3, 0)])
def test_a_likelihood_or_impact_outside_one_to_five_is_refused_saying_which(likelihood, impact):
    with pytest.raises(ValueError, match=f"Likelihood and impact are each 1 to 5, not {likelihood} and {impact}"):
        scoring.score(likelihood, impact)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (25, datetime.date(2026, 12, 27)),  # very high: monthly
        (15, datetime.date(2026, 12, 27)),
        (12, datetime.date(2027, 2, 27)),  # high: quarterly
        (10, datetime.date(2027, 2, 27)),
        (9, datetime.date(2027, 5, 27)),  # medium: half-yearly
        (4, datetime.date(2027, 5, 27)),  # low: half-yearly
        (None, datetime.date(2027, 5, 27)),
    ],
)
def test_review_date_defaults_by_band(score, expected):
    assert scoring.default_review_date(score, start=TODAY) == expected


def test_monthly_review_from_the_end_of_january_falls_at_the_end_of_february():
    assert scoring.default_review_date(20, start=datetime.date(2027, 1, 31)) == datetime.date(2027, 2, 28)

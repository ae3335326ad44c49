"""Reporting periods as people write them in an import: what is accepted, what is refused and
why, and the ordinal that puts consecutive periods one apart (issue 22's mutation tests found
these edges untested)."""

import datetime

import pytest

from portfolio import periods
from portfolio.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-Q1", Period("2025-Q1", "quarterly", 8100)),
        ("2025-Q4", Period("2025-Q4", "quarterly", 8103)),
        ("2026-Q1", Period("2026-Q1", "quarterly", 8104)),
        ("2025/26", Period("2025/26", "annual", 2025)),
        ("1999/00", Period("1999/00", "annual", 1999)),
        ("  2025-Q2 \n", Period("2025-Q2", "quarterly", 8101)),
    ],
)
def test_quarters_and_financial_years_are_read_with_consecutive_periods_one_apart(text, expected):
    assert periods.parse(text) == expected
    assert str(periods.parse(text)) == expected.label


@pytest.mark.parametrize("text", ["1900-Q1", "2200-Q4", "1900/01", "2200/01"])
def test_the_first_and_last_plausible_years_are_accepted(text):
    assert periods.parse(text).label == text


@pytest.mark.parametrize("text", ["1899-Q4", "2201-Q1", "1899/00", "2201/02"])
def test_a_year_outside_1900_to_2200_is_refused_as_implausible(text):
    with pytest.raises(PeriodError, match=rf"period '{text}' has an implausible year"):
        periods.parse(text)


@pytest.mark.parametrize("text", ["2025/27", "2025/25", "2025/24"])
def test_a_financial_year_whose_second_year_does_not_follow_is_refused(text):
    with pytest.raises(PeriodError, match=rf"period '{text}' is not a financial year: the second year must follow"):
        periods.parse(text)


@pytest.mark.parametrize("text", ["", None, "2025-Q5", "2025-Q0", "2025 Q1", "25-Q1", "2025/2026", "x2025-Q1"])
def test_anything_else_is_refused_saying_how_to_write_a_period(text):
    with pytest.raises(PeriodError, match=r"is not written as 2025-Q1 \(a quarter\) or 2025/26 \(a financial year\)"):
        periods.parse(text)


@pytest.mark.parametrize(
    ("index", "frequency", "label"),
    [
        (8100, "quarterly", "2025-Q1"),
        (8103, "quarterly", "2025-Q4"),
        (8104, "quarterly", "2026-Q1"),
        (2025, "annual", "2025/26"),
        (1999, "annual", "1999/00"),
        (2008, "annual", "2008/09"),
    ],
)
def test_label_for_is_the_inverse_of_parse(index, frequency, label):
    assert periods.label_for(index, frequency) == label
    assert periods.parse(label).index == index


@pytest.mark.parametrize(
    ("day", "frequency", "label"),
    [
        (datetime.date(2025, 1, 1), "quarterly", "2025-Q1"),
        (datetime.date(2025, 3, 31), "quarterly", "2025-Q1"),
        (datetime.date(2025, 4, 1), "quarterly", "2025-Q2"),
        (datetime.date(2025, 12, 31), "quarterly", "2025-Q4"),
        (datetime.date(2026, 3, 31), "annual", "2025/26"),
        (datetime.date(2025, 4, 1), "annual", "2025/26"),
        (datetime.date(2025, 3, 31), "annual", "2024/25"),
    ],
)
def test_a_day_falls_in_its_calendar_quarter_or_april_to_march_financial_year(day, frequency, label):
    assert periods.index_for_date(day, frequency) == periods.parse(label).index

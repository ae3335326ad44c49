"""Reporting periods: `2025-Q1` for a quarter, `2025/26` for a financial year.

Each period has an ordinal number so that trend maths can treat consecutive periods as
one apart: quarters count 4 a year (2025-Q1 is 8100), financial years count 1 a year
(2025/26 is 2025). Quarters and years are never compared with each other, because an
indicator is either quarterly or annual.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


class PeriodError(ValueError):
    """A period that is not written as 2025-Q1 or 2025/26, in plain English."""


@dataclass(frozen=True)
class Period:
    label: str
    frequency: str  # "quarterly" or "annual", as Indicator.Frequency
    index: int

    def __str__(self):
        return self.label


def parse(text: str) -> Period:
    """The period written in `text`, or PeriodError saying what is wrong with it."""
    text = (text or "").strip()
    match = QUARTER.match(text)
    if match:
        year, quarter = int(match[1]), int(match[2])
        if not 1900 <= year <= 2200:
            raise PeriodError(_("period %(period)s has an implausible year") % {"period": repr(text)})
        return Period(text, "quarterly", year * 4 + quarter - 1)
    match = FINANCIAL_YEAR.match(text)
    if match:
        year, next_year = int(match[1]), int(match[2])
        if not 1900 <= year <= 2200:
            raise PeriodError(_("period %(period)s has an implausible year") % {"period": repr(text)})
        if (year + 1) % 100 != next_year:
            raise PeriodError(
                _("period %(period)s is not a financial year: the second year must follow the first")
                % {"period": repr(text)}
            )
        return Period(text, "annual", year)
    raise PeriodError(
        _("period %(period)s is not written as 2025-Q1 (a quarter) or 2025/26 (a financial year)")
        % {"period": repr(text)}
    )


def label_for(index: int, frequency: str) -> str:
    """The label of the period with ordinal `index` (the inverse of parse)."""
    if frequency == "quarterly":
        return f"{index // 4}-Q{index % 4 + 1}"
    return f"{index}/{(index + 1) % 100:02d}"


def index_for_date(day: datetime.date, frequency: str) -> int:
    """The ordinal of the period holding `day`: quarters are calendar quarters (2025-Q1 is January
    to March 2025) and years are financial years (2025/26 runs from 1 April 2025 to 31 March 2026)."""
    if frequency == "quarterly":
        return day.year * 4 + (day.month - 1) // 3
    return day.year if day.month >= 4 else day.year - 1

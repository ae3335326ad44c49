"""Risk scores, bands and review dates, computed the same way everywhere (DESIGN.md, R4).

A score is likelihood (1–5) × impact (1–5). Bands: 1–4 low, 5–9 medium, 10–14 high,
15–25 very high. A risk's next review falls due sooner the worse its band: very high
monthly, high quarterly, anything else half-yearly.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext_lazy as _

SCALE = range(1, 6)

LIKELIHOOD_LABELS = {1: _("Rare"), 2: _("Unlikely"), 3: _("Possible"), 4: _("Likely"), 5: _("Almost certain")}
IMPACT_LABELS = {1: _("Negligible"), 2: _("Minor"), 3: _("Moderate"), 4: _("Major"), 5: _("Severe")}


class Band(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


# The lowest and highest score in each band, inclusive.
BAND_RANGES = {
    Band.LOW: (1, 4),
    Band.MEDIUM: (5, 9),
    Band.HIGH: (10, 14),
    Band.VERY_HIGH: (15, 25),
}

# GOV.UK tag colour for each band. Colour is never the only sign: the band's name or the
# score is always written beside it.
BAND_TAG_CLASSES = {
    Band.LOW: "govuk-tag--green",
    Band.MEDIUM: "govuk-tag--yellow",
    Band.HIGH: "govuk-tag--orange",
    Band.VERY_HIGH: "govuk-tag--red",
}

REVIEW_INTERVALS = {
    Band.VERY_HIGH: relativedelta(months=1),
    Band.HIGH: relativedelta(months=3),
    Band.MEDIUM: relativedelta(months=6),
    Band.LOW: relativedelta(months=6),
}


def score(likelihood: int | None, impact: int | None) -> int | None:
    """Likelihood × impact, or None until both are known."""
    if likelihood is None or impact is None:
        return None
    if likelihood not in SCALE or impact not in SCALE:
        raise ValueError(f"Likelihood and impact are each 1 to 5, not {likelihood} and {impact}")
    return likelihood * impact


def band(score_value: int | None) -> Band | None:
    """The band a score falls in, or None for no score."""
    if score_value is None:
        return None
    for band_value, (low, high) in BAND_RANGES.items():
        if low <= score_value <= high:
            return band_value
    raise ValueError(f"A risk score is 1 to 25, not {score_value}")


def review_interval(score_value: int | None) -> relativedelta:
    """How long until a risk with this score is next reviewed."""
    return REVIEW_INTERVALS[band(score_value) or Band.LOW]


def default_review_date(score_value: int | None, *, start: datetime.date) -> datetime.date:
    """The date a risk scored `score_value` on `start` should next be reviewed."""
    return start + review_interval(score_value)

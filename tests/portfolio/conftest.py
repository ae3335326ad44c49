from decimal import Decimal

import pytest

from portfolio import periods
from portfolio.models import Aspiration, Indicator, Measurement


def measure(organisation, indicator, period, value, aspiration=None):
    """Records an actual value (and optionally an aspiration) the way an import would."""
    p = periods.parse(period)
    Measurement.objects.update_or_create(
        organisation=organisation,
        indicator=indicator,
        period_index=p.index,
        defaults={"period": p.label, "value": Decimal(str(value))},
    )
    if aspiration is not None:
        Aspiration.objects.update_or_create(
            organisation=organisation,
            indicator=indicator,
            period_index=p.index,
            defaults={"period": p.label, "value": Decimal(str(aspiration))},
        )


@pytest.fixture
def indicators(db):
    def make(**fields):
        return Indicator.objects.create(unit="%", **fields)

    return {
        "recycling": make(code="NI192", name="Recycling", polarity=1, frequency="quarterly", service="waste"),
        "residual": make(code="NI191", name="Residual", polarity=-1, frequency="quarterly", service="waste"),
        "relet": make(code="HOU-RELET", name="Re-let", polarity=-1, frequency="quarterly", service="housing"),
        "homes": make(code="NI154", name="Homes", polarity=1, frequency="annual", service="planning"),
    }

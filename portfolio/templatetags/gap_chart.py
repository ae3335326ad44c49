"""The gap report's chart of its biggest gaps: an SVG drawn on the server, beside a table of
the same figures (templates/portfolio/includes/gap_chart.html).

Drawn here rather than in the browser so that it needs no script, prints, and reads the same
for everyone; the table beside it is what a screen reader reads (the SVG is one image with a
title and a description, not a second copy of the numbers).
"""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

BIGGEST = 8
# Drawing units: the SVG scales to its column, keeping these proportions.
WIDTH = 460
LABEL_HEIGHT = 22
BAR_HEIGHT = 18
ROW_GAP = 12
VALUE_ROOM = 72
BLUE = "#1d70b8"
INK = "#0b0c0c"


@register.simple_tag
def biggest_gaps(rows, count: int = BIGGEST) -> list:
    """The report's rows furthest short of aspiration (rows come biggest gap first)."""
    return [row for row in rows if row.gap_pct is not None and row.gap_pct > 0][:count]


@register.simple_tag
def gap_chart(gaps) -> str:
    """Horizontal bars, one a gap, longest for the biggest, each labelled with its indicator and per cent."""
    if not gaps:
        return ""
    biggest = max(Decimal(row.gap_pct) for row in gaps)
    step = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = step * len(gaps)
    room = WIDTH - VALUE_ROOM

    def bar(index: int, row) -> tuple:
        top = index * step
        length = max(2.0, float(Decimal(row.gap_pct) / biggest) * room)
        return (
            top + LABEL_HEIGHT - 6,
            _shorten(row.indicator.name),
            top + LABEL_HEIGHT,
            f"{length:.1f}",
            f"{length + 6:.1f}",
            top + LABEL_HEIGHT + BAR_HEIGHT - 4,
            f"{row.gap_pct}%",
        )

    bars = format_html_join(
        "\n",
        '<text x="0" y="{}" class="lantern-gap-chart__label">{}</text>'
        '<rect x="0" y="{}" width="{}" height="' + str(BAR_HEIGHT) + '" fill="' + BLUE + '"></rect>'
        '<text x="{}" y="{}" class="lantern-gap-chart__value">{}</text>',
        (bar(index, row) for index, row in enumerate(gaps)),
    )
    count = len(gaps)
    return format_html(
        '<svg class="lantern-gap-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="gap-chart-title gap-chart-desc"'
        ' xmlns="http://www.w3.org/2000/svg">\n<title id="gap-chart-title">{}</title>\n'
        '<desc id="gap-chart-desc">{}</desc>\n<g fill="{}">\n{}\n</g>\n</svg>',
        WIDTH,
        height,
        ngettext(
            "Bar chart of the %(count)s biggest gap between actual and aspiration",
            "Bar chart of the %(count)s biggest gaps between actual and aspiration",
            count,
        )
        % {"count": count},
        _(
            "The longest bar is %(name)s, %(gap)s%% short of aspiration. "
            "The table beside the chart gives every bar's figure."
        )
        % {"name": gaps[0].indicator.name, "gap": gaps[0].gap_pct},
        INK,
        bars,
    )


def _shorten(name: str, limit: int = 46) -> str:
    # The full name is in the table beside the chart; a label has one line.
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"

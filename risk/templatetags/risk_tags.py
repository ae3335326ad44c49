"""Scores and bands on risk pages: always the number and the band's name, never colour alone."""

from django import template
from django.utils.html import format_html

from risk import scoring

register = template.Library()


@register.simple_tag
def score_tag(score: int | None, likelihood: int | None = None, impact: int | None = None):
    """A score as a GOV.UK tag coloured by band, with the band's name written in it."""
    if score is None:
        return format_html('<strong class="govuk-tag {}">Not scored</strong>', "govuk-tag--grey")
    band = scoring.band(score)
    return format_html(
        '<strong class="govuk-tag {}">{} {}</strong><span class="govuk-visually-hidden">{}</span>',
        scoring.BAND_TAG_CLASSES[band],
        score,
        band.label,
        f", likelihood {likelihood} times impact {impact}" if likelihood and impact else "",
    )


@register.simple_tag
def movement(previous: int | None, current: int | None):
    """How a residual score moved at its latest change: up, down or unchanged, in words."""
    if previous is None or current is None or previous == current:
        return ""
    direction = "Up" if current > previous else "Down"
    return format_html('<span class="govuk-body-s">{} from {}</span>', direction, previous)


@register.simple_tag
def band_label(score: int | None) -> str:
    band = scoring.band(score)
    return band.label if band else "Not scored"


@register.simple_tag
def band_legend():
    """The bands with their colours and score ranges."""
    return [
        {"label": band.label, "low": low, "high": high, "tag_class": scoring.BAND_TAG_CLASSES[band]}
        for band, (low, high) in scoring.BAND_RANGES.items()
    ]

"""The library's results, written here rather than through an included template per result:
Django's template language spends some 40 Python calls on each variable it prints, and a page
of results prints twenty cards of a dozen each (issue 8's page benchmark)."""

from django import template
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

OUTCOME_TAGS = {"succeeded": "govuk-tag--green", "partly_succeeded": "govuk-tag--yellow"}
FEATURED = '\n<li class="govuk-summary-card__action"><strong class="govuk-tag govuk-tag--{}">{}</strong></li>'
ROW = (
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
    '<dd class="govuk-summary-list__value">{}</dd></div>'
)


@register.simple_tag
def lesson_cards(lessons, level: int = 2):
    """Each lesson (a sharing.reading.LessonView) as a summary card, its title a heading of `level`."""
    date_format = get_format("DATE_FORMAT")
    # The labels in the reader's language, looked up once for the page rather than once a card.
    labels = {
        "from": _("From"),
        "region": _("Region"),
        "service": _("Service"),
        "cost": _("Cost"),
        "evidence": _("Evidence"),
        "transferability": _("Transferability"),
        # Translators: a lesson's transferability score, e.g. "4 out of 5".
        "out_of_5": _("%(score)s out of 5"),
        "published": _("Published"),
        "featured": format_html(FEATURED, "purple", _("Featured")),
    }
    return format_html_join("\n", "{}", ((_card(lesson, level, date_format, labels),) for lesson in lessons))


def _card(lesson, level: int, date_format: str, labels: dict) -> str:
    rows = [format_html(ROW, labels["from"], lesson.host_label)]
    if lesson.region_label:
        rows.append(format_html(ROW, labels["region"], lesson.region_label))
    rows.append(format_html(ROW, labels["service"], lesson.service_label))
    rows.append(format_html(ROW, labels["cost"], lesson.cost_band_label))
    rows.append(format_html(ROW, labels["evidence"], lesson.evidence_level_label))
    if lesson.transferability:
        rows.append(format_html(ROW, labels["transferability"], labels["out_of_5"] % {"score": lesson.transferability}))
    if lesson.published_at:  # as the template's date filter writes it: in local time
        published = lesson.published_at
        if timezone.is_aware(published):
            published = timezone.localtime(published)
        rows.append(format_html(ROW, labels["published"], dateformat.format(published, date_format)))
    # Marked only when not in the page's language (a lesson only in the other one), for screen readers.
    lang = format_html(' lang="{}"', lesson.lang) if lesson.language_note else ""
    return format_html(
        '<div class="govuk-summary-card lantern-lesson-card">\n'
        '<div class="govuk-summary-card__title-wrapper">\n'
        '<h{} class="govuk-summary-card__title"><a class="govuk-link" href="{}"{}>{}</a></h{}>\n'
        '<ul class="govuk-summary-card__actions">\n'
        '<li class="govuk-summary-card__action"><strong class="govuk-tag {}">{}</strong></li>{}\n'
        "</ul>\n</div>\n"
        '<div class="govuk-summary-card__content">\n'
        '<p class="govuk-body"{}>{}</p>\n'
        '<dl class="govuk-summary-list govuk-summary-list--no-border">\n{}\n</dl>\n'
        "</div>\n</div>",
        level,
        lesson.url,
        lang,
        lesson.title,
        level,
        OUTCOME_TAGS.get(lesson.outcome, "govuk-tag--red"),
        lesson.outcome_label,
        labels["featured"] if lesson.featured else "",
        lang,
        lesson.summary,
        format_html_join("\n", "{}", ((row,) for row in rows)),
    )

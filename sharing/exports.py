"""The sector library as rows, exactly as the reader sees it on the library page.

The lessons are the library page's (Lesson.objects.visible_to, the LessonFilter and
queries.library_search), and every one goes through `lesson_for_reader`, the one read
path that anonymises: an anonymised lesson of another organisation has no organisation,
author or contact in its row, and their names are removed from its text.
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from accounts.models import Organisation, User
from innovation import evidence
from sharing import queries
from sharing.filters import LessonFilter
from sharing.models import Lesson
from sharing.reading import Redactions, lesson_for_reader

LESSON_COLUMNS = [
    "title",
    "summary",
    "service",
    "outcome",
    "cost_band",
    "transferability",
    "evidence_level",
    "evidence_level_name",
    "visibility",
    "anonymised",
    "organisation",
    "organisation_kind",
    "region",
    "author",
    "contact_name",
    "contact_email",
    "published_on",
    "featured",
]


def library_filterset(data, *, organisation: Organisation, user: User) -> LessonFilter:
    return LessonFilter(data or None, queryset=Lesson.objects.visible_to(organisation), organisation=organisation)


def library_select(*, organisation: Organisation, user: User, data) -> QuerySet[Lesson]:
    lesson_filter = library_filterset(data, organisation=organisation, user=user)
    chosen = lesson_filter.form.cleaned_data if lesson_filter.is_valid() else {}
    lessons = queries.library_search(
        organisation=organisation, text=chosen.get("q") or "", queryset=lesson_filter.qs, sort=chosen.get("sort") or ""
    )
    return queries.lessons_for_reading(lessons)


def library_rows(lessons: QuerySet[Lesson], *, reader: Organisation) -> Iterator[list]:
    # One Redactions for the whole export: each organisation's people are read once, when its
    # first anonymised lesson comes by, however many rows there are.
    redactions = Redactions()
    for lesson in lessons.iterator(chunk_size=1000):
        view = lesson_for_reader(lesson, reader, redactions=redactions)
        yield [
            view.title,
            view.summary,
            view.service_label,
            view.outcome_label,
            view.cost_band_label,
            view.transferability,
            view.evidence_level or None,
            evidence.label(view.evidence_level),
            view.visibility_label,
            view.is_anonymised,
            view.organisation_name,
            view.organisation_kind_label,
            view.region_label,
            view.author_name,
            view.contact_name,
            view.contact_email,
            view.published_at.date() if view.published_at else None,
            view.featured,
        ]

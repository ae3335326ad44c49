""" "Tried elsewhere" (R7, R14): the published lessons of other organisations most relevant to an
idea, a campaign or a text, each with why it was suggested, its outcome and its evidence.

The score is innovation.relevance's (read its docstring): the structured match of the lesson's
project (its indicator, the lesson's service) with the idea, plus the text relevance of the
lesson's names-removed search text (`search_document`, `search_vector`) to the idea's words.
Only names-removed text is compared, so an anonymised lesson is never found by its host's name;
every suggestion is read through `lessons_for_reader`, so it stays anonymised.
"""

from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import SearchRank, TrigramSimilarity
from django.db.models import F, FloatField, Func, Q, TextField, Value

from accounts.models import Organisation
from innovation import relevance
from innovation.relevance import Features, Subject
from sharing.models import Lesson
from sharing.queries import lessons_for_reading
from sharing.reading import LessonView, lessons_for_reader

# How many candidates the database returns, best first by the same score, for the last step.
CANDIDATES = 30


@dataclass(frozen=True)
class LessonSuggestion:
    lesson: LessonView
    score: float
    reasons: list


def lesson_title():
    """The first line of the names-removed search document: the lesson's title as outsiders read
    it. The trigram index of migration 0005 is on exactly this expression."""
    return Func(F("search_document"), Value("\n"), Value(1), function="split_part", output_field=TextField())


def tried_elsewhere(thing, *, organisation: Organisation, limit: int = 3) -> list[LessonSuggestion]:
    """The lessons other organisations have shared that `organisation` should read before going
    further with `thing` (an Idea, a Campaign or a text), best first, none below the threshold."""
    subject = thing if isinstance(thing, Subject) else relevance.subject_of(thing)
    subject_words = relevance.words(f"{subject.title} {subject.body}")
    if not subject_words and not subject.indicator_code:
        return []
    lessons = Lesson.objects.shared().exclude(organisation=organisation)
    weights = relevance.weights_for("tried")
    adopted = getattr(getattr(thing, "adoption", None), "lesson_id", None) if not isinstance(thing, str) else None
    scored = _postgres(subject, lessons, subject_words) if relevance.uses_postgres() else _fallback(subject, lessons)
    kept = [
        (lesson, features)
        for lesson, features in scored
        if lesson.pk != adopted and relevance.passes(features, weights)
    ]
    kept.sort(key=lambda pair: (-relevance.score_of(pair[1], weights), -pair[0].pk))
    kept = kept[:limit]
    views = lessons_for_reader([lesson for lesson, _ in kept], organisation)
    return [
        LessonSuggestion(view, relevance.score_of(features, weights), relevance.reasons_of(features))
        for view, (_, features) in zip(views, kept, strict=True)
    ]


def _structured(subject: Subject):
    return relevance.structured_case(
        subject,
        indicator="project__indicator__code",
        indicator_service="project__indicator__service",
        service="service",
    )


def _postgres(subject: Subject, lessons, subject_words: list[str]) -> list[tuple[Lesson, Features]]:
    weights = relevance.weights_for("tried")
    all_q = relevance.or_query(subject_words[:30])
    title_q = relevance.or_query(relevance.words(subject.title))
    zero = Value(0.0, output_field=FloatField())
    rows = lessons.annotate(
        rank=SearchRank(F("search_vector"), all_q) if all_q else zero,
        title_rank=SearchRank(F("search_vector"), title_q) if title_q else zero,
        trgm=TrigramSimilarity(lesson_title(), subject.title) if subject.title else zero,
        structured=_structured(subject),
    )
    match = Q(pk__in=[])
    if all_q:
        match |= Q(search_vector=all_q)
    if subject.title:
        match |= Q(TrigramSimilar(lesson_title(), Value(subject.title)))
    if subject.indicator_code:
        match |= Q(project__indicator__code__iexact=subject.indicator_code)
    structured_score = relevance.structured_score_case(
        subject,
        weights,
        indicator="project__indicator__code",
        indicator_service="project__indicator__service",
        service="service",
    )
    text_weights = weights.text
    order = (
        structured_score
        + text_weights["rank"] * relevance.squash(F("rank"))
        + text_weights["title_rank"] * relevance.squash(F("title_rank"))
        + text_weights["trigram"] * F("trgm")
    )
    rows = (
        rows.filter(match)
        .annotate(order=order)
        .order_by("-order", "-pk")
        .select_related("project__indicator")
        .only("pk", "service", "search_document", "project__indicator__code", "project__indicator__service")
    )[:CANDIDATES]
    result = []
    for lesson in rows:
        indicator = lesson.project.indicator
        result.append(
            (
                lesson,
                Features(
                    structured=lesson.structured,
                    other_indicator=indicator.code if indicator else "",
                    other_service=lesson.service,
                    rank=relevance.squash(lesson.rank),
                    title_rank=relevance.squash(lesson.title_rank),
                    trigram=lesson.trgm,
                    shared_words=relevance.shared_words(f"{subject.title} {subject.body}", lesson.search_document),
                ),
            )
        )
    return _full(result)


def _full(result: list[tuple[Lesson, Features]]) -> list[tuple[Lesson, Features]]:
    """The chosen few re-read with everything `lessons_for_reader` needs, in one query."""
    by_pk = {
        lesson.pk: lesson for lesson in lessons_for_reading(Lesson.objects.filter(pk__in=[r[0].pk for r in result]))
    }
    return [(by_pk[lesson.pk], features) for lesson, features in result if lesson.pk in by_pk]


def _fallback(subject: Subject, lessons) -> list[tuple[Lesson, Features]]:
    """SQLite: candidates that share a whole word, the indicator or the service, scored in Python."""
    weights = relevance.weights_for("tried")
    subject_words = list(dict.fromkeys(relevance.words(f"{subject.title} {subject.body}")))[:30]
    match = Q(pk__in=[])
    for word in subject_words:
        match |= Q(search_document__icontains=word)
    if subject.indicator_code:
        match |= Q(project__indicator__code__iexact=subject.indicator_code)
    rows = (
        lessons.filter(match)
        .annotate(structured=_structured(subject))
        .select_related("project__indicator")
        .only("pk", "service", "search_document", "project__indicator__code", "project__indicator__service")
    )
    result = []
    for lesson in rows:
        title, _, body = lesson.search_document.partition("\n")
        features = relevance.fallback_features(subject, title=title, text=body)
        features.structured = lesson.structured
        features.other_indicator = lesson.project.indicator.code if lesson.project.indicator_id else ""
        features.other_service = lesson.service
        result.append((lesson, features))
    result = [pair for pair in result if relevance.passes(pair[1], weights)]
    result.sort(key=lambda pair: (-relevance.score_of(pair[1], weights), -pair[0].pk))
    return _full(result[:CANDIDATES])

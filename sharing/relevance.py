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
from django.db.models import F, Func, Q, TextField, Value

from accounts.models import Organisation
from innovation import relevance
from innovation.models import Idea
from innovation.relevance import Features, Subject
from sharing.models import Adoption, Lesson
from sharing.queries import lessons_for_reading
from sharing.reading import LessonView, lessons_for_reader


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
    further with `thing` (an Idea, a Campaign or a text), best first, none below the threshold.

    The database returns each candidate's parts of the score (a few numbers, never its text);
    the best `limit` that pass are then read in one query, through `lessons_for_reader`."""
    subject = thing if isinstance(thing, Subject) else relevance.subject_of(thing)
    subject_words = relevance.words(f"{subject.title} {subject.body}")
    if not subject_words:
        return []
    lessons = Lesson.objects.shared().exclude(organisation=organisation)
    if isinstance(thing, Idea):  # an adopted idea: the lesson it started from is on its page already
        lessons = lessons.exclude(pk__in=Adoption.objects.filter(idea_id=thing.pk).values("lesson_id"))
    weights = relevance.weights_for("tried")
    if relevance.uses_postgres():
        scored = _postgres(subject, lessons, subject_words)
    else:
        scored = _fallback(subject, lessons, subject_words)
    kept = [(pk, features) for pk, features in scored if relevance.passes(features, weights)]
    kept.sort(key=lambda pair: (-relevance.score_of(pair[1], weights), -pair[0]))
    kept = kept[:limit]
    by_pk = {lesson.pk: lesson for lesson in lessons_for_reading(Lesson.objects.filter(pk__in=[pk for pk, _ in kept]))}
    kept = [(by_pk[pk], features) for pk, features in kept if pk in by_pk]
    views = lessons_for_reader([lesson for lesson, _ in kept], organisation)
    suggestions = []
    for view, (lesson, features) in zip(views, kept, strict=True):
        features.shared_words = relevance.shared_words(f"{subject.title} {subject.body}", lesson.search_document)
        suggestions.append(
            LessonSuggestion(view, relevance.score_of(features, weights), relevance.reasons_of(features))
        )
    return suggestions


def _structured(subject: Subject):
    return relevance.structured_case(
        subject,
        indicator="project__indicator__code",
        indicator_service="project__indicator__service",
        service="service",
    )


def _candidate_ids(subject: Subject, lessons, title_q):
    """The lessons worth scoring: those of the subject's services (its service areas', its
    indicator's and its campaign's) that share a word with its title, found by a BitmapAnd of the
    service and full-text indexes without reading the rest of the library. Others cannot reach
    the threshold without an exceptional text match. For a subject with no service (a text, a
    campaign without service areas): the lessons sharing a title word, or whose title is like
    its title (the trigram index; costly on a large library, so only where nothing narrows)."""
    lessons = lessons.order_by()
    if subject.services:
        return lessons.filter(service__in=subject.services, search_vector=title_q).values("pk")
    alike = lessons.filter(TrigramSimilar(lesson_title(), Value(subject.title))).values("pk")
    return alike.union(lessons.filter(search_vector=title_q).values("pk"))


def _postgres(subject: Subject, lessons, subject_words: list[str]) -> list[tuple[int, Features]]:
    all_q = relevance.or_query(subject_words[:30])
    title_q = relevance.or_query(relevance.words(subject.title)) or all_q
    rows = (
        Lesson.objects.filter(pk__in=_candidate_ids(subject, lessons, title_q))
        .annotate(
            rank=SearchRank(F("search_vector"), all_q),
            title_rank=SearchRank(F("search_vector"), title_q),
            trgm=TrigramSimilarity(lesson_title(), Value(subject.title)),
            structured=_structured(subject),
            indicator_code=F("project__indicator__code"),
        )
        .order_by()
        .values_list("pk", "service", "indicator_code", "rank", "title_rank", "trgm", "structured")
    )
    return [
        (
            pk,
            Features(
                structured=structured,
                other_indicator=code or "",
                other_service=service,
                rank=relevance.squash(rank),
                title_rank=relevance.squash(title_rank),
                trigram=trgm,
            ),
        )
        for pk, service, code, rank, title_rank, trgm, structured in rows
    ]


def _fallback(subject: Subject, lessons, subject_words: list[str]) -> list[tuple[int, Features]]:
    """SQLite: candidates that share a whole word, the indicator or the service, scored in Python."""
    text_match = Q(pk__in=[])
    for word in list(dict.fromkeys(subject_words))[:30]:
        text_match |= Q(search_document__icontains=word)
    rows = (
        lessons.filter(text_match)
        .annotate(structured=_structured(subject), indicator_code=F("project__indicator__code"))
        .values_list("pk", "service", "indicator_code", "structured", "search_document")
    )
    result = []
    for pk, service, code, structured, document in rows:
        title, _, body = document.partition("\n")
        features = relevance.fallback_features(subject, title=title, text=body)
        features.structured = structured
        features.other_indicator = code or ""
        features.other_service = service
        result.append((pk, features))
    return result

"""Read paths of the sector library: what a reader may find, and how it is searched.

`sharing` is Lantern's one deliberate crossing between organisations, and it crosses only
through `Lesson.objects.visible_to(organisation)`: published, not withdrawn, and either
shared beyond its organisation or the reader's own.
"""

import datetime
import math
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, User
from innovation import evidence
from innovation import queries as innovation_queries
from innovation.models import ProjectStage
from portfolio.models import Service
from sharing import redaction
from sharing.models import (
    DEFAULT_VISITS_PER_QUARTER,
    Adoption,
    Lesson,
    Outcome,
    Visibility,
    VisitCapacity,
    VisitRequest,
)
from sharing.reading import LessonView, lesson_for_reader, lessons_for_reader

SEARCH_CONFIG = "english"
# Welsh text is indexed word for word (sharing.services.lessons.search_config): a search matches
# the English text stemmed, or either language's text word for word.
WELSH_SEARCH_CONFIG = "simple"
# The library's one other order (sharing.filters.SORT_CHOICES): the strongest evidence first.
SORT_EVIDENCE = "evidence"
READING_RELATIONS = ("organisation", "author", "project", "project__evaluation", "project__indicator")


def lessons_for_reading(queryset: QuerySet) -> QuerySet:
    """A lesson queryset joined with everything `lesson_for_reader` reads, in one query."""
    return queryset.select_related(*READING_RELATIONS)


def lesson_readable_queryset(*, user: User, organisation: Organisation | None) -> QuerySet:
    """Everything one reader may open: the library's lessons, and their own drafts and withdrawn
    lessons when their role lets them see those."""
    visible = Q(pk__in=Lesson.objects.visible_to(organisation).values("pk"))
    if organisation is not None and user.has_perm("sharing.view_drafts", organisation):
        visible |= Q(organisation=organisation)
    return Lesson.objects.filter(visible)


def lesson_get_for_reader(*, user: User, organisation: Organisation | None, pk: int) -> Lesson:
    """One lesson this reader may open; anything else, including a withdrawn one, is a 404."""
    return get_object_or_404(lessons_for_reading(lesson_readable_queryset(user=user, organisation=organisation)), pk=pk)


def lesson_get_for_owner(*, organisation: Organisation, pk: int) -> Lesson:
    """One of the organisation's own lessons, at any stage, for those who write and publish them."""
    return get_object_or_404(lessons_for_reading(Lesson.objects.for_organisation(organisation)), pk=pk)


def lesson_list_for_organisation(*, user: User, organisation: Organisation) -> QuerySet:
    """The organisation's own lessons: drafts and withdrawn ones too for those who may see them."""
    lessons = Lesson.objects.for_organisation(organisation)
    if not user.has_perm("sharing.view_drafts", organisation):
        lessons = lessons.published()
    return lessons_for_reading(lessons).order_by(F("published_at").desc(nulls_first=True), "-pk")


# ---------------------------------------------------------------- search


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def _search_query(text: str) -> SearchQuery:
    """`text` as a web search, matching a lesson's English or Welsh words."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG) | SearchQuery(
        text, search_type="websearch", config=WELSH_SEARCH_CONFIG
    )


def library_search(
    *, organisation: Organisation | None, text: str = "", queryset: QuerySet | None = None, sort: str = ""
) -> QuerySet:
    """The library's lessons matching `text`, featured first, then the best matches, then newest;
    with `sort="evidence"`, the strongest level of evidence first instead of the featured (then the
    best matches, then newest), read off the lesson_library_evidence_idx index when unsearched.

    PostgreSQL ranks with the stored search vector (GIN-indexed), which holds the lesson's English
    and Welsh text; the SQLite fallback matches every word against the stored, names-removed
    search document, which holds both too.
    """
    lessons = Lesson.objects.visible_to(organisation) if queryset is None else queryset
    lead = "-evidence_level" if sort == SORT_EVIDENCE else "-featured"
    text = " ".join(text.split())[:200]
    if not text:
        return lessons.order_by(lead, "-published_at", "-pk")
    if uses_full_text():
        query = _search_query(text)
        return (
            lessons.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by(lead, "-rank", "-published_at", "-pk")
        )
    for word in text.split():
        lessons = lessons.filter(search_document__icontains=word)
    return lessons.order_by(lead, "-published_at", "-pk")


@dataclass(frozen=True)
class ResultPage:
    """One page of library results, with the total, for the pager."""

    object_list: list
    number: int
    count: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


# No library has a millionth page; a larger number asked for is the last page, as one past the
# end is, and never an OFFSET beyond what the database's integers hold (a server error).
LAST_PAGE_ASKED = 1_000_000


def _page_number(page: str | None) -> int:
    """The page asked for, from 1: the first for anything but ASCII digits ("²" is a digit to
    str.isdigit but not to int), and at most LAST_PAGE_ASKED."""
    if not page or not page.isascii() or not page.isdigit():
        return 1
    return max(1, min(int(page), LAST_PAGE_ASKED))


def library_page(queryset: QuerySet, page: str | None, per_page: int = 20, *, searched: bool = True) -> ResultPage:
    """One page of `queryset` with the total, in a fixed number of queries whatever the size of
    the library.

    For a search, the first ranks the matches and returns only the page's ids, with the total
    riding on each row as COUNT(*) OVER (), so the matches are searched once and nothing is
    joined for rows that are not shown. Unsearched (`searched=False`), the page's ids are read
    off the library's index and the total counted apart, from the index alone: cheaper than a
    window over every lesson. The last query fetches those few lessons with everything a
    result shows.
    """
    number = _page_number(page)

    def ids_of(number: int) -> list[tuple[int, int]]:
        start = (number - 1) * per_page
        if not searched:
            return [(pk, None) for pk in queryset.values_list("pk", flat=True)[start : start + per_page]]
        return list(queryset.annotate(total_count=Window(Count("pk"))).values_list("pk", "total_count")[
            start : start + per_page
        ])  # fmt: skip

    found = ids_of(number)
    if found and searched:
        total = found[0][1]
    else:
        total = queryset.count()
        if total and number > 1:  # past the end: show the last page, as Django's get_page does
            number = math.ceil(total / per_page)
            found = ids_of(number)
    by_id = {lesson.pk: lesson for lesson in lessons_for_reading(Lesson.objects.filter(pk__in=[pk for pk, _ in found]))}
    rows = [by_id[pk] for pk, _ in found]
    return ResultPage(object_list=rows, number=number, count=total, per_page=per_page)


def lessons_similar_to(text: str, exclude_organisation: Organisation | None, limit: int = 3) -> list[LessonView]:
    """ "Tried elsewhere" (R7): the published lessons of OTHER organisations closest to `text`.

    Any word of the text may match (an idea's words rarely all appear in one lesson); the
    best ranked come first. Read as `exclude_organisation` would read them.
    """
    lessons = Lesson.objects.shared()
    if exclude_organisation is not None:
        lessons = lessons.exclude(organisation=exclude_organisation)
    words = [w for w in "".join(c if c.isalnum() else " " for c in text or "").split() if len(w) > 3][:30]
    if not words:
        return []
    if uses_full_text():
        query = _search_query(" OR ".join(words))
        lessons = (
            lessons.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at")
        )
    else:
        match = Q()
        for word in words:
            match |= Q(search_document__icontains=word)
        lessons = lessons.filter(match).order_by("-published_at")
    return lessons_for_reader(lessons_for_reading(lessons)[:limit], exclude_organisation)


def lessons_recent_for_reader(*, organisation: Organisation, limit: int = 5) -> list[LessonView]:
    """The most recently published lessons the organisation may read, own and others', newest first,
    each as `lesson_for_reader` shows it (anonymised ones without the organisation or the people)."""
    lessons = lessons_for_reading(Lesson.objects.visible_to(organisation)).order_by("-published_at", "-pk")
    return lessons_for_reader(lessons[:limit], organisation)


# ---------------------------------------------------------------- adoptions and visits


@dataclass(frozen=True)
class AdoptionView:
    organisation_name: str
    what_changed: str
    adopted_on: object
    # Only what the adopter published, as a lesson of its own this reader may read with its name:
    # never an evaluation the adopter has kept to itself.
    outcome_label: str | None
    lesson_url: str | None


NOT_NAMED = gettext_lazy("An organisation that has not asked to be named here")


def lesson_adoptions(*, lesson: Lesson, reader: Organisation | None) -> list[AdoptionView]:
    """Who adopted a lesson, what they changed and how it went, as `reader` (None: not signed in)
    may see it.

    Signed-in readers are all in the sector and see who adopted it; people who are not signed in
    see an adopter's name only with its consent (`Adoption.named_publicly`), and otherwise what it
    changed with its name taken out. How it went is shown only once the adopter has published it:
    a lesson from the adopted idea's project that the reader may read, and not anonymised to them
    (else the adopter's name beside the outcome would name the anonymised lesson's host).
    """
    adoptions = list(
        Adoption.objects.filter(lesson=lesson).select_related("organisation", "adopted_by", "idea__project")
    )
    published = {}
    own = lessons_for_reading(
        Lesson.objects.visible_to(reader).filter(project__idea__adoption__in=[a.pk for a in adoptions])
    ).order_by("published_at", "pk")
    for adopter_lesson in own:
        if not lesson_for_reader(adopter_lesson, reader).is_anonymised:
            published[adopter_lesson.project_id] = adopter_lesson  # the newest wins
    views = []
    for adoption in adoptions:
        named = reader is not None or adoption.named_publicly
        what_changed = adoption.what_changed
        if not named:
            adopter = redaction.Redactor(
                organisation_name=adoption.organisation.name,
                ons_code=adoption.organisation.ons_code,
                people=[redaction.Person(adoption.adopted_by.full_name, adoption.adopted_by.email)],
            )
            what_changed = adopter(what_changed)
        project = getattr(adoption.idea, "project", None)
        adopter_lesson = published.get(project.pk) if project is not None else None
        views.append(
            AdoptionView(
                organisation_name=adoption.organisation.name if named else NOT_NAMED,
                what_changed=what_changed,
                adopted_on=adoption.created_at,
                outcome_label=adopter_lesson.get_outcome_display() if adopter_lesson else None,
                lesson_url=adopter_lesson.get_absolute_url() if adopter_lesson and named else None,
            )
        )
    return views


def visit_requests_hosted(*, organisation: Organisation) -> QuerySet:
    return VisitRequest.objects.for_organisation(organisation).select_related(
        "lesson", "requester", "requester_organisation"
    )


def visit_requests_made(*, organisation: Organisation) -> QuerySet:
    return VisitRequest.objects.filter(requester_organisation=organisation).select_related(
        "requester", *(f"lesson__{relation}" for relation in READING_RELATIONS)
    )


def visit_request_get_for_host(*, organisation: Organisation, pk: int) -> VisitRequest:
    return get_object_or_404(visit_requests_hosted(organisation=organisation), pk=pk)


# ---------------------------------------------------------------- sector figures


def sector_figures() -> dict:
    """The sector's figures from shared lessons only: no organisation's private data (R15, R17)."""
    shared = Lesson.objects.shared()
    counts = {
        (row["service"], row["outcome"]): row["count"]
        for row in shared.values("service", "outcome").annotate(count=Count("pk"))
    }
    by_service_outcome = [
        {"service": label, "counts": [counts.get((value, outcome), 0) for outcome in Outcome.values]}
        for value, label in Service.choices
        if any(counts.get((value, outcome)) for outcome in Outcome.values)
    ]
    kinds = dict(Organisation.Kind.choices)
    by_kind = [
        {"kind": kinds.get(row["organisation__kind"], row["organisation__kind"]), "count": row["count"]}
        for row in shared.values("organisation__kind").annotate(count=Count("pk")).order_by("organisation__kind")
    ]
    return {
        "by_service_outcome": by_service_outcome,
        "by_kind": by_kind,
        "lessons": shared.count(),
        "adoptions": Adoption.objects.filter(lesson__in=shared).count(),
        "featured": shared.filter(featured=True).count(),
        "anonymised": shared.filter(visibility=Visibility.ANONYMISED).count(),
        "outcome_labels": Outcome.labels,
    }


# ---------------------------------------------------------------- writing lessons, visits


def lesson_project_problems(project) -> list[str]:
    """Why a lesson cannot yet be written from this project; empty when it can."""
    finished = project.stage in {ProjectStage.CLOSED, ProjectStage.ABANDONED}
    evaluated = evaluation_of(project) is not None
    if finished or (project.stage == ProjectStage.EVALUATION and evaluated):
        if project.stage == ProjectStage.CLOSED and not evaluated:
            return [_("Record the project’s evaluation before writing its lessons.")]
        return []
    return [_("Lessons are written from a project that has been evaluated, closed or abandoned.")]


def evaluation_of(project):
    """The project's evaluation, or None before it has one."""
    try:
        return project.evaluation
    except ObjectDoesNotExist:
        return None


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def visits_per_quarter(organisation: Organisation) -> int:
    capacity = VisitCapacity.objects.filter(organisation=organisation).first()
    return DEFAULT_VISITS_PER_QUARTER if capacity is None else capacity.visits_per_quarter


def visit_places_left(organisation: Organisation, day: datetime.date | None = None) -> int:
    """The individual visits the host can still take this quarter, as the host counts them: every request."""
    day = day or timezone.localdate()
    taken = VisitRequest.objects.for_organisation(organisation).counted_in_quarter(quarter_start(day)).count()
    return max(visits_per_quarter(organisation) - taken, 0)


def visit_places_shown(organisation: Organisation, day: datetime.date | None = None) -> int:
    """The places visitors to the host's named lessons are shown, and held to: requests made on its
    anonymised lessons are left out (see VisitRequest.brokered), so asking to visit an anonymised
    lesson never changes what a named lesson's page says."""
    day = day or timezone.localdate()
    taken = (
        VisitRequest.objects.for_organisation(organisation)
        .counted_in_quarter(quarter_start(day))
        .not_brokered()
        .count()
    )
    return max(visits_per_quarter(organisation) - taken, 0)


def adoption_refusal(*, lesson: Lesson, organisation: Organisation) -> str | None:
    """Why `organisation`'s gate refuses to adopt `lesson` on its evidence, or None."""
    return evidence.gate_refusal(
        reached=lesson.evidence_level,
        needed=innovation_queries.evidence_gates_of(organisation).adoption_level,
        whose="This lesson’s",
        doing="adopting another organisation’s practice",
    )

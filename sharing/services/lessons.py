"""Writing, publishing, withdrawing and featuring lessons, and keeping their search text current.

Managers write lessons and publish them inside their organisation; admins publish them
to the sector, anonymised or to the public; withdrawing one takes it out of every page,
search, feed and email at once, because every read path filters on `withdrawn_at`.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, bilingual, languages, notices
from accounts.bilingual import Language
from accounts.models import Organisation, Role, User
from sharing import reading
from sharing.models import SHARED_VISIBILITIES, CostBand, Lesson, NoticeKind, Outcome, Visibility
from sharing.queries import evaluation_of, lesson_project_problems
from sharing.reading import Redactions, redact_for_search, redact_translation_for_search
from sharing.services.base import SharingError, _people_of

SEARCH_CONFIG = "english"
# Welsh has no stemmer in PostgreSQL: Welsh text is indexed, and searched, word for word.
WELSH_SEARCH_CONFIG = "simple"
# Between the text as written and its other language in `search_document` (never in either: see _plain).
LANGUAGE_BREAK = "\f"
LESSON_TEXT_FIELDS = (
    "title",
    "summary",
    "service",
    "tried",
    "happened",
    "worked",
    "did_not_work",
    "to_repeat",
    "costs_and_results",
    "contact_name",
    "contact_email",
    "language",
    *Lesson.bilingual.translation_fields(),
)


def search_config(language: str) -> str:
    """The text search configuration for text in `language`."""
    return WELSH_SEARCH_CONFIG if language == Language.WELSH else SEARCH_CONFIG


def _plain(text: str) -> str:
    return text.replace(LANGUAGE_BREAK, " ")


def _facts_from_project(project) -> dict:
    """Outcome, transferability, level of evidence, cost band and people, taken from the project and its evaluation."""
    evaluation = evaluation_of(project)
    if evaluation is not None:
        outcome = evaluation.outcome
        transferability = evaluation.transferability
        evidence_level = evaluation.evidence_level or 0
        cost = evaluation.actual_one_off_cost + evaluation.actual_running_cost
    else:
        # Abandoned before it was evaluated: it did not succeed, and that is worth knowing.
        outcome, transferability, cost = Outcome.DID_NOT_SUCCEED, None, project.spend_to_date
        evidence_level = 0
    people = [project.owner.full_name]
    if project.sponsor_id:
        people.append(project.sponsor.full_name)
    people += [member.name for member in project.team.all()]
    return {
        "outcome": outcome,
        "transferability": transferability,
        "evidence_level": evidence_level,
        "cost_band": CostBand.for_amount(cost),
        "people_named": sorted({p for p in people if p}),
    }


READING = ("organisation", "author", "project", "project__evaluation", "project__indicator")


def _refresh_search(lesson: Lesson) -> None:
    """Rebuilds the lesson's search text from its names-removed words (see Lesson.search_vector):
    the text as written, then, after LANGUAGE_BREAK, its text in the other language if it has
    some; on PostgreSQL each in its own language's configuration, titles weighted above bodies."""
    redactions = Redactions()
    title, body = (_plain(text) for text in redact_for_search(lesson, redactions))
    other_title, other_body = (_plain(text) for text in redact_translation_for_search(lesson, redactions))
    lesson.search_document = f"{title}\n{body}"
    if other_title or other_body:
        lesson.search_document += f"{LANGUAGE_BREAK}{other_title}\n{other_body}"
    Lesson.objects.filter(pk=lesson.pk).update(search_document=lesson.search_document)
    if connection.vendor == "postgresql":
        written, other = search_config(lesson.language), search_config(bilingual.other(lesson.language))
        vector = SearchVector(Value(title), weight="A", config=written) + SearchVector(
            Value(body), weight="B", config=written
        )
        if other_title or other_body:
            vector += SearchVector(Value(other_title), weight="A", config=other) + SearchVector(
                Value(other_body), weight="B", config=other
            )
        Lesson.objects.filter(pk=lesson.pk).update(search_vector=vector)


# The text as written, then (after the form feed, if any) its other language, each in its own
# language's configuration; in each, the first line is the title, weighted above the body.
WRITTEN = "(CASE WHEN language = 'cy' THEN %(welsh)s ELSE %(english)s END)::regconfig"
OTHER = "(CASE WHEN language = 'cy' THEN %(english)s ELSE %(welsh)s END)::regconfig"
# Only the constants above are formatted in; the configurations are parameters.
REINDEX_SQL = (
    "WITH parts AS (SELECT id, split_part(search_document, E'\\f', 1) AS main, "  # noqa: S608
    "split_part(search_document, E'\\f', 2) AS other FROM sharing_lesson) "
    "UPDATE sharing_lesson SET search_vector = "
    f"setweight(to_tsvector({WRITTEN}, split_part(parts.main, E'\\n', 1)), 'A') || "
    f"setweight(to_tsvector({WRITTEN}, substr(parts.main, strpos(parts.main, E'\\n') + 1)), 'B') || "
    f"setweight(to_tsvector({OTHER}, split_part(parts.other, E'\\n', 1)), 'A') || "
    f"setweight(to_tsvector({OTHER}, substr(parts.other, strpos(parts.other, E'\\n') + 1)), 'B') "
    "FROM parts WHERE parts.id = sharing_lesson.id"
)


def lesson_search_reindex() -> int:
    """Rebuilds every lesson's search vector from its stored, names-removed search document
    (PostgreSQL only): after a bulk load, or a change of text search configuration."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(REINDEX_SQL, {"english": SEARCH_CONFIG, "welsh": WELSH_SEARCH_CONFIG})
        return cursor.rowcount


@transaction.atomic
def lesson_create(*, actor: User, project, **fields) -> Lesson:
    """A manager writes the lessons of an evaluated, closed or abandoned project, as a draft."""
    organisation = project.organisation
    access.require(actor, "sharing.write_lesson", organisation)
    problems = lesson_project_problems(project)
    if problems:
        raise SharingError(problems[0])
    unknown = set(fields) - set(LESSON_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected lesson fields: {sorted(unknown)}")
    lesson = Lesson(organisation=organisation, project=project, author=actor, **fields, **_facts_from_project(project))
    lesson._history_user = actor
    lesson.full_clean(exclude=["search_vector"])
    lesson.save()
    _refresh_search(lesson)
    return lesson


@transaction.atomic
def lesson_update(*, actor: User, lesson: Lesson, **fields) -> Lesson:
    """Changes a lesson's words; its outcome and figures follow the project's evaluation.

    If the lesson is anonymised to outsiders (whatever its visibility now) and the edit changes
    what other organisations would read, it is withheld from them until an admin checks the new
    preview, and the admins are told.
    """
    access.require(actor, "sharing.write_lesson", lesson.organisation)
    unknown = set(fields) - set(LESSON_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected lesson fields: {sorted(unknown)}")
    lesson = Lesson.objects.select_for_update(of=("self",)).select_related(*READING).get(pk=lesson.pk)
    for name, value in {**fields, **_facts_from_project(lesson.project)}.items():
        setattr(lesson, name, value)
    needs_check = (
        lesson.is_anonymised_to_outsiders
        and lesson.anonymised_checked_at is not None
        and reading.preview_digest(reading.anonymised_preview(lesson)) != lesson.anonymised_checked_digest
    )
    if needs_check:
        lesson.anonymised_checked_at = None
        lesson.anonymised_checked_by = None
        lesson.anonymised_checked_digest = ""
    lesson._history_user = actor
    lesson.full_clean(exclude=["search_vector"])
    lesson.save()
    _refresh_search(lesson)
    if needs_check and lesson.is_published:
        link = notices.absolute_url("sharing:lesson-publish-anonymised", lesson.pk)
        for admin in _people_of(lesson.organisation, [Role.ADMIN]):
            if admin.pk == actor.pk:
                continue
            with languages.in_language_of(admin, lesson.organisation):
                notices.notice_send(
                    user=admin,
                    organisation=lesson.organisation,
                    kind=NoticeKind.LESSON_CHECK,
                    subject=_("Check an anonymised lesson again: %(title)s") % {"title": lesson.title},
                    body=_(
                        "%(name)s has changed “%(title)s”, which your organisation shares anonymously. "
                        "Other organisations will not see it until an admin checks the preview of what they would "
                        "read and confirms it: %(link)s"
                    )
                    % {"name": actor.full_name, "title": lesson.title, "link": link}
                    + "\n",
                    url=link,
                )
    return lesson


@transaction.atomic
def lesson_publish(*, actor: User, lesson: Lesson, visibility: str, checked_preview: str = "") -> Lesson:
    """Publishes a lesson at a visibility: managers inside the organisation, admins beyond it.

    Anonymised, or to the sector or public once it has been anonymised (other organisations then
    still read it anonymised), only with `checked_preview`: the fingerprint of the preview the
    admin checked (reading.lesson_preview), which must still be what other organisations would read.
    """
    if visibility not in Visibility.values:
        raise SharingError(_("Select who can read the lesson."))
    perm = "sharing.publish_internally" if visibility == Visibility.INTERNAL else "sharing.publish_beyond"
    access.require(actor, perm, lesson.organisation)
    lesson = Lesson.objects.select_for_update(of=("self",)).select_related(*READING).get(pk=lesson.pk)
    if lesson.needs_anonymised_check_at(visibility):
        if not checked_preview:
            if visibility == Visibility.ANONYMISED:
                raise SharingError(
                    _(
                        "Check the preview of what other organisations will see, and confirm it, before publishing anonymously."  # noqa: E501
                    )
                )
            raise SharingError(
                _(
                    "The lesson was published anonymously, so other organisations still read it without your "
                    "name. Check the preview of what they will see, and confirm it, before publishing."
                )
            )
        if checked_preview != reading.preview_digest(reading.anonymised_preview(lesson)):
            raise SharingError(_("The lesson has changed since you checked the preview. Check the preview again."))
        lesson.anonymised_checked_at = timezone.now()
        lesson.anonymised_checked_by = actor
        lesson.anonymised_checked_digest = checked_preview
    else:
        lesson.anonymised_checked_at = None
        lesson.anonymised_checked_by = None
        lesson.anonymised_checked_digest = ""
    lesson.visibility = visibility
    lesson.published_at = timezone.now()
    lesson.published_by = actor
    lesson.withdrawn_at = None
    lesson.withdrawn_reason = ""
    if visibility == Visibility.ANONYMISED and lesson.anonymised_at is None:
        lesson.anonymised_at = lesson.published_at  # never cleared: see Lesson.is_anonymised_to_outsiders
    if visibility not in SHARED_VISIBILITIES:
        lesson.featured = False
    lesson._history_user = actor
    lesson.save()
    _refresh_search(lesson)  # the organisation's people may have changed since it was written
    return lesson


@transaction.atomic
def lesson_withdraw(*, actor: User, lesson: Lesson, reason: str) -> Lesson:
    """Takes a lesson out of every page, search, feed and email at once."""
    access.require(actor, "sharing.withdraw_lesson", lesson.organisation)
    if not reason.strip():
        raise SharingError(_("Enter why the lesson is being withdrawn."))
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    lesson.withdrawn_at = timezone.now()
    lesson.withdrawn_reason = reason.strip()
    lesson.featured = False
    lesson._history_user = actor
    lesson.save()
    return lesson


@transaction.atomic
def lesson_feature(*, actor: User, organisation: Organisation, lesson: Lesson, reason: str) -> Lesson:
    """A curator of a sector body features a shared lesson and says why (R17)."""
    access.require(actor, "sharing.feature_lesson", organisation)
    if not Lesson.objects.shared().filter(pk=lesson.pk).exists():
        raise SharingError(_("Only lessons shared with the sector can be featured."))
    if not reason.strip():
        raise SharingError(_("Enter why you are featuring this lesson."))
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    newly = not lesson.featured
    lesson.featured = True
    lesson.featured_reason = reason.strip()
    lesson.featured_by = actor
    lesson.featured_at = timezone.now()
    lesson._history_user = actor
    lesson.save()
    if newly:
        _featured_tell(lesson=lesson, by=organisation)
    return lesson


def _featured_tell(*, lesson: Lesson, by: Organisation) -> None:
    """Tells the lesson's author and its organisation's admins that a sector body features it."""
    people = {person.pk: person for person in _people_of(lesson.organisation, [Role.ADMIN])}
    # The author only while they still work there: the notice is theirs in that organisation.
    author = _people_of(lesson.organisation, Role.values)
    people.update({person.pk: person for person in author if person.pk == lesson.author_id})
    for person in people.values():
        with languages.in_language_of(person, lesson.organisation):
            notices.notice_send(
                user=person,
                organisation=lesson.organisation,
                kind=NoticeKind.LESSON_FEATURED,
                subject=_("Your lesson “%(title)s” is featured") % {"title": lesson.title},
                body=_("%(organisation)s features your organisation's lesson “%(title)s” for the sector, because:")
                % {"organisation": by.name, "title": lesson.title}
                + f"\n\n{lesson.featured_reason}",
                url=notices.absolute_url("sharing:lesson-detail", lesson.pk),
            )


@transaction.atomic
def lesson_unfeature(*, actor: User, organisation: Organisation, lesson: Lesson) -> Lesson:
    access.require(actor, "sharing.feature_lesson", organisation)
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    lesson.featured = False
    lesson.featured_reason = ""
    lesson._history_user = actor
    lesson.save()
    return lesson


def lessons_follow_evaluation(*, actor: User, evaluation) -> None:
    """The lessons already written from an evaluated project carry the level of evidence its
    evaluation now records (registered with innovation's evaluation follow-ups)."""
    level = evaluation.evidence_level or 0
    for lesson in Lesson.objects.filter(project_id=evaluation.project_id).exclude(evidence_level=level):
        lesson.evidence_level = level
        lesson._history_user = actor
        lesson.save(update_fields=["evidence_level", "updated_at"])

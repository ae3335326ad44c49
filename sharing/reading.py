"""The one place a lesson is turned into what a particular reader may see.

Every page, list, search result, feed, email and export reads a lesson through
`lesson_for_reader`; none of them touches a `Lesson` row's fields directly. For an
anonymised lesson read from outside its organisation (anonymised now, or at any time
before: `Lesson.is_anonymised_to_outsiders`), the view it returns simply has no
organisation, no people and no contact in it, and the organisation's and people's names
are removed from every piece of text, so no template can show what was removed.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from accounts.models import Organisation
from accounts.regions import authorities_by_kind_and_region
from sharing.markdown import render_markdown
from sharing.models import Lesson, Visibility

REMOVED = "[removed]"
EMAIL_REMOVED = "[email address removed]"
PHONE_REMOVED = "[phone number removed]"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
# UK telephone numbers as people write them: 01632 960123, +44 (0)1632 960 123, 07700 900123.
_PHONE = re.compile(r"(?<!\w)(\+44\s?(\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?!\w)")
# Words that name the kind of authority rather than the authority itself.
_AUTHORITY_WORDS = re.compile(
    r"\b(the\s+)?(london\s+borough\s+of|royal\s+borough\s+of|city\s+of|county\s+of|"
    r"metropolitan\s+borough\s+council|borough\s+council|district\s+council|county\s+council|"
    r"city\s+council|council|fire\s+and\s+rescue\s+authority|fire\s+and\s+rescue\s+service|"
    r"combined\s+authority|authority)\b",
    re.IGNORECASE,
)

# An anonymised lesson shows its host's kind; it shows (and is found by) the host's region only
# where England and Wales have at least this many authorities of that kind in that region,
# so that kind and region together never narrow it to a handful of councils (there is one
# county council in Yorkshire and The Humber, and two in the North West).
ANONYMISED_REGION_MIN_AUTHORITIES = 5

SECTIONS = [
    ("tried", "What was tried"),
    ("happened", "What happened"),
    ("worked", "What worked"),
    ("did_not_work", "What did not work, and why"),
    ("to_repeat", "What another authority would need to repeat it"),
    ("costs_and_results", "Costs and results"),
]


def organisation_name_variants(name: str) -> list[str]:
    """The ways people write an authority's name: "Ashby Vale District Council", "Ashby Vale"."""
    variants = {name.strip()}
    core = " ".join(_AUTHORITY_WORDS.sub(" ", name).split())
    if len(core) >= 3:
        variants.add(core)
    return sorted(variants, key=len, reverse=True)


def person_name_variants(name: str) -> list[str]:
    name = " ".join(name.split())
    return [name] if len(name) >= 3 else []


def redact(text: str, *, organisation_names: list[str], people: list[str]) -> str:
    """The text with the named organisation and people, email addresses and phone numbers removed."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL_REMOVED, text)
    text = _PHONE.sub(PHONE_REMOVED, text)
    for term in organisation_names + people:
        text = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", REMOVED, text, flags=re.IGNORECASE)
    # A person's first or last name alone, where it is written as a name (capitalised).
    for person in people:
        for part in person.split():
            if len(part) >= 3 and part[0].isupper():
                text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", REMOVED, text)
    return text


def region_may_be_shown(*, kind: str, region: str) -> bool:
    """Whether an anonymised lesson of an authority of `kind` in `region` may show the region."""
    return authorities_by_kind_and_region()[(kind, region)] >= ANONYMISED_REGION_MIN_AUTHORITIES


def redaction_terms(lesson: Lesson) -> tuple[list[str], list[str]]:
    """Whose names an anonymised lesson must not show: the organisation's, and its people's."""
    organisation_names = organisation_name_variants(lesson.organisation.name)
    people = []
    for name in [lesson.author.full_name, lesson.contact_name, *lesson.people_named]:
        people.extend(person_name_variants(name or ""))
    return organisation_names, sorted(set(people), key=len, reverse=True)


def redact_for_search(lesson: Lesson) -> tuple[str, str]:
    """(title, body) as the search index holds them: names removed whatever the visibility."""
    organisation_names, people = redaction_terms(lesson)
    body = "\n".join([lesson.summary, *(getattr(lesson, name) for name, _ in SECTIONS)])
    return (
        redact(lesson.title, organisation_names=organisation_names, people=people),
        redact(body, organisation_names=organisation_names, people=people),
    )


@dataclass(frozen=True)
class Section:
    heading: str
    html: SafeString


@dataclass(frozen=True)
class EvaluationFigures:
    outcome_label: str
    actual_one_off_cost: Decimal
    actual_running_cost: Decimal
    actual_benefit: Decimal
    indicator_before: Decimal | None
    indicator_after: Decimal | None
    indicator_change: Decimal | None
    transferability: int
    transferability_reasons: str
    value_for_money: str


@dataclass(frozen=True)
class IndicatorLink:
    code: str
    name: str
    unit: str
    url: str


@dataclass(frozen=True)
class LessonView:
    """A lesson as one reader may see it. Read-only; built only by `lesson_for_reader`."""

    pk: int
    url: str
    title: str
    summary: str
    service_label: str
    service: str
    outcome: str
    outcome_label: str
    transferability: int | None
    cost_band_label: str
    visibility: str
    visibility_label: str
    is_anonymised: bool
    is_own: bool
    published_at: object
    featured: bool
    featured_reason: str
    organisation_kind_label: str
    # Blank when the host has no region, or the lesson is anonymised and the region would narrow it down.
    region_label: str
    organisation_name: str | None
    organisation_id: int | None
    author_name: str | None
    contact_name: str | None
    contact_email: str | None
    project_title: str | None
    project_url: str | None
    indicator: IndicatorLink | None = None
    evaluation: EvaluationFigures | None = None
    # The sections' Markdown, already redacted; rendered to HTML the first time a page asks
    # for `sections`, so that lists and feeds never pay for it.
    section_markdown: tuple[tuple[str, str], ...] = ()

    @cached_property
    def sections(self) -> list[Section]:
        return [Section(heading, render_markdown(text)) for heading, text in self.section_markdown]

    @property
    def host_label(self) -> str:
        return self.organisation_name or f"An anonymised {self.organisation_kind_label.lower()}"


def lesson_for_reader(lesson: Lesson, reader_org: Organisation | None) -> LessonView:
    """What someone working in `reader_org` (None: not signed in) may see of `lesson`.

    Callers select_related organisation, author, project, project__evaluation and
    project__indicator (queries.lessons_for_reading does) so that a page of lessons costs
    one query.
    """
    is_own = reader_org is not None and lesson.organisation_id == reader_org.pk
    # Once anonymised, always anonymous to outsiders: a lesson since made internal, withdrawn
    # or published with its name still reaches other organisations through their visit
    # requests, emails and adoptions, and each of those reads it here.
    anonymised = lesson.is_anonymised_to_outsiders and not is_own
    if anonymised:
        organisation_names, people = redaction_terms(lesson)

        def clean(text: str) -> str:
            return redact(text, organisation_names=organisation_names, people=people)

    else:

        def clean(text: str) -> str:
            return text

    host = lesson.organisation
    region_shown = bool(host.region) and (not anonymised or region_may_be_shown(kind=host.kind, region=host.region))
    project = lesson.project
    try:
        evaluation = project.evaluation
    except ObjectDoesNotExist:
        evaluation = None
    figures = None
    if evaluation is not None:
        figures = EvaluationFigures(
            outcome_label=evaluation.get_outcome_display(),
            actual_one_off_cost=evaluation.actual_one_off_cost,
            actual_running_cost=evaluation.actual_running_cost,
            actual_benefit=evaluation.actual_benefit,
            indicator_before=evaluation.indicator_before,
            indicator_after=evaluation.indicator_after,
            indicator_change=evaluation.indicator_change,
            transferability=evaluation.transferability,
            transferability_reasons=clean(evaluation.transferability_reasons),
            value_for_money=clean(evaluation.value_for_money),
        )
    indicator = None
    if project.indicator_id is not None:
        ind = project.indicator
        indicator = IndicatorLink(code=ind.code, name=ind.name, unit=ind.unit, url=ind.get_absolute_url())
    return LessonView(
        pk=lesson.pk,
        url=reverse("sharing:lesson-detail", args=[lesson.pk]),
        title=clean(lesson.title),
        summary=clean(lesson.summary),
        service=lesson.service,
        service_label=lesson.get_service_display(),
        outcome=lesson.outcome,
        outcome_label=lesson.get_outcome_display(),
        transferability=lesson.transferability,
        cost_band_label=lesson.get_cost_band_display(),
        visibility=Visibility.ANONYMISED if anonymised else lesson.visibility,
        visibility_label=(Visibility.ANONYMISED.label if anonymised else lesson.get_visibility_display()).split(":")[0],
        is_anonymised=anonymised,
        is_own=is_own,
        published_at=lesson.published_at,
        featured=lesson.featured,
        featured_reason=clean(lesson.featured_reason),
        organisation_kind_label=lesson.organisation.get_kind_display(),
        region_label=host.get_region_display() if region_shown else "",
        organisation_name=None if anonymised else lesson.organisation.name,
        organisation_id=None if anonymised else lesson.organisation_id,
        author_name=None if anonymised else lesson.author.full_name,
        contact_name=None if anonymised else (lesson.contact_name or None),
        contact_email=None if anonymised else (lesson.contact_email or None),
        project_title=project.title if is_own else None,
        project_url=_project_url(project) if is_own else None,
        section_markdown=tuple(
            (heading, clean(getattr(lesson, name))) for name, heading in SECTIONS if getattr(lesson, name).strip()
        ),
        indicator=indicator,
        evaluation=figures,
    )


def _project_url(project) -> str | None:
    try:
        return project.get_absolute_url()
    except NoReverseMatch:  # the project pages are innovation's; absent while it is being built
        return None

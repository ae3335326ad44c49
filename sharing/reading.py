"""The one place a lesson is turned into what a particular reader may see.

Every page, list, search result, feed, email and export reads a lesson through
`lesson_for_reader`; none of them touches a `Lesson` row's fields directly. For an
anonymised lesson read from outside its organisation (anonymised now, or at any time
before: `Lesson.is_anonymised_to_outsiders`), the view it returns simply has no
organisation, no people and no contact in it, and the organisation's and people's names
are removed from every piece of text, so no template can show what was removed.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts import bilingual
from accounts.models import Membership, Organisation
from accounts.regions import authorities_by_kind_and_region
from innovation import evidence
from sharing import redaction
from sharing.markdown import render_markdown
from sharing.models import Lesson, Visibility

REMOVED = redaction.REMOVED

# An anonymised lesson shows its host's kind; it shows (and is found by) the host's region only
# where England and Wales have at least this many authorities of that kind in that region,
# so that kind and region together never narrow it to a handful of councils (there is one
# county council in Yorkshire and The Humber, and two in the North West).
ANONYMISED_REGION_MIN_AUTHORITIES = 5

# In English: each reader sees them in their own language (_view), the fingerprint in English (preview_digest).
SECTIONS = [
    ("tried", gettext_noop("What was tried")),
    ("happened", gettext_noop("What happened")),
    ("worked", gettext_noop("What worked")),
    ("did_not_work", gettext_noop("What did not work, and why")),
    ("to_repeat", gettext_noop("What another authority would need to repeat it")),
    ("costs_and_results", gettext_noop("Costs and results")),
]


def region_may_be_shown(*, kind: str, region: str) -> bool:
    """Whether an anonymised lesson of an authority of `kind` in `region` may show the region."""
    return authorities_by_kind_and_region()[(kind, region)] >= ANONYMISED_REGION_MIN_AUTHORITIES


class Redactions:
    """The redactors of the organisations behind a batch of lessons.

    Every person who has ever belonged to an organisation is removed from its anonymised
    lessons, so each organisation's people are read once per batch (one query for all the
    organisations of a page), never once per lesson.
    """

    def __init__(self) -> None:
        self._by_organisation: dict[int, redaction.Redactor] = {}

    def load(self, organisations: Iterable[Organisation]) -> "Redactions":
        missing = {o.pk: o for o in organisations if o.pk not in self._by_organisation}
        if missing:
            people = defaultdict(list)
            # Active or not: someone who has left is still named in what they wrote.
            rows = Membership.objects.filter(organisation_id__in=missing).values_list(
                "organisation_id", "user__full_name", "user__email"
            )
            for organisation_id, name, email in rows:
                people[organisation_id].append(redaction.Person(name or "", email or ""))
            for pk, organisation in missing.items():
                self._by_organisation[pk] = redaction.Redactor(
                    organisation_name=organisation.name, ons_code=organisation.ons_code, people=people[pk]
                )
        return self

    def for_lesson(self, lesson: Lesson) -> Callable[[str], str]:
        """A function that removes the lesson's organisation, its people and the lesson's own."""
        self.load([lesson.organisation])
        redactor = redaction.with_domains(self._by_organisation[lesson.organisation_id], [lesson.contact_email])
        extra = [lesson.author.full_name, lesson.contact_name, *(lesson.people_named or [])]
        return lambda text: redactor(text, extra_people=extra)


def redact_for_search(lesson: Lesson, redactions: Redactions | None = None) -> tuple[str, str]:
    """(title, body) as the search index holds them: names removed whatever the visibility."""
    clean = (redactions or Redactions()).for_lesson(lesson)
    body = "\n".join([lesson.summary, *(getattr(lesson, name) for name, _ in SECTIONS)])
    return clean(lesson.title), clean(body)


def redact_translation_for_search(lesson: Lesson, redactions: Redactions | None = None) -> tuple[str, str]:
    """(title, body) of the lesson's text in its other language, names removed; blank when it has none."""
    suffix = bilingual.SUFFIX
    texts = [getattr(lesson, "summary" + suffix), *(getattr(lesson, name + suffix) for name, _ in SECTIONS)]
    if not lesson.title_translation.strip() and not any(text.strip() for text in texts):
        return "", ""
    clean = (redactions or Redactions()).for_lesson(lesson)
    return clean(lesson.title_translation), clean("\n".join(texts))


@dataclass(frozen=True)
class Section:
    heading: str
    html: SafeString
    # The HTML lang of the section's text (accounts.bilingual).
    lang: str = "en"


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
    evidence_support: str = ""
    evidence_comparison: str = ""
    evidence_evaluator: str = ""


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
    # The evaluation's level of evidence as the lesson carries it (0: none recorded).
    evidence_level: int
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
    # The language of the title, summary and sections shown (accounts.bilingual), their HTML lang,
    # and, when the reader's language has no text, the note saying the lesson is only in this one.
    language: str = bilingual.Language.ENGLISH
    lang: str = "en"
    language_note: str = ""
    # Each section's HTML lang, in the order of `section_markdown` (a translation may leave one blank).
    section_langs: tuple[str, ...] = ()
    # Only on the view of the lesson as written (anonymised_preview): its text in the other
    # language, redacted, as (heading, text) with the title and summary first, for the admin's
    # check and its fingerprint.
    translation_markdown: tuple[tuple[str, str], ...] = ()
    translation_html: tuple[Section, ...] | None = None
    # The same, for the API: the title and summary in the other language, or None.
    title_translation: str | None = None
    summary_translation: str | None = None
    # Set only on the anonymised preview, whose sections carry the checker's highlights.
    section_html: tuple[Section, ...] | None = None

    @cached_property
    def sections(self) -> list[Section]:
        if self.section_html is not None:
            return list(self.section_html)
        langs = self.section_langs or (self.lang,) * len(self.section_markdown)
        return [
            Section(heading, render_markdown(text), lang)
            for (heading, text), lang in zip(self.section_markdown, langs, strict=True)
        ]

    @cached_property
    def translation_sections(self) -> list[Section]:
        """The other language's text on the admin's preview, rendered as the sections are."""
        if self.translation_html is not None:
            return list(self.translation_html)
        lang = bilingual.HTML_LANG[bilingual.other(self.language)]
        return [Section(heading, render_markdown(text), lang) for heading, text in self.translation_markdown]

    @property
    def evidence_label(self) -> str:
        """How far the outcome is backed: by the indicator's figures before and after, by an
        evaluation of costs and benefits, or by nothing more than the story (stopped before
        it was evaluated)."""
        figures = self.evaluation
        if figures is None:
            return gettext("Not evaluated: stopped before an evaluation")
        if figures.indicator_before is not None and figures.indicator_after is not None:
            if self.indicator:
                # Translators: %(code)s is the indicator's code, e.g. "PI-07".
                return gettext("Evaluated, with indicator figures before and after (%(code)s)") % {
                    "code": self.indicator.code
                }
            return gettext("Evaluated, with indicator figures before and after")
        return gettext("Evaluated: costs and benefits recorded, no indicator figures")

    @property
    def evidence_level_label(self) -> str:
        """ "Level 2: data showing change" (innovation/evidence.py), or "Not recorded"."""
        return evidence.label(self.evidence_level)

    @property
    def host_label(self) -> str:
        if self.organisation_name:
            return self.organisation_name
        # Translators: a lesson's host when it is anonymised, e.g. "An anonymised district council".
        return gettext("An anonymised %(kind)s") % {"kind": self.organisation_kind_label.lower()}


def lesson_for_reader(
    lesson: Lesson, reader_org: Organisation | None, *, redactions: Redactions | None = None, as_written: bool = False
) -> LessonView:
    """What someone working in `reader_org` (None: not signed in) may see of `lesson`.

    Callers select_related organisation, author, project, project__evaluation and
    project__indicator (queries.lessons_for_reading does) so that a page of lessons costs
    one query, and pass the batch's `redactions` (see `lessons_for_reader`) so that an
    anonymised lesson costs no more than one query for its organisation's people.
    `as_written`: its text in the language it is written in, whatever the reader's, with its
    other language in `translation_markdown` (the API's shape); else the reader's language first.
    """
    is_own = reader_org is not None and lesson.organisation_id == reader_org.pk
    # Once anonymised, always anonymous to outsiders: a lesson since made internal, withdrawn
    # or published with its name still reaches other organisations through their visit
    # requests, emails and adoptions, and each of those reads it here.
    anonymised = lesson.is_anonymised_to_outsiders and not is_own
    return _view(lesson, is_own=is_own, anonymised=anonymised, redactions=redactions, as_written=as_written)


def lessons_for_reader(lessons: Iterable[Lesson], reader_org: Organisation | None) -> list[LessonView]:
    """`lesson_for_reader` for each lesson, reading the people of all their organisations at once."""
    lessons = list(lessons)
    redactions = Redactions().load(
        {
            lesson.organisation_id: lesson.organisation
            for lesson in lessons
            if lesson.is_anonymised_to_outsiders and (reader_org is None or lesson.organisation_id != reader_org.pk)
        }.values()
    )
    return [lesson_for_reader(lesson, reader_org, redactions=redactions) for lesson in lessons]


def anonymised_preview(lesson: Lesson, *, redactions: Redactions | None = None) -> LessonView:
    """Exactly what another organisation would see of `lesson` published anonymised: the text as
    written, with its text in the other language beside it, whatever the checker's language, so
    that its fingerprint covers both and never depends on who looks."""
    return _view(lesson, is_own=False, anonymised=True, redactions=redactions, as_written=True)


def preview_digest(view: LessonView) -> str:
    """A fingerprint of every word of `view`: what an admin confirms they have checked."""
    figures = view.evaluation
    # The headings in English whatever the reader's language, so that a preview checked in Welsh
    # has the fingerprint of one checked in English, and of those stored before Welsh.
    english = {gettext(heading): heading for _name, heading in SECTIONS}
    return redaction.digest(
        [
            view.title,
            view.summary,
            view.featured_reason,
            view.region_label,
            *(part for heading, text in view.section_markdown for part in (english.get(heading, heading), text)),
            # Only when there is some, so that lessons checked before translations keep their fingerprint.
            *(text for _heading, text in view.translation_markdown),
            figures.transferability_reasons if figures else "",
            figures.value_for_money if figures else "",
            # Only when there is some, so that lessons checked before levels were recorded keep their fingerprint.
            *(
                [figures.evidence_support, figures.evidence_comparison, figures.evidence_evaluator]
                if figures and (figures.evidence_support or figures.evidence_comparison or figures.evidence_evaluator)
                else []
            ),
        ]
    )


@dataclass(frozen=True)
class Preview:
    """The anonymised lesson as other organisations would see it, with what may still identify
    the organisation highlighted, and the fingerprint of the words checked."""

    lesson: LessonView
    suspects: list[str]
    digest: str


def lesson_preview(lesson: Lesson) -> Preview:
    """The page an admin checks before a lesson is published anonymised (or shown again after an edit)."""
    view = anonymised_preview(lesson)
    pattern = redaction.suspects_pattern(lesson.organisation.name)
    found: list[str] = []

    def mark(text: str) -> SafeString:
        return mark_safe(redaction.highlight(str(escape(text)), pattern, found))  # noqa: S308 - escaped first

    title, summary = mark(view.title), mark(view.summary)
    sections = tuple(
        # render_markdown's output is sanitised; highlight only wraps words of its text in <mark>.
        Section(heading, mark_safe(redaction.highlight(render_markdown(text), pattern, found)), lang)  # noqa: S308
        for (heading, text), lang in zip(view.section_markdown, view.section_langs, strict=True)
    )
    figures = view.evaluation
    if figures is not None:
        figures = dataclasses.replace(
            figures,
            transferability_reasons=mark(figures.transferability_reasons),
            value_for_money=mark(figures.value_for_money),
            evidence_support=mark(figures.evidence_support),
            evidence_comparison=mark(figures.evidence_comparison),
            evidence_evaluator=mark(figures.evidence_evaluator),
        )
    other_lang = bilingual.HTML_LANG[bilingual.other(view.language)]
    translation = tuple(
        Section(heading, mark_safe(redaction.highlight(render_markdown(text), pattern, found)), other_lang)  # noqa: S308
        for heading, text in view.translation_markdown
    )
    marked = dataclasses.replace(
        view, title=title, summary=summary, evaluation=figures, section_html=sections, translation_html=translation
    )
    return Preview(lesson=marked, suspects=list(dict.fromkeys(found)), digest=preview_digest(view))


def _view(
    lesson: Lesson, *, is_own: bool, anonymised: bool, redactions: Redactions | None, as_written: bool = False
) -> LessonView:
    if anonymised:
        clean = (redactions or Redactions()).for_lesson(lesson)
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
            evidence_support=clean(evaluation.evidence_support),
            evidence_comparison=clean(evaluation.evidence_comparison),
            evidence_evaluator=clean(evaluation.evidence_evaluator),
        )
    shown = Lesson.bilingual.show(lesson, lesson.language if as_written else None)
    sections = [
        (heading, clean(shown.texts[name]), shown.langs[name])
        for name, heading in SECTIONS
        if shown.texts[name].strip()
    ]
    translation = ()
    if as_written and Lesson.bilingual.has_translation(lesson):
        suffix = bilingual.SUFFIX
        translation = tuple(
            (str(heading) if name in ("title", "summary") else gettext(heading), clean(getattr(lesson, name + suffix)))
            for name, heading in [("title", _("Title")), ("summary", _("Summary")), *SECTIONS]
            if getattr(lesson, name + suffix).strip()
        )
    indicator = None
    if project.indicator_id is not None:
        ind = project.indicator
        indicator = IndicatorLink(code=ind.code, name=ind.name, unit=ind.unit, url=ind.get_absolute_url())
    return LessonView(
        pk=lesson.pk,
        url=reverse("sharing:lesson-detail", args=[lesson.pk]),
        title=clean(shown.texts["title"]),
        summary=clean(shown.texts["summary"]),
        language=shown.language,
        lang=shown.lang,
        language_note=shown.note,
        section_langs=tuple(lang for _heading, _text, lang in sections),
        translation_markdown=translation,
        title_translation=clean(lesson.title_translation) if translation else None,
        summary_translation=clean(lesson.summary_translation) if translation else None,
        service=lesson.service,
        service_label=lesson.get_service_display(),
        outcome=lesson.outcome,
        outcome_label=lesson.get_outcome_display(),
        transferability=lesson.transferability,
        cost_band_label=lesson.get_cost_band_display(),
        evidence_level=lesson.evidence_level,
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
        section_markdown=tuple((gettext(heading), text) for heading, text, _lang in sections),
        indicator=indicator,
        evaluation=figures,
    )


def _project_url(project) -> str | None:
    try:
        return project.get_absolute_url()
    except NoReverseMatch:  # the project pages are innovation's; absent while it is being built
        return None

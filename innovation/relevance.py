"""How alike an idea is to another idea (duplicate hints) or to a lesson ("tried elsewhere", in
sharing.relevance, which builds on this module): one documented score, and the reasons for it.

    score = structured + text

structured (what Lantern knows, the largest of):
    indicator  the same indicator (by code): the same shortfall, measured the same way
    family     an indicator of the same family: the same code prefix in the same
                             service (HB-NEW and HB-CHANGE; not NI192 and NI154)
    service    the same service (the idea's service areas, its indicator's, its campaign's)

text (what the words say), on PostgreSQL:
    rank × r / (r + RANK_HALF)   r: ts_rank of the subject's words (title, problem and
                                                  proposal, OR-ed) against the other's weighted search
                                                  vector (title A above body B)
  + title_rank × the same for the subject's title words only
  + trigram × pg_trgm similarity of the two titles (short titles, misspellings)

and on SQLite, which has neither (an honest fallback): stop words removed, words compared whole
(on boundaries, a plural s taken off), the share of the subject's distinctive words found in the
other's text and the share of its title's words found in the other's title, with the same weights.

Each feature has its own weights and threshold on each database (WEIGHTS below). Nothing
scoring below the threshold is shown, and nothing is shown on the structured match alone: a
lesson in the same service, or aimed at the same indicator, about another problem is not
"tried elsewhere", and two ideas aimed at one indicator are not one idea.
The weights and thresholds were tuned on the labelled set in bench/_relevance_set.py; `make bench`
prints the precision and recall they reach.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramSimilarity
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from innovation.models import Campaign, Idea, IdeaStage
from portfolio.models import Service

SEARCH_CONFIG = "english"


@dataclass(frozen=True)
class Weights:
    """One feature's weights and threshold on one database (see the module's docstring)."""

    structured: dict
    text: dict
    threshold: float


# Tuned on bench/_relevance_set.py (`python -m bench.relevance --verbose` lists what each misses).
# The text parts measure differently on the two databases (ts_rank and trigrams against shares of
# whole words), so each has its own.
WEIGHTS = {
    ("tried", "postgresql"): Weights(
        structured={"indicator": 0.3, "family": 0.15, "service": 0.1},
        text={"rank": 0.35, "title_rank": 0.25, "trigram": 0.6},
        threshold=0.7,
    ),
    ("tried", "sqlite"): Weights(
        structured={"indicator": 0.35, "family": 0.2, "service": 0.15},
        text={"rank": 0.35, "title_rank": 0.25, "trigram": 0.2},
        threshold=0.5,
    ),
    ("duplicate", "postgresql"): Weights(
        structured={"indicator": 0.1, "family": 0.05, "service": 0.0},
        text={"rank": 0.35, "title_rank": 0.25, "trigram": 0.4},
        threshold=0.5,
    ),
    ("duplicate", "sqlite"): Weights(
        structured={"indicator": 0.2, "family": 0.1, "service": 0.0},
        text={"rank": 0.35, "title_rank": 0.25, "trigram": 0.4},
        threshold=0.4,
    ),
}


def weights_for(feature: str) -> Weights:
    """ "tried" or "duplicate", on the database in use (SQLite's for any other)."""
    return WEIGHTS[(feature, "postgresql" if connection.vendor == "postgresql" else "sqlite")]


RANK_HALF = 0.1  # a ts_rank of RANK_HALF counts half
# A part of the score is given as a reason once it reaches this share of its most.
REASON_SHARE = 0.35

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "each",
        "every",
        "for",
        "from",
        "get",
        "had",
        "has",
        "have",
        "how",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "make",
        "more",
        "most",
        "much",
        "new",
        "no",
        "not",
        "of",
        "on",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "up",
        "use",
        "used",
        "using",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
        "people",
        "service",
        "services",
        "council",
        "councils",
        "residents",
        "resident",
    ]
)

WORD = re.compile(r"[a-z0-9]+")


def _normalise(word: str) -> str:
    """A word compared whole, with a plural s taken off ("reminders" and "reminder" are one word)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Pure: the distinctive words of a text, in order, lower-cased, without stop words or one- or
    two-letter words, each normalised (see `_normalise`)."""
    return [
        _normalise(w)
        for w in WORD.findall((text or "").lower().replace("’", "'").replace("'s", ""))
        if len(w) > 2 and w not in STOP_WORDS
    ]


def shared_words(subject_text: str, their_text: str) -> list[str]:
    """Pure: the subject's distinctive words also in their text, in the subject's order, each as
    the subject wrote it ("families", not the compared "familie")."""
    theirs = set(words(their_text))
    shown = {}
    for raw in WORD.findall((subject_text or "").lower().replace("’", "'").replace("'s", "")):
        if len(raw) > 2 and raw not in STOP_WORDS and _normalise(raw) in theirs:
            shown.setdefault(_normalise(raw), raw)
    return list(shown.values())


def indicator_family(code: str | None) -> str:
    """HB-CHANGE → HB; PS2-MINOR → PS; NI192 → NI: the letters its code starts with."""
    match = re.match(r"[A-Z]+", (code or "").upper())
    return match.group(0) if match else ""


@dataclass(frozen=True)
class Subject:
    """What an idea, a campaign or a text says about itself, for comparing with others."""

    title: str
    body: str
    indicator_code: str = ""
    indicator_service: str = ""
    services: frozenset = frozenset()
    pk: int | None = None  # an idea's own, left out of its duplicates
    organisation_id: int | None = None

    @property
    def family(self) -> str:
        return indicator_family(self.indicator_code)


def subject_of(thing) -> Subject:
    """An Idea, a Campaign or a plain text as a Subject (two queries at most for an idea)."""
    if isinstance(thing, str):
        return Subject(title=thing, body="")
    if isinstance(thing, Campaign):
        services = frozenset(thing.service_areas.values_list("service", flat=True))
        return Subject(title=thing.title, body=thing.question, services=services, organisation_id=thing.organisation_id)
    if isinstance(thing, Idea):
        services = set(thing.service_areas.values_list("service", flat=True))
        indicator = thing.indicator if thing.indicator_id else None
        if indicator is not None:
            services.add(indicator.service)
        if thing.campaign_id:
            services |= set(thing.campaign.service_areas.values_list("service", flat=True))
        return Subject(
            title=thing.title,
            body=f"{thing.problem}\n{thing.proposal}",
            indicator_code=indicator.code if indicator else "",
            indicator_service=indicator.service if indicator else "",
            services=frozenset(services),
            pk=thing.pk,
            organisation_id=thing.organisation_id,
        )
    raise TypeError(f"Cannot suggest for {type(thing).__name__}")


@dataclass
class Features:
    """The parts of one candidate's score, before weighting."""

    structured: str = ""  # "indicator", "family", "service" or ""
    other_indicator: str = ""
    other_service: str = ""
    rank: float = 0.0  # 0..1
    title_rank: float = 0.0  # 0..1
    trigram: float = 0.0  # 0..1
    shared_words: list = field(default_factory=list)


def score_of(features: Features, weights: Weights) -> float:
    text = (
        weights.text["rank"] * features.rank
        + weights.text["title_rank"] * features.title_rank
        + weights.text["trigram"] * features.trigram
    )
    return round(weights.structured.get(features.structured, 0.0) + text, 3)


def has_text_match(features: Features) -> bool:
    return features.rank > 0 or features.title_rank > 0 or features.trigram >= 0.3


def passes(features: Features, weights: Weights) -> bool:
    """Above the threshold, and some words in common: never on the structured match alone."""
    if not has_text_match(features):
        return False
    return score_of(features, weights) >= weights.threshold


def reasons_of(features: Features, *, similar: str = "") -> list[str]:
    """Why a suggestion was made, in words an officer reads: strongest first."""
    similar = similar or _("similar title")
    reasons = []
    service_labels = dict(Service.choices)
    if features.structured == "indicator":
        reasons.append(_("same indicator: %(indicator)s") % {"indicator": features.other_indicator})
    elif features.structured == "family":
        reasons.append(_("related indicator: %(indicator)s") % {"indicator": features.other_indicator})
    elif features.structured == "service":
        service = service_labels.get(features.other_service, features.other_service)
        reasons.append(_("same service: %(service)s") % {"service": service})
    if features.trigram >= 0.3 or features.title_rank >= REASON_SHARE:
        reasons.append(similar)
    if features.shared_words and features.rank >= REASON_SHARE * 0.5:
        reasons.append(_("words in common: %(words)s") % {"words": ", ".join(features.shared_words[:4])})
    elif features.rank >= REASON_SHARE and reasons[-1:] != [similar]:
        reasons.append(_("similar description"))
    return reasons


def structured_match(subject: Subject, indicator_code: str, indicator_service: str, service: str) -> str:
    """Pure: the strongest structured match of a candidate with `subject`."""
    if subject.indicator_code and indicator_code and indicator_code.upper() == subject.indicator_code.upper():
        return "indicator"
    if (
        subject.family
        and indicator_family(indicator_code) == subject.family
        and indicator_service == subject.indicator_service
    ):
        return "family"
    if service and service in subject.services:
        return "service"
    if indicator_service and indicator_service in subject.services:
        return "service"
    return ""


# ---------------------------------------------------------------- PostgreSQL pieces


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def or_query(word_list: list[str]) -> SearchQuery | None:
    """Any of the words, stemmed as the search vectors are (english), as one tsquery: one
    to_tsquery('w1 | w2 | …') rather than a tree of OR-ed queries, which Django would resolve
    and compile node by node. Safe as raw tsquery syntax: `words` yields only [a-z0-9]+."""
    unique = [w for w in dict.fromkeys(word_list) if WORD.fullmatch(w)]
    if not unique:
        return None
    return SearchQuery(" | ".join(unique), search_type="raw", config=SEARCH_CONFIG)


def squash(expression):
    """r / (r + RANK_HALF): a rank of 0..∞ as 0..1, half at RANK_HALF (SQL or Python alike)."""
    return expression / (expression + RANK_HALF)


def structured_case(subject: Subject, *, indicator: str, indicator_service: str, service: str | None) -> Case:
    """The structured match as SQL, naming it ("indicator", "family", "service" or "")."""
    whens = []
    if subject.indicator_code:
        whens.append(When(**{f"{indicator}__iexact": subject.indicator_code}, then=Value("indicator")))
    if subject.family:
        whens.append(
            When(
                **{f"{indicator}__istartswith": subject.family, indicator_service: subject.indicator_service},
                then=Value("family"),
            )
        )
    if subject.services:
        if service:
            whens.append(When(**{f"{service}__in": subject.services}, then=Value("service")))
        whens.append(When(**{f"{indicator_service}__in": subject.services}, then=Value("service")))
    return Case(*whens, default=Value(""))


# ---------------------------------------------------------------- duplicate hints


@dataclass(frozen=True)
class IdeaSuggestion:
    idea: Idea
    score: float
    reasons: list


def _duplicate_candidates(organisation_id: int, exclude_pk: int | None) -> QuerySet:
    return (
        Idea.objects.filter(organisation_id=organisation_id)
        .exclude(stage__in=[IdeaStage.DECLINED, IdeaStage.MERGED])
        .exclude(pk=exclude_pk)
        .select_related("indicator")
    )


def duplicates_of(thing, *, organisation=None, limit: int = 5) -> list[IdeaSuggestion]:
    """The organisation's own ideas that look like the same idea as `thing` (an Idea, or a
    Subject for an idea being written), most alike first, each with its reasons. Only ever the
    same organisation's ideas; declined and merged ones are left out (not where a newcomer
    should add their support)."""
    subject = thing if isinstance(thing, Subject) else subject_of(thing)
    organisation_id = organisation.pk if organisation is not None else subject.organisation_id
    if organisation_id is None or not words(subject.title + " " + subject.body):
        return []
    candidates = _duplicate_candidates(organisation_id, subject.pk)
    scored = _duplicates_postgres(subject, candidates) if uses_postgres() else _duplicates_fallback(subject, candidates)
    weights = weights_for("duplicate")
    found = []
    for idea, features in scored:
        if passes(features, weights):
            found.append(IdeaSuggestion(idea, score_of(features, weights), reasons_of(features)))
    found.sort(key=lambda s: (-s.score, -s.idea.pk))
    return found[:limit]


def _duplicates_postgres(subject: Subject, candidates: QuerySet) -> list[tuple[Idea, Features]]:
    all_words = words(f"{subject.title} {subject.body}")[:30]
    title_words = words(subject.title)
    all_q, title_q = or_query(all_words), or_query(title_words)
    vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "problem", "proposal", weight="B", config=SEARCH_CONFIG
    )
    match = Q(TrigramSimilar(F("title"), Value(subject.title)))
    if subject.indicator_code:
        match |= Q(indicator__code__iexact=subject.indicator_code)
    rows = candidates.annotate(
        vec=vector,
        trgm=TrigramSimilarity("title", subject.title),
        rank=SearchRank(F("vec"), all_q) if all_q else Value(0.0),
        title_rank=SearchRank(F("vec"), title_q) if title_q else Value(0.0, output_field=FloatField()),
        structured=structured_case(
            subject, indicator="indicator__code", indicator_service="indicator__service", service=None
        ),
    )
    if all_q:
        match |= Q(vec=all_q)
    rows = rows.filter(match)
    result = []
    for idea in rows[:200]:
        features = Features(
            structured=idea.structured if idea.structured != "service" else "",
            other_indicator=idea.indicator.code if idea.indicator_id else "",
            rank=squash(idea.rank),
            title_rank=squash(idea.title_rank),
            trigram=idea.trgm,
            shared_words=shared_words(f"{subject.title} {subject.body}", f"{idea.title} {idea.problem}"),
        )
        result.append((idea, features))
    return result


def fallback_features(subject: Subject, *, title: str, text: str) -> Features:
    """SQLite: whole-word overlaps in place of ranks (see the module's docstring)."""
    subject_words = set(words(f"{subject.title} {subject.body}"))
    subject_title = set(words(subject.title))
    their_words = set(words(f"{title} {text}"))
    their_title = set(words(title))
    features = Features()
    if subject_words:
        features.rank = len(subject_words & their_words) / len(subject_words)
    if subject_title:
        features.title_rank = len(subject_title & their_words) / len(subject_title)
        union = subject_title | their_title
        features.trigram = len(subject_title & their_title) / len(union) if union else 0.0
    features.shared_words = shared_words(f"{subject.title} {subject.body}", f"{title} {text}")
    return features


def _duplicates_fallback(subject: Subject, candidates: QuerySet) -> list[tuple[Idea, Features]]:
    result = []
    for idea in candidates.only("pk", "title", "problem", "proposal", "stage", "reference", "indicator__code"):
        features = fallback_features(subject, title=idea.title, text=f"{idea.problem} {idea.proposal}")
        code = idea.indicator.code if idea.indicator_id else ""
        if subject.indicator_code and code.upper() == subject.indicator_code.upper():
            features.structured = "indicator"
            features.other_indicator = code
        result.append((idea, features))
    return result

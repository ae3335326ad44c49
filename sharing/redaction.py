"""What an anonymised lesson must not say, and the checker that highlights what it still might.

`Redactor` removes, from any piece of a lesson's text read outside its organisation:

- the organisation's name however it is written: the full name, its core ("Ashby Vale"), any
  whitespace, no-break space, hyphen or nothing between the words ("Ashby-Vale", "AshbyVale"),
  each distinctive word alone ("Ashby", "Vale": see STOP_WORDS for the ones that are not),
  its initials of three letters or more ("AVDC", "AVC") and its ONS code, and any social media
  handle or tag containing a distinctive word ("@ashbyrepairs");
- web addresses, linked or bare, under the email domains of its people or the lesson's contact,
  or whose host contains a distinctive word or the initials ("https://www.ashby.example/bins",
  "avdc.gov.uk");
- the names (in full, and first or last name alone where capitalised) of all its people, active
  or not, and of the lesson's contact and project people;
- every email address and every UK telephone number in the usual layouts.

What it cannot remove (a place in the area that is not in the name, a street, a fact only
the author would recognise) the checker highlights on the preview for the author to decide.
"""

import functools
import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

REMOVED = "[removed]"
EMAIL_REMOVED = "[email address removed]"
PHONE_REMOVED = "[phone number removed]"
WEB_REMOVED = "[web address removed]"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# UK telephone numbers as people write them: 01632 960123, 01632-960-123, (01632) 960123,
# +44 (0)1632 960 123, 0044 1632 960123, 0163 296 0123, 07700 900 123, +441632960123: a 0
# (or +44 / 0044, with an optional "(0)") then 9 or 10 more digits, at most two spaces,
# hyphens or brackets between any two of them.
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)(?:[\s\-()]{0,2}\d){9,10}(?!\d)")
# A web address, linked or bare: an optional scheme, a host of two or more labels, an optional
# port and path. Only those judged identifying are removed (a link to GOV.UK guidance stays).
_WEB = re.compile(
    r"(?:\b(?:https?|ftp)://)?(?<![\w.@-])(?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})\b"
    r"(?::\d{1,5})?(?:[/?#][^\s<>()\[\]\"']*)?",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<!\w)[@#](\w{3,})")
# Words that name the kind of authority rather than the authority itself.
_AUTHORITY_WORDS = re.compile(
    r"\b(the\s+)?(london\s+borough\s+of|royal\s+borough\s+of|city\s+of|county\s+of|"
    r"metropolitan\s+borough\s+council|borough\s+council|district\s+council|county\s+council|"
    r"city\s+council|council|fire\s+and\s+rescue\s+authority|fire\s+and\s+rescue\s+service|"
    r"combined\s+authority|authority)\b",
    re.IGNORECASE,
)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words of an organisation's name too common to remove wherever they appear in a lesson: the
# kind of authority, compass points and other everyday words that many names share ("North",
# "Borough", "Royal"). They are removed as part of the whole name, and the checker highlights
# them when they stand alone. Anything else in the name (Ashby, Vale, Kingsmere) is distinctive.
STOP_WORDS = _wordset(
    """a an and the of on upon in at by for with under
    council borough district county city town metropolitan royal london combined authority
    fire rescue service services parish community unitary principal area
    north south east west northern southern eastern western mid central north-east north-west
    south-east south-west new old great greater upper lower little"""
)
# Courtesy titles: capitalised, but nobody's name.
_TITLES = _wordset("mr mrs miss ms mx dr prof sir dame lord lady cllr councillor rev")
# Mail services anyone may use: their domains identify nobody.
PUBLIC_MAIL_DOMAINS = _wordset(
    """gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com live.co.uk msn.com
    yahoo.com yahoo.co.uk icloud.com me.com aol.com btinternet.com sky.com virginmedia.com
    talktalk.net proton.me protonmail.com"""
)
_SEPARATOR = r"[\s\-_.\u00a0\u2010-\u2014]*"


def _words(name: str) -> list[str]:
    return re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", name)


def core_name(name: str) -> str:
    """ "Ashby Vale District Council" → "Ashby Vale"."""
    return " ".join(_AUTHORITY_WORDS.sub(" ", name).split())


def distinctive_words(name: str) -> list[str]:
    """The words of an organisation's name that identify it alone: "Ashby", "Vale"."""
    return sorted({w for w in _words(name) if len(w) >= 3 and w.lower() not in STOP_WORDS}, key=str.lower)


def initials(name: str) -> set[str]:
    """The initials people write for an authority, three letters or more: AVDC, AVC."""
    small = {"of", "and", "the", "upon", "on", "in"}
    full = "".join(w[0] for w in _words(name) if w.lower() not in small).upper()
    core = "".join(w[0] for w in _words(core_name(name)) if w.lower() not in small).upper()
    return {x for x in (full, core, core + "C") if len(x) >= 3}


def _phrase(name: str) -> str | None:
    """A regex for the words of `name` with any whitespace, hyphen or nothing between them."""
    words = _words(name)
    if not words or len("".join(words)) < 3:
        return None
    return _SEPARATOR.join(re.escape(w) for w in words)


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""


def _email_domain(email: str) -> str | None:
    domain = email.rpartition("@")[2].strip().lower()
    return domain if "." in domain and domain not in PUBLIC_MAIL_DOMAINS else None


class Redactor:
    """Removes one organisation and its people from text. Built once per organisation per batch
    of lessons (see reading.Redactions); the compiled patterns are cached by their inputs."""

    def __init__(self, *, organisation_name: str, ons_code: str | None, people: Iterable[Person]):
        people = sorted(set(people), key=lambda p: (p.name, p.email))
        self._rules = _compiled(organisation_name, ons_code or "", tuple(people))

    def __call__(self, text: str, *, extra_people: Iterable[str] = ()) -> str:
        """The text with the organisation, its people and `extra_people` removed."""
        if not text:
            return text
        names, parts, domains, host_words = self._rules
        text = _EMAIL.sub(EMAIL_REMOVED, text)
        text = _WEB.sub(lambda m: WEB_REMOVED if _host_identifies(m["host"], domains, host_words) else m[0], text)
        text = _PHONE.sub(PHONE_REMOVED, text)
        # A social media handle or tag with the name run into other words: "@ashbyrepairs".
        text = _HANDLE.sub(lambda m: REMOVED if _host_identifies(m[1] + ".x", frozenset(), host_words) else m[0], text)
        extra = _compiled_people(tuple(sorted({" ".join(p.split()) for p in extra_people if p})))
        for pattern in (names, extra[0]):
            if pattern is not None:
                text = pattern.sub(REMOVED, text)
        for pattern in (parts, extra[1]):
            if pattern is not None:
                text = pattern.sub(REMOVED, text)
        return text


def _host_identifies(host: str, domains: frozenset[str], host_words: tuple[frozenset[str], frozenset[str]]) -> bool:
    host = host.lower()
    if any(host == d or host.endswith("." + d) for d in domains):
        return True
    inside, whole = host_words
    labels = host.split(".")[:-1]
    return any(label in whole or any(word in label for word in inside) for label in labels)


def _names_pattern(alternatives: Iterable[str]) -> re.Pattern | None:
    alternatives = sorted(set(alternatives), key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alternatives)})(?![^\W_])", re.IGNORECASE)


def _parts_pattern(names: Iterable[str]) -> re.Pattern | None:
    # A person's first or last name alone, where it is written as a name (capitalised).
    parts = {w for name in names for w in _words(name) if len(w) >= 3 and w[0].isupper() and w.lower() not in _TITLES}
    if not parts:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(p) for p in sorted(parts, key=len, reverse=True))})(?!\w)")


@functools.lru_cache(maxsize=512)
def _compiled_people(names: tuple[str, ...]):
    phrases = [p for p in map(_phrase, names) if p]
    return _names_pattern(phrases), _parts_pattern(names)


@functools.lru_cache(maxsize=256)
def _compiled(organisation_name: str, ons_code: str, people: tuple[Person, ...]):
    alternatives = [p for p in (_phrase(organisation_name), _phrase(core_name(organisation_name))) if p]
    words = distinctive_words(organisation_name)
    alternatives += [re.escape(w) for w in words]
    letters = initials(organisation_name)
    alternatives += [re.escape(x) for x in letters]
    if ons_code:
        alternatives.append(re.escape(ons_code))
    alternatives += [p for p in (_phrase(person.name) for person in people) if p]
    domains = frozenset(d for d in (_email_domain(p.email) for p in people) if d)
    # Host labels that give the organisation away: any containing a distinctive word of four
    # letters or more ("ashbyvale", "ashby-vale"), or the initials or ONS code as a whole label.
    host_words = (
        frozenset(w.lower() for w in words if len(w) >= 4),
        frozenset(x.lower() for x in [*words, *letters, ons_code] if x),
    )
    return _names_pattern(alternatives), _parts_pattern(p.name for p in people), domains, host_words


def with_domains(redactor: "Redactor", emails: Iterable[str]) -> "Redactor":
    """The redactor, also removing web addresses under the domains of `emails` (a lesson's contact)."""
    extra = frozenset(d for d in (_email_domain(e or "") for e in emails) if d)
    if extra <= redactor._rules[2]:
        return redactor
    copy = object.__new__(Redactor)
    names, parts, domains, host_words = redactor._rules
    copy._rules = (names, parts, domains | extra, host_words)
    return copy


def digest(texts: Iterable[str]) -> str:
    """A fingerprint of exactly the words other organisations would read."""
    h = hashlib.sha256()
    for text in texts:
        h.update((text or "").encode())
        h.update(b"\x00")
    return h.hexdigest()


# ---------------------------------------------------------------- the checker


# Words of a name that say only what kind of body it is: never worth highlighting.
_GENERIC = _wordset("a an and the of on upon in at by for with under council authority service services")
# Capitalised words that name nobody and no place in particular.
_ORDINARY_CAPITALS = _wordset(
    """I NHS UK GP GPs DWP DfE DLUHC MHCLG ONS GOV OK AI IT CCTV COVID Covid CEO
    England English Wales Welsh Scotland Scottish Britain British Ireland Irish Lantern
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Christmas Easter"""
)
_STREETS = (
    "Street|St|Road|Rd|Lane|Avenue|Way|Close|Drive|Place|Square|Crescent|Court|Gardens|Park|"
    "Terrace|Walk|Row|Parade|Grove|Hill|Mews|Estate"
)
_SUSPECTS = [
    # A street address, or a council building.
    rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}(?:{_STREETS})\b",
    r"\b(?:Town|County|City|Shire) Hall\b|\bCivic Centre\b|\bGuildhall\b|\bCouncil (?:House|Offices)\b",
    # A postcode.
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b",
    # A reference or telephone-like number: six digits or more, or letters and digits together.
    r"(?<![\d£$€,.])\d(?:[\s/-]?\d){5,}(?![\d,])",
    r"\b(?=[A-Z0-9/-]*\d)(?=[A-Z0-9/-]*[A-Z])[A-Z][A-Z0-9/-]{3,}\d\b",
    # A social media handle or tag, and any web address left in.
    r"[@#][A-Za-z]\w{2,}",
    f"(?i:{_WEB.pattern})",
    # A capitalised word inside a sentence: perhaps a place or a person.
    r"(?<=[a-z0-9,;:)] )[A-Z][\w'’-]{2,}(?:\s[A-Z][\w'’-]{2,})*",
]


@functools.lru_cache(maxsize=256)
def suspects_pattern(organisation_name: str) -> re.Pattern:
    """What the preview highlights for the author to decide on: see _SUSPECTS, and the words of
    the organisation's name too common to remove ("North", "Royal") wherever they appear."""
    common = sorted(
        {w for w in _words(organisation_name) if w.lower() in STOP_WORDS and w.lower() not in _GENERIC}, key=len
    )
    parts = [rf"(?i:\b(?:{'|'.join(re.escape(w) for w in reversed(common))})\b)"] if common else []
    return re.compile("|".join(f"(?:{p})" for p in [*parts, *_SUSPECTS]))


def highlight(escaped: str, pattern: re.Pattern, found: list[str]) -> str:
    """HTML with each suspect in its text (never inside a tag) wrapped in <mark>; what was
    marked is appended to `found`. The input is already escaped or sanitised HTML."""
    out = []
    for i, piece in enumerate(re.split(r"(<[^>]*>)", escaped)):
        if i % 2:  # a tag
            out.append(piece)
            continue
        raw, at = html.unescape(piece), 0
        for match in pattern.finditer(raw):
            text = match[0]
            if not text.strip() or text in _ORDINARY_CAPITALS or "removed]" in text:
                continue
            out.append(html.escape(raw[at : match.start()]))
            out.append(f'<mark class="lantern-suspect">{html.escape(text)}</mark>')
            found.append(text)
            at = match.end()
        out.append(html.escape(raw[at:]))
    return "".join(out)

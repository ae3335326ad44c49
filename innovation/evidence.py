"""Levels of evidence: how strongly an evaluation shows that a project made the difference.

The one home of the levels, their definitions and the gates that ask for them. Every page,
export, API field and gate reads the words here.

The five levels are Nesta's Standards of Evidence, paraphrased from Ruth Puttick and Joe
Ludlow, *Standards of Evidence: an approach that balances the need for evidence with
innovation* (Nesta, October 2013), https://www.nesta.org.uk/report/standards-of-evidence/ .
Each level builds on the one before: a project at level 3 also has the data of level 2 and
the account of level 1.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

CITATION = (
    "Nesta’s Standards of Evidence (Puttick and Ludlow, Nesta, 2013), "
    "https://www.nesta.org.uk/report/standards-of-evidence/"
)


class EvidenceLevel(models.IntegerChoices):
    """The short name of each level, as it reads after "level N" ("level 2 (data showing change)")."""

    THEORY_OF_CHANGE = 1, _("a logical account of impact")
    DATA_SHOWING_CHANGE = 2, _("data showing change")
    COMPARISON_GROUP = 3, _("a comparison group showing causality")
    INDEPENDENTLY_REPLICATED = 4, _("independently replicated")
    SCALED_WITH_SYSTEMS = 5, _("scaled with manuals and systems ensuring replication")


# What each level asks of the evaluation, in our words after Nesta's (see CITATION).
_DEFINITIONS: dict[int, str] = {
    1: gettext_noop(
        "You can say what the project does and why it should make a difference, in a logical, "
        "coherent account of how its work leads to its outcomes (a theory of change)."
    ),
    2: gettext_noop(
        "You have collected data showing that things changed for the better since the project began, "
        "though you cannot yet show that the project caused the change."
    ),
    3: gettext_noop(
        "You can show the project caused the change, by comparing those it served with a control or "
        "comparison group who did not receive it."
    ),
    4: gettext_noop(
        "One or more evaluations by someone independent of the project, repeated elsewhere or again, "
        "confirm the findings."
    ),
    5: gettext_noop(
        "The project has manuals, systems and procedures that make sure it is delivered the same way, "
        "with the same positive impact, wherever it is taken up."
    ),
}


class _InReadersLanguage(dict):
    """Each value read through gettext: `DEFINITIONS[3]` is a plain string in the reader's language."""

    def __getitem__(self, key):
        return gettext(super().__getitem__(key))

    def get(self, key, default=None):
        return gettext(super().__getitem__(key)) if key in self else default


DEFINITIONS = _InReadersLanguage(_DEFINITIONS)

# From which level the evaluation must describe its comparison group, and name its independent evaluator.
COMPARISON_FROM = EvidenceLevel.COMPARISON_GROUP
EVALUATOR_FROM = EvidenceLevel.INDEPENDENTLY_REPLICATED


def _level_words(number: int, name: str) -> str:
    return gettext("Level %(number)s: %(name)s") % {"number": number, "name": name}


# Lazy, for choices built when a module is imported: the words follow each request's language.
_level_words_lazy = lazy(_level_words, str)


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    definition: str

    @property
    def label(self) -> str:
        """ "Level 2: data showing change": the way a page or a card shows a level."""
        return _level_words_lazy(self.number, self.name)


LEVELS = [Level(number, name, _(_DEFINITIONS[number])) for number, name in EvidenceLevel.choices]
NOT_RECORDED = _("Not recorded")


def label(level: int | None) -> str:
    """ "Level 2: data showing change", or "Not recorded" for an evaluation made before levels were asked for."""
    if not level:
        return NOT_RECORDED
    return _level_words(level, EvidenceLevel(level).label)


def support_problems(*, level: int | None, support: str, comparison: str, evaluator: str) -> dict[str, str]:
    """What is missing from an evaluation's claim to `level`, by field, in plain words; empty when complete."""
    problems: dict[str, str] = {}
    if level not in EvidenceLevel.values:
        problems["evidence_level"] = _("Select the level of evidence the evaluation reached, from 1 to 5")
        return problems
    if not support.strip():
        problems["evidence_support"] = _("Enter what supports this level of evidence")
    if level >= COMPARISON_FROM and not comparison.strip():
        problems["evidence_comparison"] = _("Describe the comparison group: level %(level)s needs %(needs)s") % {
            "level": level,
            "needs": EvidenceLevel.COMPARISON_GROUP.label,
        }
    if level >= EVALUATOR_FROM and not evaluator.strip():
        problems["evidence_evaluator"] = _(
            "Name the independent evaluator: level %(level)s needs independent replication"
        ) % {"level": level}
    return problems


def gate_refusal(*, reached: int | None, needed: int | None, whose: str, doing: str) -> str | None:
    """Why a gate set at `needed` refuses evidence at `reached`, or None when it passes (or is not set).

    "This project's evaluation reached level 2 (data showing change); scaling up needs level 3:
    a comparison group showing causality."
    """
    if not needed or (reached or 0) >= needed:
        return None
    words = {"whose": whose, "doing": doing, "needed": needed, "needed_label": EvidenceLevel(needed).label}
    if reached:
        # Translators: whose is like "This project's"; doing is like "scaling up".
        return _(
            "%(whose)s evaluation reached level %(reached)s (%(reached_label)s); "
            "%(doing)s needs level %(needed)s: %(needed_label)s."
        ) % {**words, "reached": reached, "reached_label": EvidenceLevel(reached).label}
    # Translators: whose is like "This project's"; doing is like "scaling up".
    return (
        _("%(whose)s evaluation has no level of evidence recorded; %(doing)s needs level %(needed)s: %(needed_label)s.")
        % words
    )

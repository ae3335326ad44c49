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

CITATION = (
    "Nesta’s Standards of Evidence (Puttick and Ludlow, Nesta, 2013), "
    "https://www.nesta.org.uk/report/standards-of-evidence/"
)


class EvidenceLevel(models.IntegerChoices):
    """The short name of each level, as it reads after "level N" ("level 2 (data showing change)")."""

    THEORY_OF_CHANGE = 1, "a logical account of impact"
    DATA_SHOWING_CHANGE = 2, "data showing change"
    COMPARISON_GROUP = 3, "a comparison group showing causality"
    INDEPENDENTLY_REPLICATED = 4, "independently replicated"
    SCALED_WITH_SYSTEMS = 5, "scaled with manuals and systems ensuring replication"


# What each level asks of the evaluation, in our words after Nesta's (see CITATION).
DEFINITIONS: dict[int, str] = {
    1: "You can say what the project does and why it should make a difference, in a logical, "
    "coherent account of how its work leads to its outcomes (a theory of change).",
    2: "You have collected data showing that things changed for the better since the project began, "
    "though you cannot yet show that the project caused the change.",
    3: "You can show the project caused the change, by comparing those it served with a control or "
    "comparison group who did not receive it.",
    4: "One or more evaluations by someone independent of the project, repeated elsewhere or again, "
    "confirm the findings.",
    5: "The project has manuals, systems and procedures that make sure it is delivered the same way, "
    "with the same positive impact, wherever it is taken up.",
}

# From which level the evaluation must describe its comparison group, and name its independent evaluator.
COMPARISON_FROM = EvidenceLevel.COMPARISON_GROUP
EVALUATOR_FROM = EvidenceLevel.INDEPENDENTLY_REPLICATED


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    definition: str

    @property
    def label(self) -> str:
        """ "Level 2: data showing change": the way a page or a card shows a level."""
        return f"Level {self.number}: {self.name}"


LEVELS = [Level(number, str(name), DEFINITIONS[number]) for number, name in EvidenceLevel.choices]
NOT_RECORDED = "Not recorded"


def label(level: int | None) -> str:
    """ "Level 2: data showing change", or "Not recorded" for an evaluation made before levels were asked for."""
    if not level:
        return NOT_RECORDED
    return f"Level {level}: {EvidenceLevel(level).label}"


def support_problems(*, level: int | None, support: str, comparison: str, evaluator: str) -> dict[str, str]:
    """What is missing from an evaluation's claim to `level`, by field, in plain words; empty when complete."""
    problems: dict[str, str] = {}
    if level not in EvidenceLevel.values:
        problems["evidence_level"] = "Select the level of evidence the evaluation reached, from 1 to 5"
        return problems
    if not support.strip():
        problems["evidence_support"] = "Enter what supports this level of evidence"
    if level >= COMPARISON_FROM and not comparison.strip():
        problems["evidence_comparison"] = (
            f"Describe the comparison group: level {level} needs {EvidenceLevel.COMPARISON_GROUP.label}"
        )
    if level >= EVALUATOR_FROM and not evaluator.strip():
        problems["evidence_evaluator"] = f"Name the independent evaluator: level {level} needs independent replication"
    return problems


def gate_refusal(*, reached: int | None, needed: int | None, whose: str, doing: str) -> str | None:
    """Why a gate set at `needed` refuses evidence at `reached`, or None when it passes (or is not set).

    "This project's evaluation reached level 2 (data showing change); scaling up needs level 3:
    a comparison group showing causality."
    """
    if not needed or (reached or 0) >= needed:
        return None
    if reached:
        got = f"reached level {reached} ({EvidenceLevel(reached).label})"
    else:
        got = "has no level of evidence recorded"
    return f"{whose} evaluation {got}; {doing} needs level {needed}: {EvidenceLevel(needed).label}."

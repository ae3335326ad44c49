"""Records of decision: the access lookups, and the one shape of a record that its page, its PDF,
the public page, the API, the export and the committee pack all read (`decision_record`).

A record of decision (England: the Local Authorities (Executive Arrangements) (Meetings and
Access to Information) (England) Regulations 2012, reg. 12–13) gives the decision, its date, the
reasons, the alternative options considered and rejected, any conflict of interest declared by a
decision-maker and any dispensation granted. Lantern adds who decided, the risk accepted and the
documents relied on. The public shape (`public=True`) carries no personal data beyond the
decision-makers' names and roles: no project owner, no one who recorded anything.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from innovation.models import BusinessCaseOption, Decision, DecisionArrangement, DecisionMaker

# What each outcome means, in the words a council's record uses.
OUTCOME_STATEMENTS = {
    Decision.Outcome.APPROVED: gettext_lazy("To approve the project for implementation."),
    Decision.Outcome.REJECTED: gettext_lazy("To reject the project. It is kept on record and will not go ahead."),
    Decision.Outcome.DEFERRED: gettext_lazy("To defer the decision and send the business case back to be reworked."),
}


def decisions_for(organisation: Organisation) -> QuerySet[Decision]:
    return (
        Decision.objects.for_organisation(organisation)
        .select_related("project", "member", "supersedes", "organisation")
        .prefetch_related(Prefetch("makers", queryset=DecisionMaker.objects.select_related("member")))
    )


def decision_get(*, organisation: Organisation, pk: int) -> Decision:
    """One record of the organisation's; another organisation's id is a 404, as a missing one is."""
    return get_object_or_404(decisions_for(organisation), pk=pk)


def decision_list(
    *, organisation: Organisation, since: datetime.datetime | None = None, until: datetime.datetime | None = None
) -> QuerySet[Decision]:
    decisions = decisions_for(organisation).order_by("-created_at", "-pk")
    if since is not None:
        decisions = decisions.filter(created_at__gt=since)
    if until is not None:
        decisions = decisions.filter(created_at__lte=until)
    return decisions


def decisions_published(*, organisation: Organisation) -> bool:
    return DecisionArrangement.objects.filter(organisation=organisation, publish_decisions=True).exists()


def published_organisation_get(*, pk: int) -> Organisation:
    """An organisation that publishes its records of decision; any other is a 404."""
    return get_object_or_404(
        Organisation.objects.filter(decision_arrangement__publish_decisions=True),
        pk=pk,
    )


@dataclass
class MakerLine:
    name: str
    role: str
    present: bool
    took_part: bool
    note: str


@dataclass
class InterestLine:
    name: str
    description: str
    dispensation: str  # "" when none was granted
    took_part: bool


@dataclass
class OptionLine:
    label: str
    net_value: Decimal | None
    reason: str


@dataclass
class DecisionRecord:
    pk: int
    reference: str
    organisation: str
    project_title: str
    project_reference: int
    decided_on: datetime.date
    outcome: str
    outcome_label: str
    statement: str
    made_by: str
    body: str  # "Cllr A, Portfolio holder" or the committee's name
    quorum: int | None
    makers: list[MakerLine]
    reasons: str
    chosen_option: str
    options_rejected: list[OptionLine]
    interests: list[InterestLine]
    accepted_risks: list[dict]
    documents: list[dict]
    supersedes: str
    recorded_by: str = ""  # the member who recorded it (internal only)
    # The language `reasons` are in and their HTML lang; the note when the reader's language has no
    # reasons (accounts.bilingual); the reasons in the other language ("" when none were given).
    language: str = "en-gb"
    reasons_lang: str = "en"
    language_note: str = ""
    reasons_translation: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def dispensations(self) -> list[InterestLine]:
        return [line for line in self.interests if line.dispensation]


def _option_label(row: dict) -> str:
    """The option's name in the reader's language, from its kind; the label kept on the record otherwise."""
    kind = row.get("kind")
    return str(BusinessCaseOption.Kind(kind).label) if kind in BusinessCaseOption.Kind.values else row["label"]


def _name(user) -> str:
    return user.full_name or user.email


def _maker_note(maker: DecisionMaker, by_committee: bool) -> str:
    if not maker.present:
        return _("Absent")
    if maker.is_sponsor and by_committee:
        return _("Present; the project’s sponsor, so did not take part in the decision")
    if maker.interest == DecisionMaker.Interest.DECLARED and not maker.has_dispensation:
        return _("Present; declared an interest and had no dispensation, so did not take part")
    return _("Present and took part")


# How approval._documents wrote a document's detail in English before it kept its date apart too.
ENGLISH_DETAIL = re.compile(r"^(?:version (?P<version>\d+), )?last changed (?P<changed>\d{1,2} [A-Z][a-z]+ \d{4})$")


def _document_shown(document: dict) -> dict:
    """A document before the decision-maker in the reader's language: its title, and its detail
    written again from its version and date (read back from the English of older records)."""
    shown = {**document, "title": _(document["title"]) if document.get("title") else ""}
    version, changed = document.get("version"), document.get("changed")
    if changed:
        changed = datetime.date.fromisoformat(changed)
    elif match := ENGLISH_DETAIL.match(document.get("detail") or ""):
        version, changed = match["version"], datetime.datetime.strptime(match["changed"], "%d %B %Y").date()
    if changed:
        date = formats.date_format(changed, "j F Y")
        shown["detail"] = (
            _("version %(version)s, last changed %(date)s") % {"version": version, "date": date}
            if version
            else _("last changed %(date)s") % {"date": date}
        )
    return shown


def decision_record(decision: Decision, *, public: bool = False, as_written: bool = False) -> DecisionRecord:
    """The record of decision as every page, PDF, API answer and export shows it: the reasons in
    the reader's language when given in it, else as written with a note; `as_written` (the API),
    as written whatever the reader's language."""
    shown = Decision.bilingual.show(decision, decision.language if as_written else None)
    makers = list(decision.makers.all())
    by_committee = decision.made_by == Decision.MadeBy.COMMITTEE
    if makers:
        maker_lines = [
            MakerLine(
                _name(m.member), _(m.role) if m.role else "", m.present, m.took_part, _maker_note(m, by_committee)
            )
            for m in makers
        ]
    else:
        # A decision made before records of decision asked who decided: the member who recorded it.
        maker_lines = [MakerLine(_name(decision.member), _("Elected member"), True, True, _("Decided alone"))]
    body = decision.committee_name if by_committee else f"{maker_lines[0].name}, {maker_lines[0].role}"
    interests = [
        InterestLine(
            name=_name(m.member),
            description=m.interest_description,
            dispensation=(
                _("Granted by %(by)s on %(date)s")
                % {"by": m.dispensation_granted_by, "date": formats.date_format(m.dispensation_date, "j F Y")}
                if m.has_dispensation
                else ""
            ),
            took_part=m.took_part,
        )
        for m in makers
        if m.present and m.interest == DecisionMaker.Interest.DECLARED
    ]
    chosen = BusinessCaseOption.Kind(decision.chosen_option).label if decision.chosen_option else ""
    return DecisionRecord(
        pk=decision.pk,
        reference=decision.reference,
        organisation=decision.organisation.name,
        project_title=decision.project.title,
        project_reference=decision.project.reference,
        decided_on=decision.created_at.date(),
        outcome=decision.outcome,
        outcome_label=decision.get_outcome_display(),
        statement=str(OUTCOME_STATEMENTS[decision.outcome]),
        made_by=decision.get_made_by_display(),
        body=body,
        quorum=decision.quorum,
        makers=maker_lines,
        reasons=shown.texts["rationale"],
        language=shown.language,
        reasons_lang=shown.langs["rationale"],
        language_note=shown.note,
        reasons_translation=decision.rationale_translation,
        chosen_option=chosen,
        options_rejected=[
            OptionLine(
                _option_label(row),
                Decimal(row["net_value"]) if row.get("net_value") is not None else None,
                row.get("reason") or _("No reason was recorded."),
            )
            for row in decision.options_rejected
        ],
        interests=interests,
        accepted_risks=list(decision.accepted_risks),
        documents=[_document_shown(document) for document in decision.documents],
        supersedes=decision.supersedes.reference if decision.supersedes_id else "",
        recorded_by="" if public else _name(decision.member),
    )

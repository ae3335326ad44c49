"""Read paths for ideas and projects: access lookups, lists, likely duplicates, screening
summaries, (in figures.py) pipeline figures and (in evaluation.py) an evaluation's readings.
Every lookup starts from `for_organisation`, so another organisation's id is a 404, the same as
a missing one.

Split by topic; import this package, not the modules: `from innovation import queries`."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import queries as accounts_queries
from accounts.models import Organisation, Role, User
from innovation import evidence, relevance
from innovation.models import (
    BusinessCase,
    BusinessCaseOption,
    Campaign,
    Criterion,
    Evaluation,
    EvidenceGates,
    Idea,
    IdeaSupport,
    Milestone,
    Project,
    ProjectStage,
    ScaleUp,
    Scorecard,
)
from innovation.queries.decisions import (  # noqa: F401 (records of decision: callers use queries.decision_get etc.)
    DecisionRecord,
    decision_get,
    decision_list,
    decision_record,
    decisions_published,
    published_organisation_get,
)
from innovation.queries.evaluation import (  # noqa: F401 (callers use queries.indicator_readings etc.)
    IndicatorMovement,
    IndicatorReadings,
    evaluation_report,
    indicator_readings,
    project_started_on,
)
from innovation.queries.figures import (  # noqa: F401 (pipeline figures: callers use queries.pipeline etc.)
    PipelineStage,
    StageTotals,
    pipeline,
    portfolio_summary,
    time_in_stages,
)
from innovation.queries.optimism import (  # noqa: F401 (optimism bias: callers use queries.business_case_appraisal etc.)
    CaseAppraisal,
    business_case_appraisal,
    optimism_override_history,
    optimism_overrides,
    optimism_table,
    project_appraisal,
)
from portfolio import queries as portfolio_queries
from portfolio.models import Indicator

# ---------------------------------------------------------------- access functions


def campaign_get(*, organisation: Organisation, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.for_organisation(organisation), pk=pk)


def idea_get(*, organisation: Organisation, reference: int) -> Idea:
    """An idea by the number people know it by ("Idea 7"), which is also the number in its URLs:
    numbered within the organisation, so another organisation's idea 7 is never reached."""
    return get_object_or_404(
        Idea.objects.for_organisation(organisation).select_related("author", "campaign", "indicator", "merged_into"),
        reference=reference,
    )


def idea_get_by_id(*, organisation: Organisation, pk: int) -> Idea:
    """An idea by its id, as the API's clients hold it; the same 404 outside the organisation."""
    return get_object_or_404(Idea.objects.for_organisation(organisation), pk=pk)


def project_get(*, organisation: Organisation, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.for_organisation(organisation).select_related("owner", "sponsor", "indicator", "idea"),
        pk=pk,
    )


def milestone_get(*, organisation: Organisation, pk: int) -> Milestone:
    return get_object_or_404(Milestone.objects.for_organisation(organisation).select_related("project"), pk=pk)


# ---------------------------------------------------------------- lists


def idea_list(*, organisation: Organisation, user: User) -> QuerySet[Idea]:
    """Every idea of the organisation, with what the list shows, in a fixed number of queries."""
    return (
        Idea.objects.for_organisation(organisation)
        .select_related("author", "campaign")
        .prefetch_related("service_areas")
        .annotate(
            # A subquery per idea shown, not a join and GROUP BY over every idea and support:
            # the page is read off the list's index and counted without the supports.
            support_count=Coalesce(
                Subquery(
                    IdeaSupport.objects.filter(idea=OuterRef("pk"))
                    .order_by()
                    .values("idea")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            supported_by_me=Exists(IdeaSupport.objects.filter(idea=OuterRef("pk"), user=user)),
        )
        .order_by("-created_at", "-pk")
    )


def project_list(*, organisation: Organisation) -> QuerySet[Project]:
    """The organisation's portfolio: every project, finished ones included."""
    return (
        Project.objects.for_organisation(organisation)
        .select_related("owner", "sponsor")
        .prefetch_related("service_areas")
        .order_by("-created_at", "-pk")
    )


def project_awaiting_decision(*, organisation: Organisation, member: User) -> QuerySet[Project]:
    """Projects at the approval gate: those the member sponsors first, then the rest."""
    return (
        project_list(organisation=organisation)
        .awaiting_decision()
        .annotate(is_mine=Q(sponsor=member))
        .order_by("-is_mine", "stage_changed_at", "pk")
    )


def campaign_list(*, organisation: Organisation) -> QuerySet[Campaign]:
    return (
        Campaign.objects.for_organisation(organisation).annotate(idea_count=Count("ideas")).order_by("-deadline", "pk")
    )


# ---------------------------------------------------------------- likely duplicates

_STOP_WORDS = (
    "a an and are as at be by can could for from has have how in into is it its more of on or our so than that the "
    "their them there these they this to too was we were what when which who will with would not no do does use "
    "used using people service services council"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())


def idea_words(text: str) -> frozenset[str]:
    """Pure: the distinctive words of a text, lower-cased, without stop words or short words."""
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in STOP_WORDS)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Pure: Jaccard similarity of two word sets, 0 (nothing shared) to 1 (the same words)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def idea_similar(
    *,
    organisation: Organisation,
    title: str,
    problem: str,
    proposal: str = "",
    indicator: Indicator | None = None,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[relevance.IdeaSuggestion]:
    """Ideas already in the organisation that look like the same idea, most alike first, each with
    why (innovation.relevance: similar title, words in common, the same indicator). Ideas
    declined or merged away are left out: they are not where a newcomer should add their support."""
    subject = relevance.Subject(
        title=title,
        body=f"{problem}\n{proposal}",
        indicator_code=indicator.code if indicator else "",
        indicator_service=indicator.service if indicator else "",
        pk=exclude_pk,
        organisation_id=organisation.pk,
    )
    return relevance.duplicates_of(subject, limit=limit)


# ---------------------------------------------------------------- screening


def criteria_for(idea: Idea) -> list[Criterion]:
    """The criteria an idea is scored against: its campaign's own, else the organisation's."""
    if idea.campaign_id:
        own = list(Criterion.objects.for_organisation(idea.organisation).filter(campaign_id=idea.campaign_id))
        if own:
            return own
    return list(Criterion.objects.for_organisation(idea.organisation).filter(campaign__isnull=True))


@dataclass
class ScreeningSummary:
    criteria: list[Criterion]
    scorecards: list[Scorecard]
    average: Decimal | None
    highest: Decimal | None
    lowest: Decimal | None
    not_scored: list[User]


def screening_summary(*, idea: Idea) -> ScreeningSummary:
    """What the screening page shows: the weighted average, highest and lowest, and who has not scored."""
    cards = list(
        Scorecard.objects.for_organisation(idea.organisation)
        .filter(idea=idea)
        .select_related("assessor")
        .prefetch_related("scores__criterion")
    )
    scored = [card.weighted_score for card in cards if card.submitted_at is not None]
    average = (sum(scored) / len(scored)).quantize(Decimal("0.01")) if scored else None
    return ScreeningSummary(
        criteria=criteria_for(idea),
        scorecards=cards,
        average=average,
        highest=max(scored) if scored else None,
        lowest=min(scored) if scored else None,
        not_scored=[card.assessor for card in cards if card.submitted_at is None],
    )


# ---------------------------------------------------------------- the project page


def _option_order(option: BusinessCaseOption) -> int:
    """Innovate, then improve incrementally, then do nothing: the order DESIGN.md lists them."""
    return BusinessCaseOption.Kind.values.index(option.kind)


def project_story(*, project: Project) -> dict:
    """Everything the project page shows, each in one query."""
    case = _one_to_one(project, "business_case")
    options = sorted(BusinessCaseOption.objects.filter(business_case=case), key=_option_order) if case else []
    transitions = list(project.transitions.select_related("actor"))
    days = time_in_stages(
        created_at=project.created_at, transitions=transitions, current_stage=project.stage, now=timezone.now()
    )
    return {
        "time_in_stages": [(label, round(days[value], 1)) for value, label in ProjectStage.choices if value in days],
        "business_case": case,
        "options": options,
        "appraisal": business_case_appraisal(case=case, options=options),
        "decisions": list(project.decisions.select_related("member")),
        "milestones": list(project.milestones.all()),
        "team": list(project.team.all()),
        "involvements": list(project.involvements.select_related("recorded_by")),
        "evaluation": _one_to_one(project, "evaluation"),
        "evaluation_report": evaluation_report(project=project),
        "transitions": transitions,
        "history": list(project.history.select_related("history_user").order_by("-history_date")[:30]),
        "service_areas": list(project.service_areas.all()),
    }


def project_approval_problems(*, project: Project) -> list[str]:
    """What stops a project going to members for approval, in plain words; empty when ready.

    The risk assessment lives in the risk app, which this app may not import: it is reached
    through the reverse relation, and it reports its own problems (every risk with an owner
    and a residual score, the risk of not innovating considered).
    """
    problems = []
    case = BusinessCase.objects.filter(project=project).prefetch_related("options").first()
    if case is None:
        problems.append(_("Write the business case, with all three options (R3)."))
    else:
        problems.extend(case.missing_parts())
    if project.sponsor_id is None:
        problems.append(_("Name the elected member who sponsors the project."))
    risk_assessment = getattr(project, "risk_assessment", None)
    if risk_assessment is None:
        problems.append(_("Complete the risk assessment (R4) before submitting for approval."))
    else:
        problems.extend(risk_assessment.approval_problems())
    return problems


def projects_awaiting_decision_with_cases(*, organisation: Organisation) -> list[Project]:
    """Projects at the approval gate, longest waiting first, each with its business case and options in order."""
    projects = list(
        project_list(organisation=organisation)
        .awaiting_decision()
        .select_related("business_case")
        .prefetch_related("business_case__options")
        .order_by("stage_changed_at", "pk")
    )
    for project in projects:
        case = _one_to_one(project, "business_case")
        project.case_options = sorted(case.options.all(), key=_option_order) if case is not None else []
    return projects


def _one_to_one(obj, name: str):
    """The object at the end of a reverse one-to-one, or None where there is none yet."""
    # A missing reverse one-to-one raises a subclass of AttributeError, which getattr absorbs.
    return getattr(obj, name, None)


def member_choices(*, organisation: Organisation) -> QuerySet[User]:
    return accounts_queries.people_in_roles(organisation=organisation, roles={Role.MEMBER})


def manager_choices(*, organisation: Organisation) -> QuerySet[User]:
    return accounts_queries.people_in_roles(organisation=organisation, roles={Role.MANAGER})


def assessor_choices(*, organisation: Organisation) -> QuerySet[User]:
    return accounts_queries.people_in_roles(
        organisation=organisation, roles={Role.OFFICER, Role.MANAGER, Role.MEMBER, Role.ADMIN}
    )


def indicator_by_code(code: str, *, organisation: Organisation) -> Indicator | None:
    """A live indicator the organisation sees (the catalogue's or its own) with this code, or None."""
    return portfolio_queries.indicator_by_code(organisation=organisation, code=code)


# ---------------------------------------------------------------- evidence gates


def evidence_gates_of(organisation) -> EvidenceGates:
    """The organisation's gates, unsaved and open (no level asked for) until its admins set them."""
    return EvidenceGates.objects.filter(organisation=organisation).first() or EvidenceGates(organisation=organisation)


def scale_up_refusal(project: Project) -> str | None:
    """Why `project` may not be scaled up now, or None: closed, evaluated, not yet scaled up, and
    its evaluation at the level of evidence the organisation's gate asks for."""
    if ScaleUp.objects.filter(project=project).exists():
        return _("This project has already been scaled up.")
    evaluation = Evaluation.objects.filter(project=project).first()
    if project.stage != ProjectStage.CLOSED or evaluation is None:
        return _("Only a closed project with an evaluation can be scaled up.")
    return evidence.gate_refusal(
        reached=evaluation.evidence_level,
        needed=evidence_gates_of(project.organisation).scale_up_level,
        whose=_("This project’s"),
        doing=_("scaling up"),
    )

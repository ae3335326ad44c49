"""The portfolio register as rows: every project with its stage, people, service areas,
costs, net value, highest residual risk, latest decision and outcome, the evaluation's
actual figures and their variance from the forecast, and whether it is a key decision and
where it stands on the forward plan; and the public forward plan's rows.

The projects come from queries.project_list filtered by the project list's own FilterSet,
so an export holds exactly what the page lists. The risk columns (the highest residual score
of the open risks and its band) are risk's to define, and innovation never imports risk:
reports/exports/catalogue.py, which may import both, adds them after "innovate_adjusted_net_value".
"""

from collections.abc import Iterator

from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import Organisation, User
from innovation import forecasts, key_decisions, optimism, queries
from innovation.filters import ProjectFilter
from innovation.models import Decision, ForwardPlanEntry, Project

KEY_DECISION_COLUMNS = [
    "key_decision",
    "decision_value",
    "forward_plan_published",
    "earliest_decision_date",
    "urgency_route",
]

PORTFOLIO_COLUMNS = [
    "reference",
    "title",
    "stage",
    "owner",
    "sponsor",
    "service_areas",
    "budget",
    "spend_to_date",
    "rag",
    "innovate_one_off_cost",
    "innovate_yearly_running_cost",
    "innovate_yearly_benefit",
    "innovate_years",
    "innovate_net_value",
    # The same option after the optimism bias uplift (innovation.optimism).
    "innovate_project_type",
    "innovate_delivery_months",
    "innovate_cost_uplift_pct",
    "innovate_duration_uplift_pct",
    "innovate_adjusted_one_off_cost",
    "innovate_adjusted_yearly_running_cost",
    "innovate_adjusted_net_value",
    "latest_decision",
    "latest_decision_date",
    "evaluation_outcome",
    "evidence_level",
    "evidence_level_name",
    # The evaluation against the innovate_* forecast (innovation.forecasts, R12).
    *forecasts.COLUMNS,
    # Key decisions and the forward plan (innovation.key_decisions).
    *KEY_DECISION_COLUMNS,
]


def portfolio_filterset(data, *, organisation: Organisation, user: User) -> ProjectFilter:
    return ProjectFilter(
        data or None, queryset=queries.project_list(organisation=organisation), organisation=organisation
    )


def portfolio_select(*, organisation: Organisation, user: User, data) -> QuerySet[Project]:
    """The projects the project list shows with `data` as its filter, with what the register needs."""
    projects = portfolio_filterset(data, organisation=organisation, user=user).qs
    latest = Decision.objects.filter(project=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        projects.with_forecast_and_actual()
        .with_key_decision()
        .annotate(
            latest_decision=Subquery(latest.values("outcome")[:1]),
            latest_decision_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("reference")
    )


DECISIONS = dict(Decision.Outcome.choices)


def optimism_columns(appraisal: optimism.OptionAppraisal | None) -> list:
    """The innovate_* optimism bias columns of one project, in PORTFOLIO_COLUMNS order."""
    if appraisal is None:
        return [None] * 7
    option = appraisal.option
    return [
        option.get_project_type_display() if option.project_type else None,
        option.delivery_months,
        appraisal.cost_uplift,
        appraisal.duration_uplift,
        appraisal.adjusted_one_off_cost,
        appraisal.adjusted_running_cost,
        appraisal.adjusted_net_value,
    ]


def portfolio_row(project: Project) -> list:
    """One project of portfolio_select as a row in PORTFOLIO_COLUMNS order."""
    case = getattr(project, "business_case", None)
    innovate = case.innovate[0] if case is not None and case.innovate else None
    evaluation = getattr(project, "evaluation", None)
    return [
        project.reference,
        project.title,
        project.get_stage_display(),
        project.owner.full_name or project.owner.email,
        (project.sponsor.full_name or project.sponsor.email) if project.sponsor_id else None,
        "; ".join(area.name for area in project.service_areas.all()),
        project.budget,
        project.spend_to_date,
        project.get_rag_display() if project.rag else None,
        innovate.one_off_cost if innovate else None,
        innovate.running_cost if innovate else None,
        innovate.benefit if innovate else None,
        innovate.years if innovate else None,
        innovate.net_value if innovate else None,
        *optimism_columns(optimism.innovate_appraisal(project) if innovate else None),
        DECISIONS.get(project.latest_decision),
        project.latest_decision_at.date() if project.latest_decision_at else None,
        evaluation.get_outcome_display() if evaluation else None,
        evaluation.evidence_level if evaluation else None,
        evaluation.evidence_label if evaluation else None,
        *forecasts.columns(forecasts.compare(forecast=innovate, evaluation=evaluation)).values(),
        *key_decision_columns(project).values(),
    ]


ROUTES = dict(ForwardPlanEntry.Route.choices)


def key_decision_columns(project: Project) -> dict:
    """KEY_DECISION_COLUMNS of a project loaded with ProjectQuerySet.with_key_decision()."""
    status = key_decisions.status_for(project)
    entry = status.entry
    return {
        "key_decision": status.is_key,
        "decision_value": status.value,
        "forward_plan_published": entry.first_published if entry else None,
        "earliest_decision_date": status.earliest,
        "urgency_route": (entry.exception or None) if entry else None,  # general / special_urgency
    }


# The public forward plan's download: the page's columns, nothing personal beyond the decision-maker.
FORWARD_PLAN_COLUMNS = [
    "project_reference",
    "matter",
    "decision_maker",
    "expected_date",
    "documents",
    "first_published",
    "earliest_decision_date",
    "status",
    "urgency_route",
    "urgency_reason",
    "chair_of_scrutiny",
    "chair_told_or_agreed_on",
    "urgency_published",
]


def forward_plan_rows(items) -> Iterator[list]:
    """innovation.queries.forward_plan's items as rows in FORWARD_PLAN_COLUMNS order."""
    for item in items:
        entry = item.entry
        yield [
            entry.project.reference,
            entry.project.title,
            entry.decision_maker,
            entry.expected_date,
            entry.documents,
            entry.first_published,
            item.earliest,
            item.status,
            ROUTES.get(entry.exception),
            entry.exception_reason or None,
            entry.exception_chair or None,
            entry.exception_date,
            entry.exception_published,
        ]


# ---------------------------------------------------------------- records of decision

DECISION_COLUMNS = [
    "reference",
    "date",
    "project_reference",
    "project",
    "decision",
    "made_by",
    "decision_taken_by",
    "quorum",
    "decision_makers",
    "reasons",
    "option_taken",
    "options_rejected",
    "interests_declared",
    "dispensations",
    "risks_accepted",
    "documents_relied_on",
    "supersedes",
]


def decision_select(*, organisation: Organisation, user: User, data) -> QuerySet[Decision]:
    """Every record of decision of the organisation, oldest first."""
    return queries.decision_list(organisation=organisation).order_by("created_at", "pk")


def decision_row(decision: Decision) -> list:
    """One record of decision, read through queries.decision_record, in DECISION_COLUMNS order."""
    record = queries.decision_record(decision)
    return [
        record.reference,
        record.decided_on,
        record.project_reference,
        record.project_title,
        record.outcome_label,
        record.made_by,
        record.body,
        record.quorum,
        "; ".join(f"{m.name} ({m.role}): {m.note}" for m in record.makers),
        record.reasons,
        record.chosen_option or None,
        "; ".join(f"{o.label}: {o.reason}" for o in record.options_rejected),
        "; ".join(f"{line.name}: {line.description}" for line in record.interests),
        "; ".join(f"{line.name}: {line.dispensation}" for line in record.dispensations),
        "; ".join(risk["title"] for risk in record.accepted_risks),
        "; ".join(f"{d['title']}, {d['detail']}" if d.get("detail") else d["title"] for d in record.documents),
        record.supersedes or None,
    ]

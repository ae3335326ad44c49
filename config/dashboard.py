"""The organisation's home dashboard: a little of every app, each part shown only to
the roles that may read it. It lives in config because it is the one place above every
app (DESIGN.md); every read goes through the apps' own queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Window

from accounts.models import Organisation, User
from innovation import queries as innovation_queries
from innovation.models import ProjectStage
from portfolio import queries as portfolio_queries
from risk import queries as risk_queries
from risk.models import appetite_for
from sharing import queries as sharing_queries
from sharing.reading import lessons_for_reader

SHOWN = 5


@dataclass
class Dashboard:
    gaps: list | None = None
    stages: list = field(default_factory=list)
    awaiting_decision: list | None = None
    awaiting_decision_count: int = 0
    risks_above_appetite: list | None = None
    risks_above_appetite_count: int = 0
    appetite: int | None = None
    lessons: list | None = None


def _first_and_total(queryset) -> tuple[list, int]:
    """The first SHOWN rows and how many there are in all, in one query: the total rides on each
    row as COUNT(*) OVER (), computed before the LIMIT."""
    rows = list(queryset.annotate(total_count=Window(Count("pk")))[:SHOWN])
    return rows, rows[0].total_count if rows else 0


def dashboard_for(*, user: User, organisation: Organisation) -> Dashboard:
    """What this person may see of their organisation at a glance."""
    board = Dashboard()
    if user.has_perm("portfolio.view_report", organisation):
        board.gaps = portfolio_queries.gap_biggest(organisation=organisation, limit=SHOWN)
    if user.has_perm("innovation.view", organisation):
        counts = dict(
            innovation_queries.project_list(organisation=organisation)
            .order_by()
            .values_list("stage")
            .annotate(n=Count("pk"))
        )
        board.stages = [(label, counts.get(value, 0)) for value, label in ProjectStage.choices]
        awaiting = innovation_queries.project_awaiting_decision(organisation=organisation, member=user)
        board.awaiting_decision, board.awaiting_decision_count = _first_and_total(awaiting)
    if user.has_perm("risk.view_register", organisation):
        board.appetite = appetite_for(organisation)
        # Risks of going ahead above appetite that no member has accepted (or whose acceptance has
        # expired): once accepted at the approval gate or on the risk page, they stop being listed.
        above = (
            risk_queries.register_base(organisation=organisation, user=user)
            .awaiting_acceptance(board.appetite)
            .select_related("assessment__project")
            .order_by("-residual_score", "pk")
        )
        board.risks_above_appetite, board.risks_above_appetite_count = _first_and_total(above)
    if user.has_perm("sharing.view_library", organisation):
        latest = sharing_queries.lessons_for_reading(
            sharing_queries.library_search(organisation=organisation).order_by("-published_at", "-pk")
        )[:SHOWN]
        board.lessons = lessons_for_reader(latest, organisation)
    return board

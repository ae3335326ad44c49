"""Read paths for risk assessments and registers, and the access lookups every risk page starts with."""

from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from accounts import access
from accounts import queries as accounts_queries
from accounts.models import Organisation, Role, User
from innovation.models import Project, TeamMember
from risk import scoring
from risk.models import Risk, RiskAssessment, RiskReview, appetite_for


def project_get_for_user(*, user: User, organisation: Organisation, pk: int) -> Project:
    """A project of the organisation whose risks the person may read; another organisation's is a 404."""
    project = get_object_or_404(Project.objects.for_organisation(organisation).select_related("owner"), pk=pk)
    access.require(user, "risk.view_risks", project)
    return project


def risk_get_for_user(*, user: User, organisation: Organisation, pk: int) -> Risk:
    """A risk of the organisation the person may read; another organisation's is a 404."""
    risk = get_object_or_404(
        Risk.objects.for_organisation(organisation).select_related(
            "assessment__project__owner",
            "owner",
            "accepted_by",
            "acceptance_decision",
            "escalated_by",
            "organisation",
        ),
        pk=pk,
    )
    access.require(user, "risk.view_risks", risk)
    return risk


def assessment_for(project: Project) -> RiskAssessment | None:
    """The project's risk assessment, or None when it has not been started."""
    return RiskAssessment.objects.filter(project=project).first()


def register_base(*, organisation: Organisation, user: User) -> QuerySet[Risk]:
    """The organisation's register: risks of its live projects and the risks of not innovating it
    carries since their project was rejected; for an officer, their own projects' and the risks
    they own (the same reach as the risk.view_risks rule)."""
    risks = Risk.objects.for_organisation(organisation).on_register()
    if accounts_queries.membership_role(user=user, organisation=organisation) == Role.OFFICER:
        own_projects = Project.objects.for_organisation(organisation).filter(
            Q(owner=user) | Q(pk__in=TeamMember.objects.filter(user=user).values("project_id"))
        )
        risks = risks.filter(Q(assessment__project__in=own_projects.values("pk")) | Q(owner=user))
    return risks


def project_register_base(*, project: Project) -> QuerySet[Risk]:
    """Every risk on one project's register, whatever its stage."""
    return Risk.objects.for_organisation(project.organisation).filter(assessment__project=project)


def register_rows(risks: QuerySet[Risk]) -> QuerySet[Risk]:
    """Risks ready to list: their project, owner and acceptor, and the residual score before the latest change."""
    previous = RiskReview.objects.filter(risk=OuterRef("pk")).order_by("-reviewed_at", "-pk").values("residual_score")
    return risks.select_related("assessment__project", "owner", "accepted_by").annotate(
        previous_residual_score=Subquery(previous[1:2])
    )


@dataclass
class HeatMapCell:
    likelihood: int
    impact: int
    count: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self):
        return scoring.band(self.score)

    @property
    def band_label(self) -> str:
        return self.band.label

    @property
    def tag_class(self) -> str:
        return scoring.BAND_TAG_CLASSES[self.band]


@dataclass
class HeatMap:
    kind: str  # "inherent" or "residual"
    rows: list[tuple[int, list[HeatMapCell]]]  # impact 5 down to 1, each with likelihood 1 to 5

    @property
    def total(self) -> int:
        return sum(cell.count for _, cells in self.rows for cell in cells)

    @property
    def cells(self) -> list[HeatMapCell]:
        """Every cell with at least one risk, highest score first: the heat map as a list."""
        found = [cell for _, cells in self.rows for cell in cells if cell.count]
        return sorted(found, key=lambda cell: (-cell.score, -cell.impact))

    @property
    def label(self) -> str:
        if self.kind == "inherent":
            return gettext("before controls (inherent)")
        return gettext("after controls (residual)")


def _heat_map(kind: str, counts: dict[tuple[int, int], int]) -> HeatMap:
    rows = [
        (i, [HeatMapCell(likelihood=lk, impact=i, count=counts.get((lk, i), 0)) for lk in scoring.SCALE])
        for i in reversed(scoring.SCALE)
    ]
    return HeatMap(kind=kind, rows=rows)


def highest_open_residual(project: OuterRef) -> Subquery:
    """The highest residual score of a project's open risks of going ahead (None without one), as a
    subquery for annotating projects: `projects.annotate(r=highest_open_residual(OuterRef("pk")))`.
    The risk of not innovating is left out: it is weighed for the project, not a risk of it."""
    return Subquery(
        Risk.objects.open()
        .of_innovating()
        .filter(assessment__project=project)
        .order_by()
        .values("assessment__project")
        .annotate(highest=Max("residual_score"))
        .values("highest")[:1]
    )


@dataclass
class ProjectRiskSummary:
    open_count: int
    highest_residual: int | None
    highest_band_label: str | None
    exceeds_appetite: bool
    appetite: int
    assessment_summary: str
    top_risks: list[Risk]  # open risks, highest residual (else inherent) score first


def project_risk_summaries(*, organisation: Organisation, project_ids: list[int], top: int = 3) -> dict:
    """For each project id, its open risks' score and band, the appetite test and its top risks.

    Projects without a risk assessment are left out of the answer. Two queries, however many projects.
    """
    appetite = appetite_for(organisation)
    assessments = {
        a.project_id: a
        for a in RiskAssessment.objects.for_organisation(organisation).filter(project_id__in=project_ids)
    }
    risks: dict[int, list[Risk]] = {project_id: [] for project_id in assessments}
    open_risks = (
        Risk.objects.for_organisation(organisation)
        .open()
        .filter(assessment__project_id__in=project_ids)
        .select_related("owner", "assessment")
    )
    for risk in open_risks:
        risks[risk.assessment.project_id].append(risk)
    summaries = {}
    for project_id, assessment in assessments.items():
        ranked = sorted(risks[project_id], key=lambda r: (-r.current_score, -r.inherent_score, r.pk))
        # The project's own risk: the risk of not innovating is weighed for it, not counted against it.
        residuals = [r.residual_score for r in ranked if r.residual_score is not None and not r.is_not_innovating]
        highest = max(residuals) if residuals else None
        band = scoring.band(highest)
        summaries[project_id] = ProjectRiskSummary(
            open_count=len(ranked),
            highest_residual=highest,
            highest_band_label=band.label if band else None,
            exceeds_appetite=highest is not None and highest > appetite,
            appetite=appetite,
            assessment_summary=assessment.summary,
            top_risks=ranked[:top],
        )
    return summaries


@dataclass
class RegisterSummary:
    count: int
    heat_maps: list[HeatMap]  # inherent, then residual


def register_summary(risks: QuerySet[Risk]) -> RegisterSummary:
    """The number of risks and both heat maps, from one grouped query over the same filtered risks.

    One pass rather than three (a count and two maps), and by construction the cells add up to
    what the register lists; the residual map leaves out risks with no residual score yet.
    """
    inherent: dict[tuple[int, int], int] = {}
    residual: dict[tuple[int, int], int] = {}
    total = 0
    fields = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
    for il, ii, rl, ri, n in risks.order_by().values_list(*fields).annotate(n=Count("pk")).values_list(*fields, "n"):
        total += n
        inherent[il, ii] = inherent.get((il, ii), 0) + n
        if rl is not None:
            residual[rl, ri] = residual.get((rl, ri), 0) + n
    return RegisterSummary(count=total, heat_maps=[_heat_map("inherent", inherent), _heat_map("residual", residual)])

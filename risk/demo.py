"""Demonstration risk registers for the demo projects: development only (seed_demo refuses DEBUG off).

Every live demo project gets a risk assessment weighing the risks of going ahead against
the risk of not innovating. Some risks sit above the organisation's appetite, some
reviews are overdue, one acceptance has expired, and some risks have moved at review.
Built through the services, so every row has its history; safe to run twice.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Organisation, Role, User
from innovation.models import Project, ProjectStage
from risk import services
from risk.models import Risk, RiskAssessment

APPETITES = {"ashby": 12, "kingsmere": 10}

# (title, category, inherent L, I, treatment, residual L, I, control, control cost, description)
RISKS_OF_GOING_AHEAD = [
    (
        "Supplier cannot deliver the new system on time",
        "delivery",
        4,
        4,
        "reduce",
        2,
        3,
        "Fixed-price contract with payment on each milestone",
        Decimal("0"),
        "A small supplier with other contracts; a slip would push the pilot past the budget year.",
    ),
    (
        "Costs overrun the agreed budget",
        "financial",
        3,
        4,
        "reduce",
        2,
        3,
        "Monthly spend review with the finance business partner",
        Decimal("1200"),
        "Set-up costs are estimates from one other council's pilot.",
    ),
    (
        "Residents do not take up the new service",
        "service_users",
        3,
        4,
        "reduce",
        3,
        3,
        "Co-design sessions with residents and a launch campaign in the libraries",
        Decimal("3500"),
        "Older residents and those without smartphones may keep phoning the contact centre.",
    ),
    (
        "Personal data shared with the partner is mishandled",
        "legal",
        2,
        5,
        "reduce",
        1,
        5,
        "Data protection impact assessment and a data-sharing agreement signed before launch",
        Decimal("0"),
        "The pilot shares names, addresses and phone numbers with a third party.",
    ),
    (
        "Expected savings do not materialise",
        "financial",
        4,
        4,
        "accept",
        4,
        4,
        "Quarterly benefits tracking against the business case",
        Decimal("0"),
        "The savings rely on a fall in repeat contacts that no other council has yet shown.",
    ),
    (
        "Partner organisation withdraws from the pilot",
        "partners",
        2,
        4,
        "transfer",
        2,
        3,
        "Memorandum of understanding with notice periods and shared exit costs",
        Decimal("500"),
        "The voluntary-sector partner depends on a grant that ends in March.",
    ),
    (
        "Local press reports the pilot as a failure in its first month",
        "reputational",
        3,
        3,
        "reduce",
        3,
        2,
        "Briefing for ward members and a communications plan agreed with the press office",
        Decimal("0"),
        "Early teething problems are likely and visible to residents.",
    ),
    (
        "Staff lack the skills to run the new process",
        "delivery",
        4,
        3,
        "reduce",
        2,
        3,
        "Training for the team before go-live, with a super-user in each shift",
        Decimal("2400"),
        "",
    ),
]

MISSED_OPPORTUNITY = (
    "Performance keeps falling further behind aspiration if nothing changes",
    "missed_opportunity",
    4,
    4,
    "reduce",
    2,
    3,
    "This project is the control: it is the only option expected to close the gap",
    None,
    "On current trends the indicator worsens each quarter, and incremental changes tried over the last "
    "two years have not turned it round.",
)


def _person(organisation: Organisation, slug: str, role: str) -> User:
    return User.objects.get(email=demo_email(slug, role), memberships__organisation=organisation)


def _risk(project: Project, actor: User, owner: User, row, *, review_date: datetime.date | None) -> Risk:
    title, category, il, ii, treatment, rl, ri, control, cost, description = row
    risk = services.risk_create(
        actor=actor,
        project=project,
        title=title,
        description=description,
        category=category,
        owner=owner,
        inherent_likelihood=il,
        inherent_impact=ii,
        treatment=treatment,
        residual_likelihood=rl,
        residual_impact=ri,
        review_date=review_date,
    )
    services.control_add(
        actor=actor,
        risk=risk,
        description=control,
        owner=owner,
        cost=cost,
        start_date=project.created_at.date(),
        due_date=project.created_at.date() + datetime.timedelta(days=60),
        status="in_place" if rl and rl < il else "planned",
    )
    return risk


def _seed_project(project: Project, n: int, slug: str) -> None:
    organisation = project.organisation
    manager = _person(organisation, slug, Role.MANAGER)
    officer = _person(organisation, slug, Role.OFFICER)
    admin = _person(organisation, slug, Role.ADMIN)
    member = _person(organisation, slug, Role.MEMBER)
    owners = [manager, officer, admin]
    today = timezone.localdate()
    rows = [RISKS_OF_GOING_AHEAD[(n + k) % len(RISKS_OF_GOING_AHEAD)] for k in range(4 + n % 3)]
    risks = []
    for k, row in enumerate(rows):
        # Every third risk has let its review slip, so the register and the weekly email have work to show.
        overdue = today - datetime.timedelta(days=10 + 7 * k) if (n + k) % 3 == 0 else None
        risks.append(_risk(project, manager, owners[k % len(owners)], row, review_date=overdue))
    risks.append(_risk(project, manager, manager, MISSED_OPPORTUNITY, review_date=None))
    services.assessment_update(
        actor=manager,
        project=project,
        summary=(
            f"Going ahead carries {len(rows)} risks, chiefly around delivery and cost, which the controls bring "
            "down to medium. Not innovating is itself a high risk: the service keeps falling behind what it "
            "aspires to, and incremental improvement has not closed the gap."
        ),
        recommendation="Go ahead, with monthly risk reviews during the first quarter.",
    )
    first = risks[0]
    services.risk_review(
        actor=manager,
        risk=first,
        inherent_likelihood=first.inherent_likelihood,
        inherent_impact=first.inherent_impact,
        residual_likelihood=min(5, (first.residual_likelihood or 1) + 1),
        residual_impact=first.residual_impact or 3,
        note="The supplier has asked for a later go-live date; more likely than we thought.",
    )
    if n % 2 == 1:
        services.risk_comment_add(actor=member, risk=first, body="What would we do if this happened in December?")
    above = next((risk for risk in risks if risk.residual_score and risk.residual_score > 12), None)
    if above is not None:
        services.risk_escalate(actor=manager, risk=above, note="Above our appetite: members should decide on it.")
        services.risk_accept(
            actor=member, risk=above, until=today + datetime.timedelta(days=90), note="Worth it for the savings."
        )
        if n % 2 == 0:
            # Shows an acceptance that has lapsed on the register; the service only takes future dates.
            Risk.objects.filter(pk=above.pk).update(accepted_until=today - datetime.timedelta(days=5))


@transaction.atomic
def seed(organisations: dict[str, Organisation]) -> None:
    """Risk appetites, and a register for every demo project that has none yet."""
    for slug, appetite in APPETITES.items():
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        services.appetite_set(
            actor=_person(organisation, slug, Role.ADMIN), organisation=organisation, max_residual_score=appetite
        )
        assessed = RiskAssessment.objects.for_organisation(organisation).values("project_id")
        projects = (
            Project.objects.for_organisation(organisation)
            .exclude(stage__in=[ProjectStage.REJECTED])
            .exclude(pk__in=assessed)
            .order_by("reference")
        )
        for n, project in enumerate(projects):
            if project.stage == ProjectStage.ASSESSMENT and n % 2 == 0:
                continue  # still being written: shows a project with no risk assessment yet
            _seed_project(project, n, slug)

"""Demonstration campaigns, ideas and projects: development only (seed_demo refuses DEBUG off).

Ideas and screening go through the services, as people would. Projects past assessment
are loaded as history, back-dated so that the pipeline's time-in-stage figures mean
something: their stage changes and decisions are written as the log rows the services
would have written months ago. (The approval gate needs a risk assessment, which the
risk app's demo adds afterwards; innovation may not import risk.) Every stage is
represented, failures included. Safe to run twice: an organisation with ideas is skipped.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import SPONSOR_SLUG, demo_email
from accounts.models import Organisation, Role, User
from innovation import services
from innovation.models import (
    BusinessCase,
    BusinessCaseOption,
    Decision,
    DecisionArrangement,
    DecisionMaker,
    Evaluation,
    Factor,
    ForwardPlanEntry,
    Idea,
    Involvement,
    Milestone,
    OptimismBiasMitigation,
    Project,
    ProjectStage,
    ProjectTransition,
    ProjectType,
    TeamMember,
)
from portfolio.models import Indicator, Service, ServiceArea

IDEAS = [
    # title, problem, proposal, source
    (
        "Text reminders the night before bin day",
        "Missed bin collections lead to complaints and return visits that cost the crews time.",
        "Send an opt-in text message the evening before each household's collection.",
        "staff",
    ),
    (
        "Bin day reminder messages",
        "Households forget which bin goes out and collections are missed.",
        "A reminder message service for collection days.",
        "service_user",
    ),
    (
        "Library volunteers helping people claim benefits online",
        "People who cannot get online miss out on benefits they are entitled to.",
        "Train library volunteers as digital helpers, with weekly drop-in sessions.",
        "partner",
    ),
    (
        "Shared housing officer with the fire service for safe-and-well visits",
        "Vulnerable tenants get separate visits from housing and fire, and each sees half the picture.",
        "One joint visit covering tenancy, fire safety and falls prevention.",
        "provider",
    ),
    (
        "Pothole reporting with photos",
        "Pothole reports lack the detail needed to prioritise repairs, so inspectors visit twice.",
        "Let residents attach a photo and map pin to their report.",
        "member",
    ),
    (
        "Four-day week for planning officers",
        "We struggle to recruit planning officers.",
        "Trial a compressed four-day week, as South Cambridgeshire did.",
        "elsewhere",
    ),
    (
        "Early help front door with health visitors",
        "Families are passed between council and NHS services and come back to children's social care later.",
        "One front door for early help, with health visitors and school nurses alongside our staff.",
        "partner",
    ),
]

# What each demo idea and project is about: its service and the indicator it aims at (None for
# none), so that suggestions ("tried elsewhere", likely duplicates) match on what they are about.
ABOUT = {
    "Text reminders the night before bin day": (Service.WASTE, None),
    "Bin day reminder messages": (Service.WASTE, None),
    "Library volunteers helping people claim benefits online": (Service.CULTURE_LEISURE, "CL-LIBRARY"),
    "Shared housing officer with the fire service for safe-and-well visits": (Service.HOUSING, None),
    "Pothole reporting with photos": (Service.HIGHWAYS_TRANSPORT, "HW-POTHOLE"),
    "Four-day week for planning officers": (Service.PLANNING, "PS2-MINOR"),
    "Early help front door with health visitors": (Service.CHILDRENS_SERVICES, "CS-REREF"),
    "Reablement at home after hospital discharge": (Service.ADULT_SOCIAL_CARE, "ASCOF-2B"),
    "Digital self-service for council tax changes": (Service.REVENUES_BENEFITS, "CTAX-COLL"),
    "Community wardens for fly-tipping hot spots": (Service.WASTE, "FLY-TIP"),
    "Predictive maintenance for council housing boilers": (Service.HOUSING, "HOU-DECENT"),
    "Joint hub for early help with the NHS": (Service.CHILDRENS_SERVICES, "CS-REREF"),
    "Chatbot for housing repairs": (Service.HOUSING, None),
    "Drone surveys of council roofs": (Service.HOUSING, "HOU-DECENT"),
    "Parking permits on residents' phones": (Service.HIGHWAYS_TRANSPORT, None),
    "Smart bins in the town centre": (Service.WASTE, "NI191"),
    "Extra care housing with a housing association": (Service.HOUSING, None),
    "Modular temporary homes for families": (Service.HOUSING, None),
}


DEMO_PROJECT_TYPES = [
    ProjectType.EQUIPMENT_DEVELOPMENT,
    ProjectType.NON_STANDARD_BUILDINGS,
    ProjectType.STANDARD_BUILDINGS,
    ProjectType.OUTSOURCING,
]
DEMO_MITIGATIONS = [
    (Factor.INADEQUATE_BUSINESS_CASE, 60, "Costs checked against two councils that ran the same pilot."),
    (Factor.STAKEHOLDERS, 50, "Residents’ panel and ward members agreed the design before procurement."),
]


def _about(organisation: Organisation, title: str) -> tuple[ServiceArea, Indicator | None]:
    """The service area (the organisation's own for that service, made if it has none) and the
    indicator a demo idea or project is about."""
    service, code = ABOUT[title]
    return _area(organisation, service), Indicator.objects.catalogue().filter(code=code).first() if code else None


def _area(organisation: Organisation, service: str) -> ServiceArea:
    area = ServiceArea.objects.for_organisation(organisation).filter(service=service).order_by("pk").first()
    if area is None:
        area = ServiceArea.objects.create(organisation=organisation, name=Service(service).label, service=service)
    return area


# title, stage, age in days, [(to_stage, day after creation)], innovate option (one-off, running, benefit, years)
PROJECTS = [
    (
        "Reablement at home after hospital discharge",
        ProjectStage.AWAITING_APPROVAL,
        70,
        [("awaiting_approval", 55)],
        (60000, 20000, 65000, 3),
    ),
    (
        "Digital self-service for council tax changes",
        ProjectStage.IMPLEMENTATION,
        300,
        [("awaiting_approval", 60), ("implementation", 90)],
        (120000, 15000, 80000, 5),
    ),
    (
        "Community wardens for fly-tipping hot spots",
        ProjectStage.IMPLEMENTATION,
        240,
        [("awaiting_approval", 45), ("implementation", 70)],
        (30000, 45000, 60000, 3),
    ),
    (
        "Predictive maintenance for council housing boilers",
        ProjectStage.EVALUATION,
        500,
        [("awaiting_approval", 50), ("implementation", 80), ("evaluation", 420)],
        (80000, 10000, 50000, 4),
    ),
    (
        "Joint hub for early help with the NHS",
        ProjectStage.CLOSED,
        720,
        [("awaiting_approval", 60), ("implementation", 100), ("evaluation", 500), ("closed", 560)],
        (150000, 40000, 120000, 5),
    ),
    (
        "Chatbot for housing repairs",
        ProjectStage.CLOSED,
        650,
        [("awaiting_approval", 40), ("implementation", 75), ("evaluation", 400), ("closed", 450)],
        (45000, 12000, 8000, 3),
    ),
    (
        "Drone surveys of council roofs",
        ProjectStage.REJECTED,
        200,
        [("awaiting_approval", 50), ("rejected", 80)],
        (90000, 5000, 15000, 3),
    ),
    (
        "Parking permits on residents' phones",
        ProjectStage.DEFERRED,
        160,
        [("awaiting_approval", 40), ("deferred", 65)],
        (25000, 6000, 14000, 3),
    ),
    (
        "Smart bins in the town centre",
        ProjectStage.ABANDONED,
        400,
        [("awaiting_approval", 40), ("implementation", 70), ("abandoned", 250)],
        (70000, 8000, 20000, 5),
    ),
    # Key decisions (KEY_DECISION_THRESHOLD): the first's budget (£480,000) is under the threshold
    # but its whole-life cost (£420,000 + £60,000 × 5 = £720,000) is not; the second costs £1.35m.
    (
        "Extra care housing with a housing association",
        ProjectStage.AWAITING_APPROVAL,
        60,
        [("awaiting_approval", 40)],
        (420000, 60000, 180000, 5),
    ),
    (
        "Modular temporary homes for families",
        ProjectStage.AWAITING_APPROVAL,
        20,
        [("awaiting_approval", 15)],
        (950000, 40000, 210000, 10),
    ),
]

# A realistic key-decision threshold for a district or unitary council's executive.
KEY_DECISION_THRESHOLD = Decimal("500000")
# title: (decision-maker, published days ago, expected in days, documents, urgency route or None)
FORWARD_PLAN = {
    "Extra care housing with a housing association": (
        "Cabinet",
        40,
        7,
        "Report of the Director of Housing; business case; risk assessment; equality impact assessment.",
        None,
    ),
    "Modular temporary homes for families": (
        "Cabinet Member for Housing",
        10,
        4,
        "Report of the Director of Housing; business case; risk assessment.",
        (
            "general",
            "The supplier's offer of factory slots for this winter closes before 28 clear days' notice could run.",
            "Cllr Ann Lee, Chair of the Overview and Scrutiny Committee",
            3,
        ),
    ),
}

COMMENTS = {
    "implementation": "Good value and the risks are understood.",
    "rejected": "The benefits depend on a supplier we cannot rely on.",
    "deferred": "Come back after the budget is set.",
    "abandoned": "The supplier's sensors did not survive the first winter; we stopped before more spend.",
    "closed": "Evaluated and written up as a lesson.",
}

# Why the options a historic decision rejected were rejected, as a portfolio holder would write.
REJECTED_BECAUSE = {
    "incremental": "Tweaking the current service would close under a third of the gap in the horizon, "
    "so the shortfall against our aspiration would remain.",
    "do_nothing": "Doing nothing leaves the gap to widen and carries the risk of not innovating, "
    "which the risk assessment scores as high.",
    "innovate": "The business case depends on a single supplier whose pilot results we cannot yet rely on.",
}

EVALUATIONS = {
    "Predictive maintenance for council housing boilers": (
        "partly_succeeded",
        "Breakdowns fell by a third on the pilot estates, but sensor batteries failed early.",
        4,
    ),
    "Joint hub for early help with the NHS": (
        "succeeded",
        "Families were seen a fortnight sooner and repeat referrals fell.",
        5,
    ),
    "Chatbot for housing repairs": (
        "did_not_succeed",
        "Tenants preferred the phone; most chats ended with a request to speak to someone.",
        2,
    ),
}

# The level of evidence each demo evaluation reached (innovation/evidence.py), as most councils'
# do: mostly levels 1 and 2, some 3, rarely 4. By organisation, then title: (level, support,
# comparison group, independent evaluator).
EVIDENCE = {
    "ashby": {
        "Predictive maintenance for council housing boilers": (
            2,
            "Breakdown call-outs on the pilot estates, counted for twelve months before and after.",
            "",
            "",
        ),
        "Joint hub for early help with the NHS": (
            3,
            "Time from referral to first visit and repeat referrals, from the hub's case records.",
            "Families in the two localities not yet served by the hub, over the same year.",
            "",
        ),
        "Chatbot for housing repairs": (
            1,
            "A theory of change: out-of-hours reporting should cut daytime calls. Call volumes were not tracked.",
            "",
            "",
        ),
    },
    "kingsmere": {
        "Predictive maintenance for council housing boilers": (
            2,
            "Boiler failures logged by the repairs contractor before and after the sensors were fitted.",
            "",
            "",
        ),
        "Joint hub for early help with the NHS": (
            4,
            "A second hub, run like the first, repeated its results a year later.",
            "Matched families referred before the hub opened.",
            "The University of Northfield's social policy unit",
        ),
        "Chatbot for housing repairs": (
            2,
            "Chats and calls counted weekly for six months after launch.",
            "",
            "",
        ),
    },
}


def _person(organisation: Organisation, slug: str, role: str) -> User:
    return User.objects.get(email=demo_email(slug, role))


@transaction.atomic
def seed(organisations: dict[str, Organisation]) -> None:
    """Campaigns, ideas at every screening stage and projects at every lifecycle stage."""
    for slug in ("ashby", "kingsmere"):
        organisation = organisations.get(slug)
        if organisation is None or Idea.objects.for_organisation(organisation).exists():
            continue
        _seed_organisation(organisation, slug)


def _seed_organisation(organisation: Organisation, slug: str) -> None:
    officer, manager = _person(organisation, slug, Role.OFFICER), _person(organisation, slug, Role.MANAGER)
    member, admin = _person(organisation, slug, Role.MEMBER), _person(organisation, slug, Role.ADMIN)
    areas = [_area(organisation, Service.WASTE), _area(organisation, Service.CORPORATE)]
    services.criteria_ensure_defaults(organisation=organisation)
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=manager,
        organisation=organisation,
        title="Cleaner, greener streets",
        question="How could we cut fly-tipping and missed collections without more crews?",
        deadline=today + datetime.timedelta(days=30),
        service_areas=areas[:1],
    )
    services.campaign_create(
        actor=manager,
        organisation=organisation,
        title="Helping people online",
        question="How can we help residents who struggle to use our online services?",
        deadline=today,
        service_areas=areas[1:2],
    )
    ideas = []
    for n, (title, problem, proposal, source) in enumerate(IDEAS):
        area, aimed_at = _about(organisation, title)
        ideas.append(
            services.idea_create(
                actor=[officer, manager, admin][n % 3],
                organisation=organisation,
                title=title,
                problem=problem,
                proposal=proposal,
                source=source,
                service_areas=[area],
                indicator=aimed_at,
                campaign=campaign if n < 2 else None,
            )
        )
    bins, bins_again, library, joint, potholes, four_day, _early_help = ideas
    services.idea_comment(actor=manager, idea=bins, body="Could we use the contact details from garden waste sign-ups?")
    services.idea_support(actor=member, idea=bins)
    services.idea_support(actor=admin, idea=bins)
    services.idea_merge(actor=manager, idea=bins_again, into=bins, comment="Same idea as the bin-day texts")
    services.scorecard_assign(actor=manager, idea=bins, assessor=manager, lead=True)
    services.scorecard_assign(actor=manager, idea=bins, assessor=officer)
    services.scorecard_assign(actor=manager, idea=bins, assessor=member)
    criteria = services.criteria_ensure_defaults(organisation=organisation)
    services.idea_start_screening(actor=manager, idea=bins)
    services.scorecard_submit(actor=manager, idea=bins, scores={c.pk: 4 for c in criteria}, notes="Cheap to try")
    services.scorecard_submit(actor=officer, idea=bins, scores={c.pk: 3 for c in criteria})
    services.idea_request_clarification(actor=manager, idea=potholes, request="Would photos be checked before repair?")
    services.idea_decline(
        actor=manager,
        idea=four_day,
        reason="A working-pattern change is for HR policy, not the innovation portfolio; passed to HR.",
    )
    project = services.idea_accept(actor=manager, idea=joint, owner=manager, comment="Strong fit with our gap")
    # The projects' sponsor is a second member: a sponsor may not be the only decision-maker, so
    # the demo member decides them as portfolio holder.
    sponsor = User.objects.get(email=demo_email(slug, SPONSOR_SLUG))
    services.project_set_sponsor(actor=manager, project=project, sponsor=sponsor)
    del library  # left as submitted, waiting to be screened
    # Ashby publishes its records of decision; Kingsmere keeps them to itself.
    DecisionArrangement.objects.get_or_create(
        organisation=organisation, defaults={"publish_decisions": slug == "ashby"}
    )
    for spec in PROJECTS:
        _historic_project(
            organisation, spec, slug=slug, manager=manager, member=member, officer=officer, sponsor=sponsor
        )
    _seed_forward_plan(organisation, admin=admin, manager=manager)


def _seed_forward_plan(organisation: Organisation, *, admin: User, manager: User) -> None:
    """The threshold through the service; the entries back-dated as history, since the service
    publishes only today (innovation.key_decisions)."""
    services.key_decision_threshold_set(actor=admin, organisation=organisation, amount=KEY_DECISION_THRESHOLD)
    today = timezone.localdate()
    for title, (decision_maker, published_ago, expected_in, documents, urgency) in FORWARD_PLAN.items():
        project = Project.objects.for_organisation(organisation).get(title=title)
        entry = ForwardPlanEntry(
            organisation=organisation,
            project=project,
            decision_maker=decision_maker,
            expected_date=today + datetime.timedelta(days=expected_in),
            documents=documents,
            first_published=today - datetime.timedelta(days=published_ago),
            added_by=manager,
        )
        if urgency:
            route, reason, chair, told_ago = urgency
            entry.exception, entry.exception_reason, entry.exception_chair = route, reason, chair
            entry.exception_date = entry.exception_published = today - datetime.timedelta(days=told_ago)
        entry._history_user = manager
        entry.save()


def _historic_project(organisation, spec, *, slug, manager, member, officer, sponsor) -> Project:
    title, stage, age_days, moves, (one_off, running, benefit, years) = spec
    area, indicator = _about(organisation, title)
    now = timezone.now()
    created = now - datetime.timedelta(days=age_days)
    last = Project.objects.for_organisation(organisation).order_by("-reference").first()
    project = Project(
        organisation=organisation,
        reference=(last.reference if last else 0) + 1,
        title=title,
        summary=f"{title}: a pilot in two neighbourhoods before any wider roll-out.",
        owner=manager,
        sponsor=sponsor,
        indicator=indicator,
        budget=Decimal(one_off + running),
        created_at=created,
        stage=ProjectStage.ASSESSMENT,
    )
    project._history_user = manager
    project.save()
    project.service_areas.set([area])
    case = BusinessCase.objects.create(
        organisation=organisation,
        project=project,
        summary="Innovation beats the alternatives over the horizon.",
        recommended_option=BusinessCaseOption.Kind.INNOVATE,
    )
    figures = {
        "innovate": (one_off, running, benefit),
        "incremental": (one_off // 5, running // 2, benefit // 3),
        "do_nothing": (0, 0, 0),
    }
    # Kinds of project for the optimism bias uplift, varied across the demo's projects; doing
    # nothing builds and buys nothing, so it has none.
    innovate_type = DEMO_PROJECT_TYPES[project.reference % len(DEMO_PROJECT_TYPES)]
    kinds = {"innovate": (innovate_type, 12), "incremental": (ProjectType.OUTSOURCING, 6), "do_nothing": ("", None)}
    for kind, (o, r, b) in figures.items():
        BusinessCaseOption.objects.create(
            organisation=organisation,
            business_case=case,
            kind=kind,
            one_off_cost=Decimal(o),
            running_cost=Decimal(r),
            benefit=Decimal(b),
            years=years,
            project_type=kinds[kind][0],
            delivery_months=kinds[kind][1],
        )
    for factor, share, how in DEMO_MITIGATIONS[: project.reference % 3]:
        OptimismBiasMitigation.objects.create(
            organisation=organisation,
            business_case=case,
            factor=factor,
            share_mitigated=share,
            how=how,
            recorded_by=manager,
        )
    previous = ProjectStage.ASSESSMENT
    for to, day in moves:
        when = created + datetime.timedelta(days=day)
        actor = member if to in ("implementation", "rejected", "deferred") else manager
        comment = COMMENTS.get(to, "")
        ProjectTransition.objects.create(
            organisation=organisation,
            project=project,
            actor=actor,
            from_stage=previous,
            to_stage=to,
            comment=comment,
            created_at=when,
        )
        if to in ("implementation", "rejected", "deferred"):
            outcome = {"implementation": "approved", "rejected": "rejected", "deferred": "deferred"}[to]
            earlier = Decision.objects.filter(project=project).order_by("-created_at").first()
            rejects = {"approved": ["incremental", "do_nothing"], "rejected": ["innovate"]}.get(outcome, [])
            options = {option.kind: option for option in case.options.all()}
            decision = Decision.objects.create(
                organisation=organisation,
                project=project,
                member=member,
                outcome=outcome,
                rationale=comment,
                created_at=when,
                chosen_option="innovate" if outcome == "approved" else "",
                options_rejected=[
                    {
                        "kind": kind,
                        "label": str(BusinessCaseOption.Kind(kind).label),
                        "net_value": str(options[kind].net_value),
                        "reason": REJECTED_BECAUSE[kind],
                    }
                    for kind in rejects
                ],
                documents=[
                    {
                        "title": "Business case",
                        "detail": f"version 1, last changed {when - datetime.timedelta(days=3):%-d %B %Y}",
                    },
                    {
                        "title": "Risk assessment",
                        "detail": f"last changed {when - datetime.timedelta(days=2):%-d %B %Y}",
                    },
                ],
                supersedes=earlier,
            )
            # The portfolio holder declared an interest once (a relative works for the pilot's
            # partner) and had a dispensation from the monitoring officer: the record shows both.
            declared = outcome == "approved" and "self-service" in title
            DecisionMaker.objects.create(
                organisation=organisation,
                decision=decision,
                member=member,
                role="Portfolio holder",
                interest="declared" if declared else "none",
                interest_description="A close relative works for the software supplier’s local partner"
                if declared
                else "",
                dispensation_granted_by="the Monitoring Officer" if declared else "",
                dispensation_date=(when - datetime.timedelta(days=5)).date() if declared else None,
            )
        previous = to
        project.stage_changed_at = when
    project.stage = stage
    if stage in (ProjectStage.REJECTED, ProjectStage.ABANDONED, ProjectStage.CLOSED):
        project.end_reason = COMMENTS[stage]
    if stage in (ProjectStage.IMPLEMENTATION, ProjectStage.EVALUATION, ProjectStage.CLOSED, ProjectStage.ABANDONED):
        project.spend_to_date = Decimal(one_off) * Decimal("0.6")
        project.rag = "amber" if "wardens" in title else "green"
        project.rag_reason = "Recruitment of wardens is a month late." if "wardens" in title else "On plan."
        _delivery(project, created, officer)
    project._history_user = manager
    project._change_reason = "Loaded as demo history"
    project.save()
    if title in EVALUATIONS:
        outcome, summary, transferability = EVALUATIONS[title]
        level, support, comparison, evaluator = EVIDENCE.get(slug, EVIDENCE["ashby"])[title]
        Evaluation.objects.create(
            organisation=organisation,
            project=project,
            outcome=outcome,
            summary=summary,
            actual_one_off_cost=Decimal(one_off) * Decimal("1.1"),
            actual_running_cost=Decimal(running),
            actual_benefit=Decimal(benefit) * (Decimal("0.2") if outcome == "did_not_succeed" else Decimal("0.9")),
            actual_years=years,
            indicator_before=Decimal("62.0"),
            indicator_after=Decimal("65.5" if outcome != "did_not_succeed" else "61.8"),
            indicator_override_reason="Demo figures, typed in rather than imported.",
            value_for_money="Judged against the business case's expected net value.",
            transferability=transferability,
            transferability_reasons="Depends mostly on having a willing partner and basic data.",
            evidence_level=level,
            evidence_support=support,
            evidence_comparison=comparison,
            evidence_evaluator=evaluator,
            recorded_by=manager,
        )
    return project


def _delivery(project: Project, created: datetime.datetime, officer: User) -> None:
    today = timezone.localdate()
    start = created.date()
    for n, (title, offset, status) in enumerate(
        [
            ("Supplier chosen", 100, "done"),
            ("Pilot starts", 140, "done"),
            ("Mid-point review", 220, "in_progress"),
            ("Pilot ends", 330, "not_started"),
        ]
    ):
        due = start + datetime.timedelta(days=offset)
        if status == "done" and due > today:
            status = "in_progress"
        Milestone.objects.create(
            organisation=project.organisation,
            project=project,
            title=title,
            due_date=due,
            status=status,
            completed_on=due if status == "done" else None,
        )
        del n
    for name, department, role in [
        ("Priya Shah", "Customer services", "Design lead"),
        ("Ben Carter", "ICT", "Technical lead"),
        ("Ruth Adeyemi", "Finance", "Business partner"),
    ]:
        TeamMember.objects.create(
            organisation=project.organisation, project=project, name=name, department=department, role=role
        )
    Involvement.objects.create(
        organisation=project.organisation,
        project=project,
        group=Involvement.Group.SERVICE_USERS,
        who="14 residents from the pilot neighbourhoods",
        how="Two co-design workshops in the library",
        what_changed="Letters kept as an option for people without a mobile phone.",
        happened_on=start + datetime.timedelta(days=110),
        recorded_by=officer,
    )

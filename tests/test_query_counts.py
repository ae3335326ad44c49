"""Every main page (issue 17) makes the same number of queries however many rows it shows or
counts: 3 of everything, then 30. A query per row (an N+1: a relation read in a loop, a
permission asked per row) makes the second count larger and fails here.

The pages are those `bench.pages` measures at full size: home, ideas, projects, a project, the
risk register, a risk, performance, an indicator, the library with and without a search (and ranked by evidence),
lessons, people and reports. Runs on SQLite and PostgreSQL alike.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from innovation.models import (
    Evaluation,
    ForwardPlanEntry,
    IdeaSupport,
    KeyDecisionThreshold,
    Milestone,
    ProjectStage,
    TeamMember,
)
from portfolio import gaps
from portfolio.models import Indicator, ServiceArea
from reports.models import ExportJob
from risk import services as risk_services
from risk.models import RiskAssessment
from sharing import services as sharing_services
from sharing.models import CostBand, Lesson, Visibility
from tests.factories import IdeaFactory, MembershipFactory, OrganisationFactory, ProjectFactory
from tests.portfolio.conftest import measure

pytestmark = pytest.mark.django_db

# (page, who reads it): managers read most pages; people and reports are for admins.
PAGES = [
    ("home", Role.MANAGER),
    ("ideas", Role.MANAGER),
    ("projects", Role.MANAGER),
    ("a project", Role.MANAGER),
    ("risk register", Role.MANAGER),
    ("a risk", Role.MANAGER),
    ("performance", Role.MANAGER),
    ("an indicator", Role.MANAGER),
    ("library", Role.MANAGER),
    ("library search", Role.MANAGER),
    ("library by evidence", Role.MANAGER),
    ("lessons", Role.MANAGER),
    ("people", Role.ADMIN),
    ("reports", Role.ADMIN),
    ("forward plan", Role.MANAGER),
    ("public forward plan", None),
]


class World:
    """The council's rows every page shows, grown a few at a time."""

    def __init__(self, personas):
        self.personas = personas
        self.council = personas.council
        self.manager = personas.members[Role.MANAGER].user
        self.area = ServiceArea.objects.create(organisation=self.council, name="Street scene", service="waste")
        self.project = ProjectFactory(organisation=self.council, owner=self.manager, stage=ProjectStage.IMPLEMENTATION)
        RiskAssessment.objects.create(organisation=self.council, project=self.project, summary="S", recommendation="R")
        self.risk = None
        self.indicator = Indicator.objects.create(
            code="NI192", name="Recycling", unit="%", polarity=1, frequency="quarterly", service="waste"
        )
        self.peers = [OrganisationFactory(name=f"Peer council {n}") for n in range(6)]
        self.elsewhere = self.peers[0]
        self.finished = ProjectFactory(organisation=self.elsewhere, owner=self.manager, stage=ProjectStage.CLOSED)
        Evaluation.objects.create(
            organisation=self.elsewhere, project=self.finished, outcome=Evaluation.Outcome.DID_NOT_SUCCEED,
            summary="s", actual_one_off_cost=Decimal(1000), actual_running_cost=Decimal(100),
            actual_benefit=Decimal(500), value_for_money="v", transferability=3, transferability_reasons="r",
            recorded_by=self.manager,
        )  # fmt: skip
        self.own_finished = ProjectFactory(organisation=self.council, owner=self.manager, stage=ProjectStage.CLOSED)
        self.grown = 0
        KeyDecisionThreshold.objects.create(organisation=self.council, amount=Decimal(500_000))

    def grow(self, n: int) -> None:
        """n more of everything: ideas (with supporters), projects (with service areas), risks on
        the register (with reviews, controls and comments on the one risk page), lessons in the
        library and the council's own, people, exports, indicators in the gap report."""
        start, self.grown = self.grown, self.grown + n
        for k in range(start, self.grown):
            idea = IdeaFactory(organisation=self.council, author=self.manager, title=f"Reminders {k}")
            idea.service_areas.add(self.area)
            IdeaSupport.objects.create(organisation=self.council, idea=idea, user=self.manager)
            project = ProjectFactory(organisation=self.council, owner=self.manager, title=f"Project {k}")
            project.service_areas.add(self.area)
            ForwardPlanEntry.objects.create(
                organisation=self.council, project=project, decision_maker=f"Cabinet {k}",
                expected_date=dt.date(2030, 1, 1), documents="Report", added_by=self.manager,
            )  # fmt: skip
            risk = risk_services.risk_create(
                actor=self.manager, project=self.project, title=f"Risk {k}", category="delivery", owner=self.manager,
                inherent_likelihood=1 + k % 5, inherent_impact=1 + k % 4, residual_likelihood=1 + k % 3,
                residual_impact=1 + k % 2,
            )  # fmt: skip
            self.risk = self.risk or risk
            risk_services.control_add(
                actor=self.manager, risk=self.risk, description=f"Control {k}", owner=self.manager
            )
            risk_services.risk_comment_add(actor=self.manager, risk=self.risk, body=f"Comment {k}")
            Milestone.objects.create(
                organisation=self.council, project=self.project, title=f"Milestone {k}", due_date=dt.date(2030, 1, 1)
            )
            TeamMember.objects.create(
                organisation=self.council, project=self.project, name=f"Member {k}", department="IT"
            )
            MembershipFactory(organisation=self.council, role=Role.OFFICER)
            ExportJob.objects.create(
                organisation=self.council, requested_by=self.personas.members[Role.ADMIN].user, export="risks",
                format="csv", mode="queued",
            )  # fmt: skip
            for organisation, project, visibility in (
                (self.elsewhere, self.finished, Visibility.SECTOR),
                (self.council, self.own_finished, Visibility.INTERNAL),
            ):
                Lesson.objects.create(
                    organisation=organisation, project=project, author=self.manager,
                    title=f"Lesson {k}: text reminders for housing repairs", summary="Reminders before repairs.",
                    service="housing", outcome=Evaluation.Outcome.values[k % 3], transferability=1 + k % 5,
                    evidence_level=k % 6,
                    cost_band=CostBand.FROM_10K, tried="Reminders.", happened="Some change.", visibility=visibility,
                    published_at=timezone.now(), search_document=f"Lesson {k}: text reminders for housing repairs",
                )  # fmt: skip
            indicator = Indicator.objects.create(
                code=f"X{k}", name=f"Extra {k}", unit="%", polarity=1, frequency="quarterly", service="waste"
            )
            for organisation in [self.council, *self.peers]:
                for ind in (indicator, self.indicator) if k == 0 else (indicator,):
                    measure(organisation, ind, "2025-Q1", 40 + k + organisation.pk % 7)
                    measure(organisation, ind, "2025-Q2", 45 + k + organisation.pk % 5, aspiration=60)
        sharing_services.lesson_search_reindex()
        gaps.gap_reports_build()

    def path(self, page: str) -> str:
        return {
            "home": "/",
            "ideas": "/ideas/",
            "projects": "/projects/",
            "a project": f"/projects/{self.project.pk}/",
            "risk register": "/risk/",
            "a risk": f"/risk/risks/{self.risk.pk}/",
            "performance": "/performance/",
            "an indicator": f"/indicators/{self.indicator.code}/",
            "library": "/library/",
            "library search": "/library/?q=housing+repairs",
            "library by evidence": "/library/?evidence_level=2&sort=evidence",
            "lessons": "/lessons/",
            "people": "/people/",
            "reports": "/reports/",
            "forward plan": "/forward-plan/",
            "public forward plan": f"/forward-plan/{self.council.pk}/",
        }[page]


def queries_of(client, path: str) -> tuple[int, str]:
    """The queries one request of the page makes, and the page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries), response.content.decode()


@pytest.mark.parametrize(("page", "role"), PAGES, ids=[page for page, _ in PAGES])
def test_each_main_page_makes_the_same_queries_with_3_rows_and_with_30(personas, page, role):
    world = World(personas)
    world.grow(3)
    client = personas.client_for(personas.members[role] if role else None)
    path = world.path(page)
    client.get(path)  # the session's first request records its sign-in time
    few, _ = queries_of(client, path)
    world.grow(27)
    many, html = queries_of(client, path)
    assert many == few, f"{path}: {few} queries with 3 of everything, {many} with 30"
    # The rows are there to count: the page shows the 30th of what it lists.
    shown = {
        "ideas": "Reminders 29",
        "projects": "Project 29",
        "a project": "Member 29",
        "risk register": "Risk 29",
        "a risk": "Comment 29",
        "performance": "Extra 29",
        "library": "Lesson 29",
        "library search": "Lesson 29",
        "library by evidence": "Lesson 29",  # level 5 (29 % 6), the newest of the strongest
        "lessons": "Lesson 29",
        "forward plan": "Cabinet 29",
        "public forward plan": "Cabinet 29",
    }
    if page in shown:
        assert shown[page] in html, f"{path} does not show {shown[page]}"

"""Fixtures for the innovation app: service areas, ideas and projects at each stage, built
through the services themselves so that every row a page shows got there the real way."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from accounts.models import Role
from innovation import services
from innovation.models import Project
from portfolio.models import Service, ServiceArea
from tests.factories import MembershipFactory


@dataclass
class FakeRiskAssessment:
    """Stands in for risk.RiskAssessment: the approval gate only asks these things."""

    problems: list
    exceeds_appetite: bool = False
    summary: str = ""
    recommendation: str = ""

    def approval_problems(self):
        return list(self.problems)

    @property
    def awaiting_acceptance(self):
        return ["a risk above appetite"] if self.exceeds_appetite else []

    def above_appetite(self):
        return []


@pytest.fixture
def risk_ready(monkeypatch):
    """Every project has a complete risk assessment within the organisation's appetite."""
    fake = FakeRiskAssessment(problems=[])
    monkeypatch.setattr(Project, "risk_assessment", property(lambda self: fake), raising=False)
    return fake


@pytest.fixture
def areas(personas):
    return [
        ServiceArea.objects.create(organisation=personas.council, name="Housing options", service=Service.HOUSING),
        ServiceArea.objects.create(organisation=personas.council, name="Waste collection", service=Service.WASTE),
    ]


@pytest.fixture
def officer(personas):
    return personas.members[Role.OFFICER].user


@pytest.fixture
def manager(personas):
    return personas.members[Role.MANAGER].user


@pytest.fixture
def member(personas):
    return personas.members[Role.MEMBER].user


@pytest.fixture
def sponsor(personas):
    """A second elected member who sponsors the projects `member` decides: a sponsor may not be
    the only decision-maker on their own project."""
    return MembershipFactory(organisation=personas.council, role=Role.MEMBER, user__full_name="Cllr Sam Sponsor").user


@pytest.fixture
def make_idea(personas, areas, officer):
    def make(title="Text message reminders for bin days", problem="Missed collections cost money", **kwargs):
        values = {
            "actor": officer,
            "organisation": personas.council,
            "title": title,
            "problem": problem,
            "proposal": "Send a text the night before collection.",
            "source": "staff",
            "service_areas": [areas[1]],
        }
        values.update(kwargs)
        return services.idea_create(**values)

    return make


OPTIONS = {
    "innovate": {
        "description": "Texts",
        "one_off_cost": Decimal("10000"),
        "running_cost": Decimal("2000"),
        "benefit": Decimal("9000"),
        "years": 3,
    },
    "incremental": {
        "description": "Leaflets",
        "one_off_cost": Decimal("1000"),
        "running_cost": Decimal("500"),
        "benefit": Decimal("1500"),
        "years": 3,
    },
    "do_nothing": {
        "description": "As now",
        "one_off_cost": Decimal("0"),
        "running_cost": Decimal("0"),
        "benefit": Decimal("0"),
        "years": 3,
    },
}


@pytest.fixture
def advance(make_idea, manager, member, sponsor):
    """Builds a project and moves it, through the services, to the stage asked for."""

    def to(stage: str, idea=None) -> Project:
        idea = idea or make_idea()
        project = services.idea_accept(actor=manager, idea=idea, owner=manager)
        if stage == "assessment":
            return project
        services.business_case_save(
            actor=manager,
            project=project,
            version=0,
            summary="Worth it.",
            recommended_option="innovate",
            options=OPTIONS,
        )
        services.project_set_sponsor(actor=manager, project=project, sponsor=sponsor)
        if stage == "ready":
            return Project.objects.get(pk=project.pk)
        project = services.project_submit_for_approval(actor=manager, project=project)
        if stage == "awaiting_approval":
            return project
        project = services.project_approve(actor=member, project=project, rationale="Good value.")
        if stage == "implementation":
            return project
        project = services.project_start_evaluation(actor=manager, project=project)
        if stage == "evaluation":
            return project
        raise ValueError(stage)

    return to

"""Fixtures for the risk app: a project in the personas' council, and risks built through the services."""

from decimal import Decimal

import pytest

from accounts.models import Role
from innovation import services as innovation
from risk import services
from tests.factories import MembershipFactory, ProjectFactory


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
def officer(personas):
    return personas.members[Role.OFFICER].user


@pytest.fixture
def project(personas, manager):
    return ProjectFactory(organisation=personas.council, owner=manager, title="Text reminders for bin days")


@pytest.fixture
def other_project(personas):
    outsider_manager = personas.outsider.user
    return ProjectFactory(organisation=personas.other_council, owner=outsider_manager, title="Kingsmere project")


@pytest.fixture
def make_risk(manager, project):
    """Adds a risk through risk_create, with sensible defaults for anything not given."""

    def make(**kwargs):
        values = {
            "actor": manager,
            "project": project,
            "title": "Supplier cannot deliver on time",
            "category": "delivery",
            "owner": manager,
            "inherent_likelihood": 4,
            "inherent_impact": 4,
            "residual_likelihood": 2,
            "residual_impact": 3,
        }
        values.update(kwargs)
        return services.risk_create(**values)

    return make


@pytest.fixture
def complete_assessment(make_risk, manager, project):
    """A project whose risk assessment is ready for approval, within the default appetite."""
    make_risk()
    make_risk(
        title="Missed collections keep rising if nothing changes",
        category="missed_opportunity",
        inherent_likelihood=4,
        inherent_impact=3,
        residual_likelihood=4,
        residual_impact=3,
    )
    return services.assessment_update(
        actor=manager,
        project=project,
        summary="Going ahead risks a late supplier; standing still means more missed bins.",
        recommendation="Go ahead.",
    )


FIGURES = {"one_off_cost": Decimal("10000"), "running_cost": Decimal("1000"), "benefit": Decimal("8000"), "years": 3}


@pytest.fixture
def case_ready(project, manager, member, sponsor):
    """The project has a complete business case and a sponsor: only its risks are in question."""
    innovation.business_case_save(
        actor=manager,
        project=project,
        version=0,
        summary="Texts cost little and cut missed bins.",
        recommended_option="innovate",
        options=dict.fromkeys(("innovate", "incremental", "do_nothing"), FIGURES),
    )
    innovation.project_set_sponsor(actor=manager, project=project, sponsor=sponsor)
    project.refresh_from_db()
    return project

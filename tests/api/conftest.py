"""Fixtures for the API: the same council data the pages show, in both councils, and API clients."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from portfolio.models import Indicator, Measurement, Service, ServiceArea
from sharing.models import Visibility
from tests.factories import IdeaFactory, MembershipFactory, OrganisationFactory, ProjectFactory, api_key_for
from tests.risk.conftest import make_risk, project  # noqa: F401 (fixtures)
from tests.sharing.conftest import admin, indicator, make_lesson, manager  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api_client_for(membership, *, header: bool = False) -> APIClient:
    """A client authenticated by an integration token acting as the person, as an integration would be."""
    client = APIClient()
    key = api_key_for(membership)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    if header:
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {key}", HTTP_X_LANTERN_ORGANISATION=str(membership.organisation_id)
        )
    return client


@dataclass
class World:
    officer_project: object
    other_project: object
    other_idea: object
    other_area: object
    other_risk: object
    internal_elsewhere: object


@pytest.fixture
def world(personas, make_risk, project, make_lesson, indicator):  # noqa: F811
    council, other = personas.council, personas.other_council
    area = ServiceArea.objects.create(organisation=council, name="Waste and recycling", service=Service.WASTE)
    other_area = ServiceArea.objects.create(organisation=other, name="Kingsmere waste", service=Service.WASTE)
    for _ in range(3):
        IdeaFactory(organisation=council, author=personas.members[Role.OFFICER].user).service_areas.add(area)
    other_idea = IdeaFactory(organisation=other, author=personas.outsider.user)
    make_risk(title="Supplier cannot deliver on time")
    officer = personas.members[Role.OFFICER].user
    officer_project = ProjectFactory(organisation=council, owner=officer, title="The officer's own project")
    make_risk(project=officer_project, title="Officer's risk", owner=None)
    other_project = ProjectFactory(organisation=other, owner=personas.outsider.user, title="Kingsmere project")
    outsider_manager = MembershipFactory(organisation=other, role=Role.MANAGER).user
    from risk import services as risk_services

    other_risk = risk_services.risk_create(
        actor=outsider_manager,
        project=other_project,
        title="Kingsmere secret",
        category="delivery",
        inherent_likelihood=2,
        inherent_impact=2,
    )
    for index, value in enumerate(["45.5", "47.25"]):
        Measurement.objects.create(
            organisation=council,
            indicator=indicator,
            period=f"2025-Q{index + 1}",
            period_index=8100 + index,
            value=Decimal(value),
        )
    Measurement.objects.create(
        organisation=other, indicator=indicator, period="2025-Q1", period_index=8100, value=Decimal("1")
    )
    make_lesson(visibility=Visibility.INTERNAL)
    elsewhere = OrganisationFactory(name="Brackenford Borough Council")
    make_lesson(visibility=Visibility.ANONYMISED, organisation=elsewhere)
    internal_elsewhere = make_lesson(visibility=Visibility.INTERNAL, organisation=elsewhere)
    assert Indicator.objects.exists()
    return World(
        officer_project=officer_project,
        other_project=other_project,
        other_idea=other_idea,
        other_area=other_area,
        other_risk=other_risk,
        internal_elsewhere=internal_elsewhere,
    )

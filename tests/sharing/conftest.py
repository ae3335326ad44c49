"""Fixtures for sharing: finished projects with evaluations, and lessons written and
published through the services, as a council would."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from accounts.models import Organisation, Role
from innovation.models import Evaluation, ProjectStage, TeamMember
from portfolio.models import Indicator, Service, ServiceArea
from sharing import reading, services
from sharing.models import Visibility
from tests.factories import MembershipFactory, OrganisationFactory, ProjectFactory

CONTACT_NAME = "Bartholomew Quince"
CONTACT_EMAIL = "b.quince@ashby-vale.example"
TEAM_NAME = "Ottoline Fairweather"


@pytest.fixture
def manager(personas):
    return personas.members[Role.MANAGER].user


@pytest.fixture
def admin(personas):
    return personas.members[Role.ADMIN].user


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(
        code="TEST-HOM-1",
        name="Households in temporary accommodation",
        unit="households",
        polarity=Indicator.Polarity.LOWER_IS_BETTER,
        frequency=Indicator.Frequency.QUARTERLY,
        service=Service.HOUSING,
    )


def finished_project(
    organisation, owner, *, outcome=Evaluation.Outcome.DID_NOT_SUCCEED, indicator=None, title=None, evidence_level=None
):
    project = ProjectFactory(
        organisation=organisation,
        owner=owner,
        stage=ProjectStage.CLOSED,
        indicator=indicator,
        title=title or f"Pilot of text reminders at {organisation.name}",
    )
    project.service_areas.add(
        ServiceArea.objects.get_or_create(organisation=organisation, name="Housing options", service=Service.HOUSING)[0]
    )
    TeamMember.objects.create(organisation=organisation, project=project, name=TEAM_NAME, department="Housing")
    Evaluation.objects.create(
        organisation=organisation,
        project=project,
        outcome=outcome,
        summary="It did not reduce the waiting list.",
        actual_one_off_cost=Decimal("18000"),
        actual_running_cost=Decimal("4000"),
        actual_benefit=Decimal("1500"),
        indicator_before=Decimal("120"),
        indicator_after=Decimal("118"),
        value_for_money="Poor value at this scale.",
        transferability=4,
        transferability_reasons=f"Any housing team could repeat it; ask {organisation.name}.",
        evidence_level=evidence_level,
        evidence_support="Appointments counted before and after." if evidence_level else "",
        recorded_by=owner,
    )
    return project


def lesson_text(organisation) -> dict:
    return {
        "title": "Text reminders did not cut missed housing appointments",
        "summary": f"At {organisation.name} we sent text reminders before housing appointments.",
        "service": Service.HOUSING,
        "tried": f"**{organisation.name}** sent reminders. {TEAM_NAME} ran it; call 01632 960123.",
        "happened": "Missed appointments fell by only 2%. Residents said the texts came too late.",
        "worked": "The booking system integration.",
        "did_not_work": f"Timing. Ask {CONTACT_NAME} at {CONTACT_EMAIL} for the data.",
        "to_repeat": "A text provider and two weeks of set-up.",
        "costs_and_results": "£18,000 one-off; £4,000 a year.",
        "contact_name": CONTACT_NAME,
        "contact_email": CONTACT_EMAIL,
    }


def publish(actor, lesson, visibility):
    """Publishes as the pages do: beyond the organisation, with the preview checked (the service
    asks for it only where other organisations will read the lesson anonymised)."""
    checked = reading.lesson_preview(lesson).digest if visibility != Visibility.INTERNAL else ""
    return services.lesson_publish(actor=actor, lesson=lesson, visibility=visibility, checked_preview=checked)


@pytest.fixture
def make_lesson(personas, manager, admin, indicator):
    """make_lesson(visibility=None | Visibility..., organisation=council) -> Lesson (None: a draft)."""

    def make(
        visibility=Visibility.INTERNAL,
        organisation=None,
        outcome=Evaluation.Outcome.DID_NOT_SUCCEED,
        evidence_level=None,
        **text,
    ):
        organisation = organisation or personas.council
        if organisation == personas.council:
            writer, publisher = manager, admin
        else:
            writer = MembershipFactory(organisation=organisation, role=Role.MANAGER).user
            publisher = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
        project = finished_project(
            organisation, writer, outcome=outcome, indicator=indicator, evidence_level=evidence_level
        )
        lesson = services.lesson_create(actor=writer, project=project, **{**lesson_text(organisation), **text})
        if visibility is not None:
            actor = writer if visibility == Visibility.INTERNAL else publisher
            lesson = publish(actor, lesson, visibility)
        return lesson

    return make


@dataclass
class SectorBody:
    organisation: Organisation
    curator: object
    officer: object


@pytest.fixture
def sector_body(db):
    organisation = OrganisationFactory(
        name="Local Innovation Network", kind=Organisation.Kind.SECTOR_BODY, ons_code=None
    )
    return SectorBody(
        organisation=organisation,
        curator=MembershipFactory(organisation=organisation, role=Role.CURATOR),
        officer=MembershipFactory(organisation=organisation, role=Role.OFFICER),
    )

"""The home dashboard: a little of every app, only what the reader's role may see."""

import pytest

from accounts.models import Role
from innovation.models import ProjectStage
from risk import services as risk_services
from sharing import services as sharing_services
from sharing.models import Visibility
from tests.factories import MembershipFactory, ProjectFactory
from tests.sharing.conftest import finished_project, lesson_text, publish


@pytest.fixture
def manager(personas):
    return personas.members[Role.MANAGER].user


def _project_awaiting(personas, title="Digital bin sensors"):
    return ProjectFactory(
        organisation=personas.council,
        owner=personas.members[Role.MANAGER].user,
        title=title,
        stage=ProjectStage.AWAITING_APPROVAL,
        sponsor=personas.members[Role.MEMBER].user,
    )


def test_member_sees_the_project_awaiting_their_decision_on_the_home_page(personas):
    _project_awaiting(personas)
    body = personas.client_for(personas.members[Role.MEMBER]).get("/").content.decode()
    assert "Awaiting a decision" in body
    assert "Digital bin sensors" in body
    assert "You sponsor this" in body


def test_officer_of_another_council_sees_nothing_of_the_first_councils_projects(personas):
    _project_awaiting(personas)
    body = personas.client_for(personas.outsider).get("/").content.decode()
    assert "Digital bin sensors" not in body


def test_risks_above_appetite_show_to_managers_but_not_to_curators(personas, manager):
    project = ProjectFactory(organisation=personas.council, owner=manager, stage=ProjectStage.ASSESSMENT)
    risk_services.risk_create(
        actor=manager,
        project=project,
        title="Contractor walks away",
        category="delivery",
        owner=manager,
        inherent_likelihood=5,
        inherent_impact=5,
        residual_likelihood=4,
        residual_impact=4,
    )
    risk_services.risk_create(
        actor=manager,
        project=project,
        title="Minor delay",
        category="delivery",
        owner=manager,
        inherent_likelihood=2,
        inherent_impact=2,
        residual_likelihood=1,
        residual_impact=1,
    )
    body = personas.client_for(personas.members[Role.MANAGER]).get("/").content.decode()
    assert "Risks above appetite" in body
    assert "Contractor walks away" in body
    assert "Minor delay" not in body
    curator_body = personas.client_for(personas.members[Role.CURATOR]).get("/").content.decode()
    assert "Contractor walks away" not in curator_body


def test_an_anonymised_lesson_from_another_council_shows_no_organisation_on_the_dashboard(personas):
    other = personas.other_council
    writer = MembershipFactory(organisation=other, role=Role.MANAGER).user
    publisher = MembershipFactory(organisation=other, role=Role.ADMIN).user
    project = finished_project(other, writer)
    lesson = sharing_services.lesson_create(
        actor=writer, project=project, **{**lesson_text(other), "title": "Chatbot for council tax that failed"}
    )
    publish(publisher, lesson, Visibility.ANONYMISED)
    body = personas.client_for(personas.members[Role.OFFICER]).get("/").content.decode()
    assert "Chatbot for council tax that failed" in body
    assert other.name not in body
    assert writer.full_name not in body


def test_home_page_queries_do_not_grow_with_the_number_of_projects(personas, django_assert_max_num_queries):
    client = personas.client_for(personas.members[Role.MEMBER])
    for n in range(3):
        _project_awaiting(personas, title=f"Project {n}")
    with django_assert_max_num_queries(40) as few:
        client.get("/")
    for n in range(3, 30):
        _project_awaiting(personas, title=f"Project {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


def test_home_page_says_how_many_more_projects_await_a_decision_than_it_lists(personas):
    for n in range(8):
        _project_awaiting(personas, title=f"Project {n}")
    body = personas.client_for(personas.members[Role.MEMBER]).get("/").content.decode()
    assert sum(f"Project {n}<" in body for n in range(8)) == 5
    assert "And 3 more." in body

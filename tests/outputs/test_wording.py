"""Wording faults a reader would notice: what a page says must be true of the thing it shows,
and a page offers only what the reader may do."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from innovation import services as innovation_services
from innovation.models import IdeaStage, ProjectStage
from sharing import services as sharing_services
from sharing.models import Visibility
from tests.factories import IdeaFactory, ProjectFactory


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("stage", [ProjectStage.CLOSED, ProjectStage.ABANDONED, ProjectStage.REJECTED])
def test_ended_project_does_not_claim_a_current_rag_status(personas, stage):
    manager = personas.members[Role.MANAGER].user
    project = ProjectFactory(organisation=personas.council, owner=manager, stage=stage, rag="green", rag_reason="Fine")
    client = personas.client_for(personas.members[Role.MANAGER])

    page = _text(client.get(project.get_absolute_url()))
    listing = client.get(reverse("innovation:project-list")).content.decode()

    assert "RAG status: Green" not in page
    assert "Last RAG status before it ended" in page
    assert "Green: on track" not in listing


def test_project_under_way_still_shows_its_rag_status(personas):
    manager = personas.members[Role.MANAGER].user
    project = ProjectFactory(
        organisation=personas.council, owner=manager, stage=ProjectStage.IMPLEMENTATION, rag="amber"
    )
    page = _text(personas.client_for(personas.members[Role.MANAGER]).get(project.get_absolute_url()))
    assert "RAG status: Amber" in page


def test_withdrawn_lesson_does_not_say_other_organisations_see_it(personas, make_lesson, admin):
    lesson = make_lesson(visibility=Visibility.ANONYMISED)
    sharing_services.lesson_withdraw(actor=admin, lesson=lesson, reason="The figures were wrong.")

    page = _text(
        personas.client_for(personas.members[Role.MANAGER]).get(reverse("sharing:lesson-detail", args=[lesson.pk]))
    )

    assert "Other organisations see this lesson" not in page
    assert "Other organisations no longer see this lesson" in page


def test_published_anonymised_lesson_still_says_how_others_see_it(personas, make_lesson):
    lesson = make_lesson(visibility=Visibility.ANONYMISED)
    page = _text(
        personas.client_for(personas.members[Role.MANAGER]).get(reverse("sharing:lesson-detail", args=[lesson.pk]))
    )
    assert "Other organisations see this lesson without your organisation’s name" in page


def test_idea_others_were_merged_into_lists_them(personas):
    manager = personas.members[Role.MANAGER].user
    author = personas.members[Role.OFFICER].user
    survivor = IdeaFactory(organisation=personas.council, author=author, title="Online bin reports")
    first = IdeaFactory(organisation=personas.council, author=author, title="Report missed bins by text")
    second = IdeaFactory(organisation=personas.council, author=author, title="A bin app")
    for duplicate in (first, second):
        innovation_services.idea_merge(actor=manager, idea=duplicate, into=survivor)

    response = personas.client_for(personas.members[Role.OFFICER]).get(survivor.get_absolute_url())
    page = _text(response)

    assert "These ideas were merged into this one" in page
    assert f"Idea {first.reference}: Report missed bins by text" in page
    assert f"Idea {second.reference}: A bin app" in page
    assert first.get_absolute_url() in response.content.decode()
    first.refresh_from_db()
    assert first.stage == IdeaStage.MERGED


def test_refusal_page_does_not_tell_an_admin_to_ask_an_admin(personas):
    project = ProjectFactory(organisation=personas.council, owner=personas.members[Role.MANAGER].user)
    response = personas.client_for(personas.members[Role.ADMIN]).get(
        reverse("innovation:project-edit", args=[project.pk])
    )

    assert response.status_code == 403
    page = _text(response)
    assert "ask a Lantern admin" not in page
    assert "people page" in page


def test_refusal_page_tells_an_officer_to_ask_an_admin(personas):
    project = ProjectFactory(organisation=personas.council, owner=personas.members[Role.MANAGER].user)
    response = personas.client_for(personas.members[Role.OFFICER]).get(
        reverse("innovation:project-edit", args=[project.pk])
    )
    assert response.status_code == 403
    assert "ask a Lantern admin at your organisation" in _text(response)


EMPTY_CHOICE = "---------"


@pytest.mark.parametrize("url_name", ["innovation:idea-accept", "innovation:idea-merge", "innovation:idea-screen"])
def test_idea_screening_forms_do_not_offer_djangos_dashes_as_a_choice(personas, url_name):
    idea = IdeaFactory(organisation=personas.council, author=personas.members[Role.OFFICER].user)
    response = personas.client_for(personas.members[Role.MANAGER]).get(reverse(url_name, args=[idea.reference]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<select" in html
    assert EMPTY_CHOICE not in html
    assert "Choose one" in html


def test_lesson_form_does_not_offer_djangos_dashes_as_a_choice(personas):
    response = personas.client_for(personas.members[Role.MANAGER]).get(reverse("sharing:lesson-create"))
    assert response.status_code == 200
    assert EMPTY_CHOICE not in response.content.decode()

"""Levels of evidence in the sector library (issue 18): a lesson carries its evaluation's level,
the library shows it, filters by a minimum level and ranks by it; the adopter's gate refuses a
lesson whose evidence falls short; "tried elsewhere", the API and the export carry the level."""

import pytest
from django.urls import reverse

from accounts.models import Role
from innovation import services as innovation_services
from innovation.models import Idea
from portfolio.models import ServiceArea
from sharing import exports, services
from sharing.models import Adoption, Visibility
from tests.factories import IdeaFactory, MembershipFactory


def _titled(make_lesson, level, title, **kwargs):
    return make_lesson(Visibility.SECTOR, evidence_level=level, title=title, **kwargs)


@pytest.fixture
def library(personas, make_lesson):
    """Lessons of another council at levels 2, 4 and none, published in that order (none newest)."""
    other = personas.other_council
    return {
        2: _titled(make_lesson, 2, "Level two lesson", organisation=other),
        4: _titled(make_lesson, 4, "Level four lesson", organisation=other),
        0: _titled(make_lesson, None, "Unlevelled lesson", organisation=other),
    }


def _library(personas, query=""):
    client = personas.client_for(personas.members[Role.OFFICER])
    return client.get(f"/library/{query}").content.decode()


def test_a_lesson_carries_its_evaluations_level_and_the_library_and_lesson_show_it(personas, library):
    assert (library[2].evidence_level, library[4].evidence_level, library[0].evidence_level) == (2, 4, 0)
    page = _library(personas)
    assert "Level 2: data showing change" in page
    assert "Level 4: independently replicated" in page
    assert "Not recorded" in page
    lesson_page = (
        personas.client_for(personas.members[Role.OFFICER]).get(library[4].get_absolute_url()).content.decode()
    )
    assert "Level 4: independently replicated: Appointments counted before and after." in lesson_page


def test_the_library_filters_by_a_minimum_level(personas, library):
    page = _library(personas, "?evidence_level=3")
    assert "Level four lesson" in page
    assert "Level two lesson" not in page and "Unlevelled lesson" not in page
    assert "1 lesson" in page


def test_the_library_ranks_the_strongest_evidence_first_and_the_unrecorded_last(personas, library):
    page = _library(personas, "?sort=evidence")
    assert page.index("Level four lesson") < page.index("Level two lesson") < page.index("Unlevelled lesson")
    newest_first = _library(personas)
    assert newest_first.index("Unlevelled lesson") < newest_first.index("Level four lesson")


def test_a_level_of_6_in_the_library_filter_is_an_error_not_a_server_error(personas, library):
    client = personas.client_for(personas.members[Role.OFFICER])
    response = client.get("/library/?evidence_level=6")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_api_and_the_library_export_carry_the_level_and_filter_by_it(personas, library):
    client = personas.client_for(personas.members[Role.OFFICER])
    rows = client.get("/api/lessons/?evidence_level=3").json()["results"]
    assert [(row["title"], row["evidence_level"], row["evidence_level_name"]) for row in rows] == [
        ("Level four lesson", 4, "Level 4: independently replicated")
    ]
    unlevelled = client.get(f"/api/lessons/{library[0].pk}/").json()
    assert (unlevelled["evidence_level"], unlevelled["evidence_level_name"]) == (None, "Not recorded")
    ranked = client.get("/api/lessons/?sort=evidence").json()["results"]
    assert [row["title"] for row in ranked][:2] == ["Level four lesson", "Level two lesson"]

    reader = personas.council
    officer = personas.members[Role.OFFICER].user
    lessons = exports.library_select(organisation=reader, user=officer, data={"sort": "evidence"})
    rows = [dict(zip(exports.LESSON_COLUMNS, row, strict=True)) for row in exports.library_rows(lessons, reader=reader)]
    assert [(row["evidence_level"], row["evidence_level_name"]) for row in rows] == [
        (4, "Level 4: independently replicated"),
        (2, "Level 2: data showing change"),
        (None, "Not recorded"),
    ]


def test_tried_elsewhere_shows_each_matchs_level(personas, make_lesson):
    make_lesson(Visibility.SECTOR, organisation=personas.other_council, evidence_level=3)
    idea = IdeaFactory(
        organisation=personas.council,
        author=personas.members[Role.OFFICER].user,
        title="Text reminders before housing appointments",
        problem="Tenants miss housing appointments.",
    )
    body = personas.client_for(personas.members[Role.OFFICER]).get(f"/ideas/{idea.reference}/").content.decode()
    assert "Tried elsewhere" in body
    assert "Level 3: a comparison group showing causality" in body


# ---------------------------------------------------------------- the adoption gate


def _adopt_form(personas):
    area = ServiceArea.objects.get_or_create(organisation=personas.council, name="Housing", service="housing")[0]
    return {
        "title": "Reminders here",
        "problem": "Missed visits",
        "proposal": "Texts",
        "what_changed": "Fewer texts",
        "service_areas": [area.pk],
    }


def _set_adoption_gate(personas, level):
    innovation_services.evidence_gates_set(
        actor=personas.members[Role.ADMIN].user,
        organisation=personas.council,
        scale_up_level=None,
        adoption_level=level,
    )


def test_an_adoption_gate_at_3_refuses_a_level_2_lesson_saying_what_is_missing(personas, library):
    _set_adoption_gate(personas, 3)
    client = personas.client_for(personas.members[Role.MANAGER])
    url = reverse("sharing:lesson-adopt", args=[library[2].pk])
    message = (
        "This lesson’s evaluation reached level 2 (data showing change); adopting another organisation’s "
        "practice needs level 3: a comparison group showing causality."
    )
    assert message in client.get(url).content.decode()  # said before anything is typed

    response = client.post(url, _adopt_form(personas))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Adoption.objects.exists()
    assert not Idea.objects.filter(organisation=personas.council, title="Reminders here").exists()


def test_an_adoption_gate_at_3_lets_a_level_4_lesson_be_adopted(personas, library):
    _set_adoption_gate(personas, 3)
    client = personas.client_for(personas.members[Role.MANAGER])

    response = client.post(reverse("sharing:lesson-adopt", args=[library[4].pk]), _adopt_form(personas))

    assert response.status_code == 302
    assert Adoption.objects.get().lesson == library[4]


def test_an_unrecorded_level_is_refused_by_any_adoption_gate(personas, library):
    _set_adoption_gate(personas, 1)
    with pytest.raises(services.SharingError, match="has no level of evidence recorded; adopting"):
        services.adoption_create(
            actor=personas.members[Role.MANAGER].user,
            organisation=personas.council,
            lesson=library[0],
            title="t",
            problem="p",
            proposal="p",
            what_changed="w",
            service_areas=[],
        )
    assert not Adoption.objects.exists()


def test_the_host_councils_gate_does_not_apply_to_the_adopter(personas, library):
    host_admin = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN).user
    innovation_services.evidence_gates_set(
        actor=host_admin, organisation=personas.other_council, scale_up_level=5, adoption_level=5
    )
    client = personas.client_for(personas.members[Role.MANAGER])
    response = client.post(reverse("sharing:lesson-adopt", args=[library[2].pk]), _adopt_form(personas))
    assert response.status_code == 302


def test_a_lesson_written_during_evaluation_follows_the_level_when_the_evaluation_changes(personas, manager):
    """A lesson may be written while the project is still in evaluation; the level it shows in the
    library is the evaluation's latest, not the one it had when the lesson was written."""
    from decimal import Decimal

    from innovation.models import ProjectStage
    from tests.sharing.conftest import finished_project, lesson_text

    project = finished_project(personas.council, manager, evidence_level=2)
    type(project).objects.filter(pk=project.pk).update(stage=ProjectStage.EVALUATION)
    project.refresh_from_db()
    lesson = services.lesson_create(actor=manager, project=project, **lesson_text(personas.council))
    assert lesson.evidence_level == 2

    innovation_services.evaluation_save(
        actor=manager,
        project=project,
        outcome="succeeded",
        summary="Better than we first thought",
        actual_one_off_cost=Decimal(1),
        actual_running_cost=Decimal(1),
        actual_benefit=Decimal(1),
        actual_years=3,
        value_for_money="Good",
        transferability=3,
        transferability_reasons="Any council",
        evidence_level=3,
        evidence_support="A matched comparison",
        evidence_comparison="Wards without reminders",
    )

    lesson.refresh_from_db()
    assert lesson.evidence_level == 3

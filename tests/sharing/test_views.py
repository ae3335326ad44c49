"""The pages' journeys: write, publish, withdraw, feature, adopt, ask to visit, answer."""

import pytest

from accounts.models import Role
from portfolio.models import Service, ServiceArea
from sharing.models import Adoption, Lesson, ServiceFollow, Visibility, VisitCapacity, VisitRequest
from tests.sharing.conftest import finished_project, lesson_text

pytestmark = pytest.mark.django_db


def test_a_manager_writes_a_lesson_through_the_form(personas, manager):
    project = finished_project(personas.council, manager)
    client = personas.client_for(personas.members[Role.MANAGER])
    assert f"Lessons from {project.title}" in client.get(f"/lessons/new/?project={project.pk}").content.decode()
    data = {**lesson_text(personas.council), "project": project.pk}
    response = client.post("/lessons/new/", data)
    lesson = Lesson.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/lessons/{lesson.pk}/"
    assert lesson.author == manager and lesson.published_at is None


def test_an_empty_lesson_form_says_what_to_enter_and_saves_nothing(personas):
    client = personas.client_for(personas.members[Role.MANAGER])
    html = client.post("/lessons/new/", {}).content.decode()
    assert "There is a problem" in html
    assert "Enter what was tried" in html and "Select the project the lesson comes from" in html
    assert not Lesson.objects.exists()


def test_another_organisations_project_cannot_be_chosen(personas):
    stranger = finished_project(personas.other_council, personas.outsider.user)
    client = personas.client_for(personas.members[Role.MANAGER])
    assert client.get(f"/lessons/new/?project={stranger.pk}").status_code == 404
    client.post("/lessons/new/", {**lesson_text(personas.council), "project": stranger.pk})
    assert not Lesson.objects.exists()


def test_a_manager_is_offered_only_internal_publication(personas, make_lesson):
    lesson = make_lesson(visibility=None)
    client = personas.client_for(personas.members[Role.MANAGER])
    html = client.get(f"/lessons/{lesson.pk}/publish/").content.decode()
    assert 'value="internal"' in html and 'value="anonymised"' not in html
    client.post(f"/lessons/{lesson.pk}/publish/", {"visibility": "anonymised"})
    lesson.refresh_from_db()
    assert lesson.published_at is None
    client.post(f"/lessons/{lesson.pk}/publish/", {"visibility": "internal"})
    lesson.refresh_from_db()
    assert lesson.visibility == Visibility.INTERNAL and lesson.published_at is not None


def test_an_admin_publishes_anonymously_after_checking_the_preview(personas, make_lesson):
    lesson = make_lesson(Visibility.INTERNAL)
    client = personas.client_for(personas.members[Role.ADMIN])
    response = client.post(f"/lessons/{lesson.pk}/publish/", {"visibility": "anonymised"})
    assert response["Location"] == f"/lessons/{lesson.pk}/publish/anonymised/"
    lesson.refresh_from_db()
    assert lesson.visibility == Visibility.INTERNAL  # not yet: first the preview
    page = client.get(response["Location"])
    digest = page.context["preview"].digest
    response = client.post(response["Location"], {"digest": digest, "confirmed": "on"})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.visibility == Visibility.ANONYMISED
    assert lesson.anonymised_checked_by == personas.members[Role.ADMIN].user


def test_withdraw_form_needs_a_reason(personas, make_lesson):
    lesson = make_lesson(Visibility.SECTOR)
    client = personas.client_for(personas.members[Role.MANAGER])
    assert (
        "Enter why the lesson is being withdrawn" in client.post(f"/lessons/{lesson.pk}/withdraw/", {}).content.decode()
    )
    client.post(f"/lessons/{lesson.pk}/withdraw/", {"reason": "Out of date"})
    lesson.refresh_from_db()
    assert lesson.withdrawn_reason == "Out of date"


def test_a_sector_curator_features_a_lesson_which_then_leads_the_library(personas, make_lesson, sector_body):
    first = make_lesson(Visibility.SECTOR, title="Older lesson")
    make_lesson(Visibility.SECTOR, title="Newer lesson")
    client = personas.client_for(sector_body.curator)
    client.post(f"/lessons/{first.pk}/feature/", {"reason": "Shows how to stop early"})
    html = personas.client_for(personas.outsider).get("/library/").content.decode()
    assert html.index("Older lesson") < html.index("Newer lesson")
    assert (
        "Shows how to stop early"
        in personas.client_for(personas.outsider).get(first.get_absolute_url()).content.decode()
    )
    client.post(f"/lessons/{first.pk}/feature/", {"unfeature": "1"})
    first.refresh_from_db()
    assert not first.featured


def test_adopt_form_logs_an_idea_and_links_it(personas, make_lesson):
    lesson = make_lesson(Visibility.SECTOR)
    area = ServiceArea.objects.create(organisation=personas.other_council, name="Housing", service=Service.HOUSING)
    client = personas.client_for(personas.outsider)
    response = client.post(
        f"/lessons/{lesson.pk}/adopt/",
        {
            "title": "Our reminders",
            "problem": "p",
            "proposal": "q",
            "what_changed": "Earlier",
            "service_areas": [area.pk],
        },
    )
    assert response.status_code == 302
    assert Adoption.objects.get().organisation == personas.other_council


def test_visit_request_then_the_host_accepts(personas, make_lesson):
    lesson = make_lesson(Visibility.ANONYMISED)
    visitor = personas.client_for(personas.outsider)
    html = visitor.post(f"/lessons/{lesson.pk}/visit/", {}).content.decode()
    assert "Select what kind of visit you would like" in html
    visitor.post(f"/lessons/{lesson.pk}/visit/", {"kind": "individual", "message": "In March?"})
    visit = VisitRequest.objects.get()
    host = personas.client_for(personas.members[Role.MANAGER])
    assert "In March?" in host.get("/visits/").content.decode()
    html = host.post(f"/visits/{visit.pk}/", {"decision": "accept", "response": ""}).content.decode()
    assert "Enter the dates you offer" in html
    host.post(f"/visits/{visit.pk}/", {"decision": "accept", "response": "4 March"})
    visit.refresh_from_db()
    assert visit.status == VisitRequest.Status.ACCEPTED
    assert "Accepted" in visitor.get("/visits/").content.decode()


def test_capacity_form_sets_visits_a_quarter(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    assert "Enter a whole number" in client.post("/visits/capacity/", {"visits_per_quarter": "x"}).content.decode()
    client.post("/visits/capacity/", {"visits_per_quarter": "5"})
    assert VisitCapacity.objects.get(organisation=personas.council).visits_per_quarter == 5


def test_following_services(personas):
    client = personas.client_for(personas.outsider)
    client.post("/library/following/", {"services": ["housing", "waste"]})
    assert set(ServiceFollow.objects.values_list("service", flat=True)) == {"housing", "waste"}
    client.post("/library/following/", {"services": ["waste"]})
    assert list(ServiceFollow.objects.values_list("service", flat=True)) == ["waste"]


def test_sector_figures_count_shared_lessons_only(personas, make_lesson, sector_body):
    make_lesson(Visibility.SECTOR)
    make_lesson(Visibility.ANONYMISED)
    make_lesson(Visibility.INTERNAL)
    html = personas.client_for(sector_body.curator).get("/library/sector/").content.decode()
    assert "2 shared lessons, 1 of them anonymised" in html
    assert "Ashby Vale" not in html


def test_lesson_page_links_the_indicator_and_shows_evaluation_figures(personas, make_lesson):
    lesson = make_lesson(Visibility.SECTOR)
    html = personas.client_for(personas.outsider).get(lesson.get_absolute_url()).content.decode()
    assert 'href="/indicators/TEST-HOM-1/"' in html
    assert "£18,000" in html and "120 to 118" in html
    assert "Did not succeed" in html


def test_markdown_in_a_lesson_is_rendered_safely_on_its_page(personas, make_lesson):
    lesson = make_lesson(Visibility.SECTOR, tried="<script>alert(1)</script> **bold** [x](javascript:alert(1))")
    html = personas.client_for(personas.outsider).get(lesson.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<strong>bold</strong>" in html
    assert 'href="javascript:' not in html

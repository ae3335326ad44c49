"""The API answers each role and organisation exactly as the pages do, with JSON errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from innovation import queries as innovation_queries
from innovation.models import Idea
from portfolio.models import ImportJob, Measurement, ServiceArea
from risk import queries as risk_queries
from sharing.api import LESSON_FIELDS
from sharing.models import Lesson
from tests.api.conftest import api_client_for
from tests.conftest import force_login
from tests.factories import MembershipFactory, OrganisationFactory

# API list endpoint -> the page that lists the same things (None: no page of its own; the report's permission).
ENDPOINTS = {
    "api:idea-list": "innovation:idea-list",
    "api:project-list": "innovation:project-list",
    "api:risk-list": "risk:register",
    "api:lesson-list": "sharing:library",
    "api:gap-row-list": "portfolio:report",
    "api:service-area-list": "portfolio:report",
    "api:indicator-list": "portfolio:report",
    "api:measurement-list": "portfolio:report",
}


def ids(response) -> set:
    assert response.status_code == 200, response.content
    return {row.get("id", row.get("code")) for row in response.json()["results"]}


def expected_ids(name, personas, role) -> set:
    """What the page's own read path gives this role."""
    council, user = personas.council, personas.members[role].user
    if name == "api:idea-list":
        return set(innovation_queries.idea_list(organisation=council, user=user).values_list("pk", flat=True))
    if name == "api:project-list":
        return set(innovation_queries.project_list(organisation=council).values_list("pk", flat=True))
    if name == "api:risk-list":
        return set(risk_queries.register_base(organisation=council, user=user).values_list("pk", flat=True))
    if name == "api:lesson-list":
        return set(Lesson.objects.visible_to(council).values_list("pk", flat=True))
    if name == "api:gap-row-list":
        return set()
    if name == "api:service-area-list":
        return set(ServiceArea.objects.for_organisation(council).values_list("pk", flat=True))
    if name == "api:indicator-list":
        from portfolio.models import Indicator

        return set(Indicator.objects.values_list("code", flat=True))
    return set(Measurement.objects.for_organisation(council).values_list("pk", flat=True))


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_each_role_sees_through_the_api_what_its_page_shows(personas, world, name):
    for role in Role.values:
        membership = personas.members[role]
        page_status = personas.client_for(membership).get(reverse(ENDPOINTS[name])).status_code
        response = api_client_for(membership).get(reverse(name))
        if page_status == 403:
            assert response.status_code == 403, role
            assert "detail" in response.json()
            continue
        assert page_status == 200, role
        assert ids(response) == expected_ids(name, personas, role), role
    outsider = api_client_for(personas.outsider).get(reverse(name))
    assert not ids(outsider) & (expected_ids(name, personas, Role.ADMIN) - _shared(name)), "the other council sees ours"


def _shared(name) -> set:
    """What every organisation legitimately sees: the national indicator catalogue and shared lessons."""
    if name == "api:indicator-list":
        from portfolio.models import Indicator

        return set(Indicator.objects.values_list("code", flat=True))
    if name == "api:lesson-list":
        return set(Lesson.objects.shared().values_list("pk", flat=True))
    return set()


def test_an_officer_sees_only_the_risks_of_their_own_projects(personas, world):
    rows = api_client_for(personas.members[Role.OFFICER]).get(reverse("api:risk-list")).json()["results"]
    assert [row["title"] for row in rows] == ["Officer's risk"]


DETAILS = {
    "api:idea-detail": lambda w: w.other_idea.pk,
    "api:project-detail": lambda w: w.other_project.pk,
    "api:project-business-case": lambda w: w.other_project.pk,
    "api:risk-detail": lambda w: w.other_risk.pk,
    "api:service-area-detail": lambda w: w.other_area.pk,
    "api:lesson-detail": lambda w: w.internal_elsewhere.pk,
    "api:measurement-detail": lambda w: (
        Measurement.objects.exclude(organisation__ons_code__startswith="E06").first().pk
        if False
        else Measurement.objects.filter(value=1).get().pk
    ),
}


@pytest.mark.parametrize("name", sorted(DETAILS))
def test_another_organisations_object_is_404_to_every_role(personas, world, name):
    url = reverse(name, args=[DETAILS[name](world)])
    for role in Role.values:
        client = api_client_for(personas.members[role])
        response = client.get(url)
        assert response.status_code in (403, 404), role
        if response.status_code == 403:  # refused by role before any lookup: the same for an id that does not exist
            assert client.get(reverse(name, args=[999_999])).status_code == 403
        assert response["Content-Type"] == "application/json"


def test_an_own_object_reads_in_detail(personas, world):
    client = api_client_for(personas.members[Role.MANAGER])
    idea = Idea.objects.filter(organisation=personas.council).first()
    body = client.get(reverse("api:idea-detail", args=[idea.pk])).json()
    assert body["reference"] == idea.reference and body["title"] == idea.title


def test_lessons_carry_only_the_allowlisted_fields_and_anonymised_ones_name_nobody(personas, world):
    rows = api_client_for(personas.members[Role.OFFICER]).get(reverse("api:lesson-list")).json()["results"]
    assert rows and all(list(row) == LESSON_FIELDS for row in rows)
    anonymised = [row for row in rows if row["anonymised"]]
    assert len(anonymised) == 1
    row = anonymised[0]
    assert row["organisation"] is None and row["author"] is None
    assert row["contact_name"] is None and row["contact_email"] is None
    assert "Brackenford" not in str(row)


def test_anonymous_requests_are_refused_everywhere(world):
    client = APIClient()
    for name in [*ENDPOINTS, "api:organisation-list"]:
        assert client.get(reverse(name)).status_code in (401, 403)
    assert client.get(reverse("api:schema")).status_code in (401, 403)
    assert client.get(reverse("api:docs")).status_code in (401, 403)


def test_a_token_works_in_its_own_organisation_whatever_else_its_maker_belongs_to(personas, world):
    membership = personas.members[Role.MANAGER]
    elsewhere = MembershipFactory(user=membership.user, organisation=OrganisationFactory(), role=Role.ADMIN)
    response = api_client_for(membership).get(reverse("api:idea-list"))
    assert response.status_code == 200
    assert response.json()["count"] == Idea.objects.for_organisation(personas.council).count()
    assert api_client_for(membership, header=True).get(reverse("api:idea-list")).status_code == 200
    orgs = api_client_for(membership).get(reverse("api:organisation-list")).json()["results"]
    assert [(o["id"], o["role"]) for o in orgs] == [(personas.council.pk, "manager")]
    # Naming the maker's other organisation does not move the token there.
    client = api_client_for(membership)
    client.credentials(
        HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"],
        HTTP_X_LANTERN_ORGANISATION=str(elsewhere.organisation_id),
    )
    assert client.get(reverse("api:idea-list")).status_code == 403


def test_naming_an_organisation_one_does_not_belong_to_is_refused(personas, world):
    client = api_client_for(personas.members[Role.MANAGER])
    client.credentials(
        HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"],
        HTTP_X_LANTERN_ORGANISATION=str(personas.other_council.pk),
    )
    assert client.get(reverse("api:idea-list")).status_code == 403


def idea_payload(personas):
    area = ServiceArea.objects.for_organisation(personas.council).first()
    return {
        "title": "Bins that say when they are full",
        "problem": "Collections run to a fixed round whether bins are full or not.",
        "proposal": "Fit sensors to communal bins.",
        "source": "staff",
        "service_areas": [area.pk],
    }


def test_an_officer_logs_an_idea_through_the_same_service_as_the_page(personas, world):
    officer = personas.members[Role.OFFICER]
    last = max(Idea.objects.for_organisation(personas.council).values_list("reference", flat=True))
    response = api_client_for(officer).post(reverse("api:idea-list"), idea_payload(personas), format="json")
    assert response.status_code == 201, response.content
    idea = Idea.objects.get(pk=response.json()["id"])
    assert idea.author == officer.user and idea.organisation == personas.council
    assert idea.reference == last + 1  # numbered after the council's own, by services.idea_create
    assert idea.history.first().history_user == officer.user


def test_an_idea_with_another_councils_service_area_is_refused_with_a_clear_message(personas, world):
    payload = {**idea_payload(personas), "service_areas": [world.other_area.pk]}
    response = api_client_for(personas.members[Role.OFFICER]).post(reverse("api:idea-list"), payload, format="json")
    assert response.status_code == 400
    assert "service_areas" in response.json()
    assert not Idea.objects.filter(title=payload["title"]).exists()


def test_server_set_fields_are_ignored_when_logging_an_idea(personas, world):
    last = max(Idea.objects.for_organisation(personas.council).values_list("reference", flat=True))
    payload = {
        **idea_payload(personas),
        "stage": "accepted",
        "reference": 99,
        "organisation": personas.other_council.pk,
    }
    response = api_client_for(personas.members[Role.OFFICER]).post(reverse("api:idea-list"), payload, format="json")
    idea = Idea.objects.get(pk=response.json()["id"])
    assert (idea.stage, idea.reference, idea.organisation) == ("submitted", last + 1, personas.council)


def test_auditors_may_not_log_ideas(personas, world):
    response = api_client_for(personas.members[Role.AUDITOR]).post(
        reverse("api:idea-list"), idea_payload(personas), format="json"
    )
    assert response.status_code == 403


def test_session_authentication_enforces_csrf(personas, world):
    client = personas.client_for(personas.members[Role.OFFICER])
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("api:idea-list"), idea_payload(personas), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_an_admin_imports_measurements_through_the_import_service(
    personas, world, indicator, django_capture_on_commit_callbacks
):
    text = f"ons_code,indicator_code,period,value\n{personas.council.ons_code},{indicator.code},2025-Q3,50\n"
    client = api_client_for(personas.members[Role.ADMIN])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:measurement-import-file"),
            {"file": SimpleUploadedFile("figures.csv", text.encode())},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    job = ImportJob.objects.get(public_id=response.json()["public_id"])
    body = client.get(reverse("api:import-detail", args=[job.public_id])).json()
    assert body["status"] == "done" and body["created_count"] == 1
    assert Measurement.objects.for_organisation(personas.council).filter(period="2025-Q3").exists()


def test_only_admins_may_import(personas, world):
    response = api_client_for(personas.members[Role.MANAGER]).post(
        reverse("api:measurement-import-file"), {"file": SimpleUploadedFile("f.csv", b"x")}, format="multipart"
    )
    assert response.status_code == 403


def test_a_bad_filter_value_is_a_json_400(personas, world):
    response = api_client_for(personas.members[Role.MANAGER]).get(reverse("api:idea-list"), {"stage": "nonsense"})
    assert response.status_code == 400
    assert "stage" in response.json()


def test_filters_are_the_pages_filters(personas, world):
    client = api_client_for(personas.members[Role.MANAGER])
    assert ids(client.get(reverse("api:risk-list"), {"project": world.officer_project.pk})) == set(
        world.officer_project.risk_assessment.risks.values_list("pk", flat=True)
    )


def test_the_schema_and_its_docs_page_are_served_without_inline_script(personas):
    client = personas.client_for(personas.members[Role.OFFICER])
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<style" not in html and "<script>" not in html
    assert "cdn" not in html.lower()
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200


def test_session_clients_work_in_their_chosen_organisation(personas, world):
    client = Client()
    force_login(client, personas.members[Role.MANAGER].user)
    assert client.get(reverse("api:idea-list")).status_code == 200

"""The forward plan's pages: a manager's form, the admin's threshold, the public page and its
CSV, the project's page, and the portfolio export and API carrying the key-decision fields."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from innovation import services
from innovation.models import ForwardPlanEntry, KeyDecisionThreshold, Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2027, 3, 1, 12, 0, tzinfo=datetime.UTC)
FORM = {"decision_maker": "Cabinet", "expected_date": "2027-04-07", "documents": "Report of the Director"}


@pytest.fixture(autouse=True)
def first_of_march():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def key_project(personas, advance, risk_ready):
    services.key_decision_threshold_set(
        actor=personas.members["admin"].user, organisation=personas.council, amount=Decimal("15000")
    )
    return advance("awaiting_approval")  # £16,000 whole-life cost: a key decision


def _client(personas, role):
    return personas.client_for(personas.members[role])


def test_a_manager_adds_a_key_decision_to_the_forward_plan_and_its_page_says_when_it_can_be_decided(
    personas, key_project
):
    client = _client(personas, "manager")
    url = reverse("innovation:forward-plan-entry", args=[key_project.pk])
    page = client.get(url).content.decode()
    assert "can be made from 30 March 2027 at the earliest" in page
    response = client.post(url, FORM)
    assert response.status_code == 302
    entry = ForwardPlanEntry.objects.get(project=key_project)
    assert (entry.decision_maker, entry.first_published) == ("Cabinet", datetime.date(2027, 3, 1))
    detail = client.get(key_project.get_absolute_url()).content.decode()
    assert "Published 1 March 2027" in detail and "30 March 2027" in detail


def test_a_blank_forward_plan_form_shows_an_error_summary_and_saves_nothing(personas, key_project):
    response = _client(personas, "manager").post(
        reverse("innovation:forward-plan-entry", args=[key_project.pk]), {"expected_date": "2027-02-30"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter who will make the decision" in page and "Enter a real date" in page
    assert not ForwardPlanEntry.objects.exists()


@pytest.mark.parametrize("role", ["officer", "member", "admin", "auditor", "partner"])
def test_only_managers_open_the_forward_plan_form(personas, key_project, role):
    url = reverse("innovation:forward-plan-entry", args=[key_project.pk])
    assert _client(personas, role).post(url, FORM).status_code == 403
    assert not ForwardPlanEntry.objects.exists()


def test_another_councils_project_is_404_on_the_forward_plan_forms_and_nothing_is_saved(personas, key_project):
    theirs = ProjectFactory(organisation=personas.other_council, owner=personas.outsider.user)
    client = _client(personas, "manager")
    assert client.post(reverse("innovation:forward-plan-entry", args=[theirs.pk]), FORM).status_code == 404
    urgency = {"route": "special_urgency", "reason": "r", "chair": "c", "date": "2027-03-01"}
    assert client.post(reverse("innovation:forward-plan-exception", args=[theirs.pk]), urgency).status_code == 404
    assert not ForwardPlanEntry.objects.exists()


def test_an_urgency_route_recorded_on_the_page_shows_on_the_project_and_the_public_plan(personas, key_project):
    client = _client(personas, "manager")
    client.post(reverse("innovation:forward-plan-entry", args=[key_project.pk]), FORM)
    response = client.post(
        reverse("innovation:forward-plan-exception", args=[key_project.pk]),
        {"route": "special_urgency", "reason": "Families must move this week.", "chair": "Cllr Ann Lee", "date": ""},
    )
    assert "Enter the date the chair was told or agreed" in response.content.decode()
    client.post(
        reverse("innovation:forward-plan-exception", args=[key_project.pk]),
        {"route": "special_urgency", "reason": "Families must move this week.", "chair": "Cllr Ann Lee",
         "date": "2027-03-01"},
    )  # fmt: skip
    detail = client.get(key_project.get_absolute_url()).content.decode()
    assert "Special urgency (regulation 11)" in detail and "Cllr Ann Lee" in detail
    public = personas.client_for(None).get(reverse("public:forward-plan", args=[personas.council.pk]))
    assert "Special urgency (regulation 11)" in public.content.decode()
    assert "Families must move this week." in public.content.decode()


def test_the_member_is_told_on_the_decision_page_why_a_key_decision_must_wait(personas, key_project):
    client = _client(personas, "member")
    response = client.post(
        reverse("innovation:project-decide", args=[key_project.pk]),
        {
            "outcome": "approved",
            "rationale": "Good",
            "interest": "none",
            "reason_incremental": "Too slow to close the gap.",
            "reason_do_nothing": "The gap would widen.",
        },
    )
    page = response.content.decode()
    assert "It is not on the forward plan" in page and "30 March 2027" in page
    assert Project.objects.get(pk=key_project.pk).stage == "awaiting_approval"


def _other_councils_entry(personas):
    KeyDecisionThreshold.objects.create(organisation=personas.other_council, amount=Decimal(1))
    theirs = ProjectFactory(organisation=personas.other_council, owner=personas.outsider.user, title="Kingsmere pool")
    return ForwardPlanEntry.objects.create(
        organisation=personas.other_council,
        project=theirs,
        decision_maker="Kingsmere Cabinet",
        expected_date=datetime.date(2027, 5, 1),
        documents="Theirs",
        added_by=personas.outsider.user,
    )


def test_the_public_forward_plan_and_its_csv_show_that_authoritys_entries_only(personas, key_project):
    _other_councils_entry(personas)
    _client(personas, "manager").post(reverse("innovation:forward-plan-entry", args=[key_project.pk]), FORM)
    anonymous = personas.client_for(None)
    page = anonymous.get(reverse("public:forward-plan", args=[personas.council.pk])).content.decode()
    assert key_project.title in page and "30 March 2027" in page
    assert "Kingsmere" not in page
    assert personas.members["manager"].user.full_name not in page  # no one's name but the decision-maker's
    response = anonymous.get(reverse("public:forward-plan-csv", args=[personas.council.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    shown = [(r["matter"], r["decision_maker"], r["first_published"], r["earliest_decision_date"]) for r in rows]
    assert shown == [(key_project.title, "Cabinet", "2027-03-01", "2027-03-30")]


def test_an_authority_with_no_threshold_has_no_public_forward_plan(personas):
    anonymous = personas.client_for(None)
    assert anonymous.get(reverse("public:forward-plan", args=[personas.council.pk])).status_code == 404
    assert anonymous.get(reverse("public:forward-plan-csv", args=[personas.council.pk])).status_code == 404


def test_the_admin_sets_the_threshold_and_a_manager_may_not(personas):
    url = reverse("innovation:key-decision-threshold")
    assert _client(personas, "manager").post(url, {"amount": "1"}).status_code == 403
    refused = _client(personas, "admin").post(url, {"amount": "lots"})
    assert "Enter an amount in pounds" in refused.content.decode()
    assert _client(personas, "admin").post(url, {"amount": "500000"}).status_code == 302
    assert KeyDecisionThreshold.objects.get(organisation=personas.council).amount == Decimal("500000")
    page = _client(personas, "officer").get(reverse("innovation:forward-plan")).content.decode()
    assert "£500,000 or more" in page


def test_the_portfolio_export_and_the_api_carry_the_key_decision_fields(personas, key_project):
    from accounts.models import Role
    from innovation import exports
    from tests.factories import api_key_for

    _client(personas, "manager").post(reverse("innovation:forward-plan-entry", args=[key_project.pk]), FORM)
    projects = exports.portfolio_select(organisation=personas.council, user=personas.members["admin"].user, data={})
    row = dict(zip(exports.PORTFOLIO_COLUMNS, exports.portfolio_row(projects.get(pk=key_project.pk)), strict=True))
    assert row["key_decision"] is True
    assert row["decision_value"] == Decimal("16000")
    assert row["forward_plan_published"] == datetime.date(2027, 3, 1)
    assert row["earliest_decision_date"] == datetime.date(2027, 3, 30)
    assert row["urgency_route"] is None
    key = api_key_for(personas.members[Role.MANAGER])
    data = (
        personas.client_for(None)
        .get(reverse("api:project-detail", args=[key_project.pk]), HTTP_AUTHORIZATION=f"Token {key}")
        .json()
    )
    assert (data["key_decision"], data["decision_value"], data["earliest_decision_date"]) == (
        True,
        "16000.00",
        "2027-03-30",
    )

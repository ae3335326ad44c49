import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from innovation.models import TeamMember
from risk.models import Risk, RiskAssessment
from tests.factories import ProjectFactory

READERS = {Role.MANAGER, Role.ADMIN, Role.MEMBER, Role.AUDITOR}
EDITORS = {Role.MANAGER, Role.ADMIN}

# URL name → roles that get a page (everyone else in the council: 403).
PROJECT_PAGES = {
    "risk:project-register": READERS,
    "risk:assessment-edit": EDITORS,
    "risk:risk-create": EDITORS,
}
RISK_PAGES = {
    "risk:risk-detail": READERS,
    "risk:risk-edit": EDITORS,
    "risk:risk-review": EDITORS,
    "risk:control-create": EDITORS,
    "risk:risk-escalate": EDITORS,
    "risk:risk-accept": {Role.MEMBER},
}
ORGANISATION_PAGES = {
    "risk:register": READERS | {Role.OFFICER},
    "risk:appetite": {Role.ADMIN},
}


def _matrix(pages):
    return [(name, role, 200 if role in allowed else 403) for name, allowed in pages.items() for role in Role.values]


@pytest.mark.parametrize(("name", "role", "status"), _matrix(PROJECT_PAGES))
def test_project_pages_by_role(personas, complete_assessment, project, name, role, status):
    client = personas.client_for(personas.members[role])
    assert client.get(reverse(name, args=[project.pk])).status_code == status


@pytest.mark.parametrize(("name", "role", "status"), _matrix(RISK_PAGES))
def test_risk_pages_by_role(personas, complete_assessment, name, role, status):
    risk = Risk.objects.first()
    client = personas.client_for(personas.members[role])
    assert client.get(reverse(name, args=[risk.pk])).status_code == status


@pytest.mark.parametrize(("name", "role", "status"), _matrix(ORGANISATION_PAGES))
def test_organisation_pages_by_role(personas, name, role, status):
    client = personas.client_for(personas.members[role])
    assert client.get(reverse(name)).status_code == status


@pytest.mark.parametrize("name", [*PROJECT_PAGES, *RISK_PAGES, *ORGANISATION_PAGES])
def test_anonymous_visitors_are_sent_to_sign_in(personas, complete_assessment, project, name):
    args = [] if name in ORGANISATION_PAGES else [project.pk if name in PROJECT_PAGES else Risk.objects.first().pk]
    response = personas.client_for(None).get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("name", [*PROJECT_PAGES, *RISK_PAGES])
def test_someone_from_another_council_gets_404(personas, complete_assessment, project, name):
    pk = project.pk if name in PROJECT_PAGES else Risk.objects.first().pk
    assert personas.client_for(personas.outsider).get(reverse(name, args=[pk])).status_code == 404


def test_another_councils_register_shows_none_of_these_risks(personas, complete_assessment):
    response = personas.client_for(personas.outsider).get(reverse("risk:register"))
    assert response.status_code == 200
    assert "Supplier cannot deliver on time" not in response.content.decode()


def test_an_officer_on_the_project_team_reads_its_risks(personas, complete_assessment, project, officer):
    TeamMember.objects.create(
        organisation=personas.council, project=project, name="Priya", department="Waste", user=officer
    )
    client = personas.client_for(personas.members[Role.OFFICER])
    assert client.get(reverse("risk:project-register", args=[project.pk])).status_code == 200
    assert client.get(reverse("risk:risk-detail", args=[Risk.objects.first().pk])).status_code == 200
    assert "Supplier cannot deliver on time" in client.get(reverse("risk:register")).content.decode()


def test_an_officer_who_owns_a_risk_off_their_team_reads_it_but_not_the_rest_of_the_project(
    personas, make_risk, project, manager, officer
):
    owned = make_risk(title="Depot access for the new vehicles", owner=officer)
    make_risk(title="Supplier cannot deliver on time", owner=manager)
    client = personas.client_for(personas.members[Role.OFFICER])
    page = client.get(reverse("risk:risk-detail", args=[owned.pk]))
    assert page.status_code == 200
    # Its back link leads somewhere the officer may go, not to the project's register.
    assert reverse("risk:project-register", args=[project.pk]) not in page.content.decode()
    register = client.get(reverse("risk:register")).content.decode()
    assert "Depot access for the new vehicles" in register
    assert "Supplier cannot deliver on time" not in register
    assert client.get(reverse("risk:project-register", args=[project.pk])).status_code == 403


def test_an_officer_off_the_team_sees_an_empty_organisation_register(personas, complete_assessment):
    response = personas.client_for(personas.members[Role.OFFICER]).get(reverse("risk:register"))
    assert "Supplier cannot deliver on time" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [(Role.MEMBER, 302), (Role.MANAGER, 302), (Role.AUDITOR, 403), (Role.OFFICER, 403)]
)
def test_members_and_managers_comment_and_auditors_cannot(personas, complete_assessment, role, status):
    risk = Risk.objects.first()
    client = personas.client_for(personas.members[role])
    response = client.post(reverse("risk:risk-comment", args=[risk.pk]), {"body": "What is plan B?"})
    assert response.status_code == status
    assert risk.comments.count() == (1 if status == 302 else 0)


def test_commenting_refuses_get(personas, complete_assessment):
    client = personas.client_for(personas.members[Role.MEMBER])
    assert client.get(reverse("risk:risk-comment", args=[Risk.objects.first().pk])).status_code == 405


def test_manager_adds_the_risk_of_not_innovating(personas, project):
    client = personas.client_for(personas.members[Role.MANAGER])
    form_page = client.get(reverse("risk:risk-create", args=[project.pk]) + "?category=missed_opportunity")
    assert 'value="missed_opportunity" checked' in form_page.content.decode()
    response = client.post(
        reverse("risk:risk-create", args=[project.pk]),
        {
            "title": "Missed bins keep rising",
            "category": "missed_opportunity",
            "owner": personas.members[Role.MANAGER].user.pk,
            "inherent_likelihood": "4",
            "inherent_impact": "3",
            "treatment": "reduce",
            "residual_likelihood": "4",
            "residual_impact": "3",
        },
    )
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert (risk.category, risk.residual_score, risk.assessment.project) == ("missed_opportunity", 12, project)


def test_an_empty_review_shows_what_to_fix_and_changes_nothing(personas, complete_assessment):
    risk = Risk.objects.first()
    client = personas.client_for(personas.members[Role.MANAGER])
    response = client.post(reverse("risk:risk-review", args=[risk.pk]), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter what has changed since the last review" in page
    assert risk.reviews.count() == 1


def test_a_review_through_the_page_moves_the_risk(personas, complete_assessment):
    risk = Risk.objects.get(title="Supplier cannot deliver on time")
    client = personas.client_for(personas.members[Role.MANAGER])
    response = client.post(
        reverse("risk:risk-review", args=[risk.pk]),
        {
            "inherent_likelihood": "4",
            "inherent_impact": "4",
            "residual_likelihood": "3",
            "residual_impact": "4",
            "status": "open",
            "note": "The supplier missed a deadline.",
        },
    )
    assert response.status_code == 302
    register = client.get(reverse("risk:register")).content.decode()
    assert "Up from 6" in register
    detail = client.get(risk.get_absolute_url()).content.decode()
    assert "The supplier missed a deadline." in detail


def test_posting_a_score_field_the_form_does_not_have_changes_nothing(personas, complete_assessment, project):
    client = personas.client_for(personas.members[Role.MANAGER])
    client.post(
        reverse("risk:assessment-edit", args=[project.pk]),
        {"summary": "New", "recommendation": "Go", "project": 999, "organisation": personas.other_council.pk},
    )
    assessment = RiskAssessment.objects.get(project=project)
    assert (assessment.summary, assessment.organisation) == ("New", personas.council)


# ------------------------------------------------------------------ registers and heat maps


def _spread_risks(make_risk):
    scores = [(5, 5, 4, 4), (5, 5, 4, 4), (4, 3, 2, 2), (2, 2, 1, 1), (3, 5, None, None), (1, 1, 1, 1)]
    for n, (il, ii, rl, ri) in enumerate(scores):
        make_risk(
            title=f"Risk {n}",
            inherent_likelihood=il,
            inherent_impact=ii,
            residual_likelihood=rl,
            residual_impact=ri,
        )


CELL = re.compile(r'data-count="(\d+)">\s*<a class="govuk-link" href="([^"]+)"')
COUNT = re.compile(r'id="risk-count">(?:Showing \d+ to \d+ of (\d+) risks?|No risks)')


def _count_on(client, url):
    match = COUNT.search(client.get(url.replace("&amp;", "&")).content.decode())
    return int(match.group(1) or 0)


@pytest.mark.parametrize("query", ["", "?category=delivery", "?band=very_high"])
def test_each_heat_map_cell_count_equals_the_register_it_links_to(personas, make_risk, query):
    _spread_risks(make_risk)
    client = personas.client_for(personas.members[Role.MANAGER])
    page = client.get(reverse("risk:register") + query).content.decode()
    cells = CELL.findall(page)
    assert cells, "the heat maps link their cells"
    for count, url in cells:
        assert _count_on(client, url) == int(count), url


def test_the_heat_maps_count_every_risk_and_the_residual_map_skips_unscored_ones(personas, make_risk):
    _spread_risks(make_risk)
    client = personas.client_for(personas.members[Role.MANAGER])
    page = client.get(reverse("risk:register")).content.decode()
    assert "Risks before controls (inherent): 6 risks" in page
    assert "Risks after controls (residual): 5 risks" in page


def test_filtering_by_band_lists_only_that_band(personas, make_risk):
    _spread_risks(make_risk)
    client = personas.client_for(personas.members[Role.MANAGER])
    page = client.get(reverse("risk:register") + "?band=very_high").content.decode()
    assert "of 2 risks" in page
    assert page.count('data-risk="') == 2


def test_sorting_by_inherent_score_puts_the_highest_first(personas, make_risk):
    _spread_risks(make_risk)
    client = personas.client_for(personas.members[Role.MANAGER])
    page = client.get(reverse("risk:register") + "?sort=-inherent").content.decode()
    order = [int(pk) for pk in re.findall(r'data-risk="(\d+)"', page)]
    scores = [Risk.objects.get(pk=pk).inherent_score for pk in order]
    assert scores == sorted(scores, reverse=True)


def test_overdue_reviews_and_expired_acceptance_show_on_the_register(personas, make_risk, member):
    import datetime

    risk = make_risk(review_date=datetime.date(2020, 1, 1))
    Risk.objects.filter(pk=risk.pk).update(accepted_by=member, accepted_until=datetime.date(2021, 1, 1))
    client = personas.client_for(personas.members[Role.MANAGER])
    page = client.get(reverse("risk:register") + "?overdue=yes").content.decode()
    assert "Overdue" in page and "Acceptance expired" in page
    assert "of 1 risk" in page


def test_filtering_by_service_area_lists_each_risk_once(personas, make_risk, project):
    from portfolio.models import ServiceArea

    areas = [ServiceArea.objects.create(organisation=personas.council, name=n, service="waste") for n in "AB"]
    project.service_areas.set(areas)
    make_risk()
    client = personas.client_for(personas.members[Role.MANAGER])
    page = client.get(reverse("risk:register") + f"?service_area={areas[0].pk}").content.decode()
    assert "of 1 risk" in page


def _bulk_risks(personas, manager, count: int) -> None:
    """`count` risks over projects of 100 each, straight into the database for speed."""
    projects = [ProjectFactory(organisation=personas.council, owner=manager) for _ in range(max(1, count // 100))]
    assessments = [RiskAssessment.objects.create(organisation=personas.council, project=p) for p in projects]
    risks = []
    for n in range(count):
        risk = Risk(
            organisation=personas.council,
            assessment=assessments[n % len(assessments)],
            title=f"Risk {n}",
            category="delivery",
            owner=manager,
            inherent_likelihood=n % 5 + 1,
            inherent_impact=n // 5 % 5 + 1,
            residual_likelihood=1 + n % 3,
            residual_impact=1 + n % 2,
        )
        risk.set_scores()
        risks.append(risk)
    Risk.objects.bulk_create(risks)


def test_the_organisation_register_with_5000_risks_takes_as_many_queries_as_with_10(
    personas, manager, django_assert_num_queries
):
    client = personas.client_for(personas.members[Role.MANAGER])
    _bulk_risks(personas, manager, 10)
    client.get(reverse("risk:register"))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("risk:register") + "?sort=-inherent")
    _bulk_risks(personas, manager, 4990)
    assert Risk.objects.count() == 5000
    with django_assert_num_queries(len(small)):
        response = client.get(reverse("risk:register") + "?sort=-inherent")
    assert "of 5000 risks" in response.content.decode()


def test_nonsense_in_the_register_address_shows_the_register_with_the_filter_flagged(personas, make_risk):
    make_risk()
    client = personas.client_for(personas.members[Role.MANAGER])
    response = client.get(reverse("risk:register") + "?band=purple&residual_likelihood=x&page=99&sort=password")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_admin_sets_the_risk_appetite_and_bad_input_changes_nothing(personas):
    from risk.models import appetite_for

    client = personas.client_for(personas.members[Role.ADMIN])
    response = client.post(reverse("risk:appetite"), {"max_residual_score": "30"})
    assert "Enter a score of 25 or less" in response.content.decode()
    assert appetite_for(personas.council) == 12
    assert client.post(reverse("risk:appetite"), {"max_residual_score": "9"}).status_code == 302
    personas.council.refresh_from_db()
    assert appetite_for(personas.council) == 9


def test_manager_adds_a_control_with_owner_cost_and_dates(personas, complete_assessment, manager):
    risk = Risk.objects.first()
    client = personas.client_for(personas.members[Role.MANAGER])
    response = client.post(
        reverse("risk:control-create", args=[risk.pk]),
        {
            "description": "Second supplier on standby",
            "owner": manager.pk,
            "cost": "1500",
            "start_date": "2027-01-04",
            "due_date": "2027-02-01",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    control = risk.controls.get()
    assert (control.owner, str(control.cost), str(control.due_date)) == (manager, "1500.00", "2027-02-01")
    assert "£1,500.00" in client.get(risk.get_absolute_url()).content.decode()


def test_member_accepts_and_manager_escalates_through_the_pages(personas, complete_assessment, mailoutbox):
    risk = Risk.objects.exclude(category="missed_opportunity").first()  # that one is weighed, never accepted
    manager_client = personas.client_for(personas.members[Role.MANAGER])
    response = manager_client.post(reverse("risk:risk-escalate", args=[risk.pk]), {"note": "Above appetite."})
    assert response.status_code == 302
    member_client = personas.client_for(personas.members[Role.MEMBER])
    response = member_client.post(
        reverse("risk:risk-accept", args=[risk.pk]), {"until": "2099-01-01", "note": "Worth the savings."}
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.escalated_at is not None and risk.accepted_until.year == 2099
    page = member_client.get(reverse("risk:register")).content.decode()
    assert "Escalated" in page and "Accepted until 1 January 2099" in page


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, flags=re.DOTALL)
    return re.findall(r">([^<]*)</option>", select.group(1))


def test_the_project_filter_offers_only_live_projects_with_a_risk_assessment(personas, make_risk, project, manager):
    make_risk()  # the project now has a risk assessment
    ProjectFactory(organisation=personas.council, owner=manager, title="No assessment yet")
    closed = ProjectFactory(organisation=personas.council, owner=manager, title="Closed with risks", stage="closed")
    make_risk(project=closed)
    page = personas.client_for(personas.members[Role.MANAGER]).get(reverse("risk:register")).content.decode()
    assert _options(page, "project") == ["Any project", "Text reminders for bin days"]
    assert '<select name="project" class="govuk-select" id="id_project">' in page


def test_a_project_not_offered_in_the_filter_can_still_be_named_and_lists_no_risks(personas, make_risk, manager):
    make_risk()
    unassessed = ProjectFactory(organisation=personas.council, owner=manager, title="No assessment yet")
    client = personas.client_for(personas.members[Role.MANAGER])
    page = client.get(reverse("risk:register") + f"?project={unassessed.pk}").content.decode()
    assert "Select a valid choice" not in page and "No risks match." in page


def test_the_register_takes_as_many_queries_with_300_projects_as_with_one(personas, make_risk, manager):
    make_risk()
    client = personas.client_for(personas.members[Role.MANAGER])
    client.get(reverse("risk:register"))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("risk:register"))
    projects = [ProjectFactory(organisation=personas.council, owner=manager) for _ in range(300)]
    RiskAssessment.objects.bulk_create(
        RiskAssessment(organisation=personas.council, project=project) for project in projects[:150]
    )
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("risk:register")).content.decode()
    assert len(large) == len(small)
    assert len(_options(page, "project")) == 1 + 1 + 150


def test_a_register_row_says_when_a_risk_has_no_owner_and_no_review_date(personas, make_risk):
    risk = make_risk(owner=None)
    Risk.objects.filter(pk=risk.pk).update(review_date=None)
    page = personas.client_for(personas.members[Role.MANAGER]).get(reverse("risk:register")).content.decode()
    row = re.search(rf'<tr class="govuk-table__row" data-risk="{risk.pk}">(.*?)</tr>', page, flags=re.DOTALL).group(1)
    assert "No owner" in row and "Not set" in row
    assert f'href="{risk.get_absolute_url()}"' in row

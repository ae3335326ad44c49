"""Issue 15, parts 2 and 3: the risk of not innovating is weighed, never accepted; a member
accepts the project's risks above appetite knowingly, and the acceptance is recorded on each.

Figures, by hand (DESIGN.md: score = likelihood × impact; 1–4 low, 5–9 medium, 10–14 high,
15–25 very high; the default appetite is 12):
- "Supplier cannot deliver on time": residual 3 × 3 = 9, medium, within appetite.
- "Missed collections keep rising": the risk of not innovating, residual 5 × 4 = 20, very high.
- "Supplier collapses": residual 4 × 4 = 16, very high, above appetite.
- "Residents' data is exposed": residual 3 × 5 = 15, very high, above appetite.
"""

import datetime

import pytest
import time_machine
from django.db.models import OuterRef
from django.urls import reverse

from accounts.models import Role
from innovation import services as innovation
from innovation.models import Decision, Project, ProjectStage
from risk import queries, services
from risk.models import Risk
from tests.factories import MembershipFactory

TODAY = datetime.datetime(2026, 11, 27, 9, 0)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def weighed(case_ready, make_risk, manager, project):
    """A medium risk of going ahead against a very high risk of not innovating, ready to decide."""
    make_risk(residual_likelihood=3, residual_impact=3)
    make_risk(
        title="Missed collections keep rising",
        category="missed_opportunity",
        inherent_likelihood=5,
        inherent_impact=4,
        residual_likelihood=5,
        residual_impact=4,
    )
    services.assessment_update(
        actor=manager,
        project=project,
        summary="Going ahead risks a late supplier; standing still means ever more missed bins.",
        recommendation="Go ahead, with a second supplier lined up.",
    )
    return innovation.project_submit_for_approval(actor=manager, project=case_ready)


@pytest.fixture
def above(weighed, make_risk, manager):
    """Two risks of going ahead above the appetite of 12, the first with a mitigation."""
    collapse = make_risk(title="Supplier collapses", residual_likelihood=4, residual_impact=4, treatment="transfer")
    services.control_add(actor=manager, risk=collapse, description="Performance bond from the supplier")
    breach = make_risk(title="Residents' data is exposed", residual_likelihood=3, residual_impact=5)
    return collapse, breach


def _not_innovating():
    return Risk.objects.get(category="missed_opportunity")


# ---------------------------------------------------------------- the risk of not innovating


def test_a_very_high_risk_of_not_innovating_is_approved_without_being_accepted(weighed, member):
    project = innovation.project_approve(actor=member, project=weighed, rationale="Doing nothing is riskier.")
    assert project.stage == ProjectStage.IMPLEMENTATION
    assert not Decision.objects.get(project=project).accepted_residual_risk
    assert not _not_innovating().is_accepted


def test_the_decision_page_does_not_ask_to_accept_the_risk_of_not_innovating(personas, weighed):
    page = personas.client_for(personas.members[Role.MEMBER]).get(
        reverse("innovation:project-decide", args=[weighed.pk])
    )
    body = page.content.decode()
    assert "accept_residual_risk" not in body
    assert "Doing nothing: residual 20, very high" in body
    assert "Innovating: highest residual 9, medium" in body
    assert "the risk of not innovating counts for the case" in body
    assert "No risk of going ahead is above the organisation’s risk appetite of 12" in body


def test_the_business_case_shows_doing_nothing_beside_innovating(personas, weighed):
    body = personas.client_for(personas.members[Role.MANAGER]).get(weighed.get_absolute_url()).content.decode()
    assert "Doing nothing: residual 20, very high" in body
    assert "Innovating: highest residual 9, medium" in body


def test_the_risk_of_not_innovating_is_not_the_projects_highest_residual_score(personas, weighed):
    assessment = weighed.risk_assessment
    assert not assessment.exceeds_appetite
    weighing = assessment.weighing()
    assert (weighing.not_innovating, weighing.innovating, weighing.counts_for_the_case) == (20, 9, True)
    highest = (
        Project.objects.filter(pk=weighed.pk)
        .annotate(h=queries.highest_open_residual(OuterRef("pk")))
        .values_list("h", flat=True)
        .get()
    )
    assert highest == 9
    summary = queries.project_risk_summaries(organisation=personas.council, project_ids=[weighed.pk])[weighed.pk]
    assert (summary.highest_residual, summary.highest_band_label, summary.exceeds_appetite) == (9, "Medium", False)


def test_the_risk_of_not_innovating_is_not_listed_above_appetite_on_the_dashboard_or_register(personas, weighed):
    client = personas.client_for(personas.members[Role.MANAGER])
    home = client.get("/").content.decode()
    assert "Missed collections keep rising" not in home
    assert "No open risk is above the appetite." in home
    risk_page = client.get(_not_innovating().get_absolute_url()).content.decode()
    assert "Above appetite" not in risk_page
    register = client.get(reverse("risk:project-register", args=[weighed.pk])).content.decode()
    assert "Above appetite" not in register


def test_the_risk_of_not_innovating_cannot_be_accepted_on_its_page(personas, weighed):
    risk = _not_innovating()
    client = personas.client_for(personas.members[Role.MEMBER])
    assert "Accept this risk" not in client.get(risk.get_absolute_url()).content.decode()
    response = client.post(reverse("risk:risk-accept", args=[risk.pk]), {"until": "2027-06-01", "note": "Fine."})
    assert "weighed against the project’s risks when members decide, not accepted" in response.content.decode()
    risk.refresh_from_db()
    assert not risk.is_accepted


def test_rejecting_the_project_moves_the_risk_of_not_innovating_to_the_organisation_register(
    personas, weighed, member, manager
):
    innovation.project_reject(actor=member, project=weighed, rationale="Not this year.")
    risk = _not_innovating()
    decision = Decision.objects.get(project=weighed)
    assert risk.carried_at is not None and risk.carried_decision == decision
    assert risk.owner == manager  # the project's owner, an active manager of its service areas
    register = personas.client_for(personas.members[Role.MANAGER]).get(reverse("risk:register")).content.decode()
    assert "Missed collections keep rising" in register and "Carried by the organisation" in register
    assert "Supplier cannot deliver on time" not in register  # the rejected project's own risks leave it


def test_a_carried_risk_goes_to_another_manager_when_the_project_owner_is_no_longer_one(
    personas, weighed, member, manager
):
    personas.members[Role.MANAGER].is_active = False
    personas.members[Role.MANAGER].save()
    other = MembershipFactory(organisation=personas.council, role=Role.MANAGER).user
    innovation.project_reject(actor=member, project=weighed, rationale="Not this year.")
    assert _not_innovating().owner == other


# ---------------------------------------------------------------- acceptance, knowingly and recorded


def test_the_decision_page_lists_each_risk_above_appetite_with_the_summary_and_heat_map(personas, above):
    collapse, breach = above
    page = personas.client_for(personas.members[Role.MEMBER]).get(
        reverse("innovation:project-decide", args=[collapse.assessment.project_id])
    )
    body = page.content.decode()
    listed = body[body.index('id="risks-above-appetite"') :]
    assert "Supplier collapses" in listed and "Residents&#x27; data is exposed" in listed
    assert "16 Very high" in listed and "15 Very high" in listed  # after controls
    assert "Transfer" in listed and "Performance bond from the supplier" in listed
    assert "Missed collections keep rising" not in listed.split("</table>")[0]
    assert "standing still means ever more missed bins" in body
    assert "Go ahead, with a second supplier lined up." in body
    assert 'data-heat-map="residual"' in body
    assert "accept_residual_risk" in body


def test_approving_with_acceptance_records_it_on_each_risk_above_appetite(personas, above, member):
    collapse, breach = above
    project = innovation.project_approve(
        actor=member, project=collapse.assessment.project, rationale="Worth it.", accept_residual_risk=True
    )
    decision = Decision.objects.get(project=project)
    assert decision.accepted_residual_risk
    for risk in (collapse, breach):
        risk.refresh_from_db()
        assert risk.accepted_by == member
        assert risk.accepted_at.date() == datetime.date(2026, 11, 27)
        assert risk.acceptance_decision == decision
        assert risk.accepted_until == datetime.date(2027, 11, 27)  # the default: 12 months
    assert not Risk.objects.get(title="Supplier cannot deliver on time").is_accepted  # 9, within appetite
    assert not _not_innovating().is_accepted


def test_the_acceptance_lasts_as_long_as_the_organisation_says(personas, above, member):
    admin = personas.members[Role.ADMIN].user
    services.appetite_set(actor=admin, organisation=personas.council, max_residual_score=12, acceptance_months=6)
    collapse, _ = above
    innovation.project_approve(
        actor=member, project=collapse.assessment.project, rationale="Worth it.", accept_residual_risk=True
    )
    collapse.refresh_from_db()
    assert collapse.accepted_until == datetime.date(2027, 5, 27)


def test_after_acceptance_the_risk_page_does_not_ask_again_and_the_dashboard_stops_listing(personas, above, member):
    collapse, breach = above
    manager_client = personas.client_for(personas.members[Role.MANAGER])
    assert "Supplier collapses" in manager_client.get("/").content.decode()
    innovation.project_approve(
        actor=member, project=collapse.assessment.project, rationale="Worth it.", accept_residual_risk=True
    )
    page = personas.client_for(personas.members[Role.MEMBER]).get(collapse.get_absolute_url()).content.decode()
    assert "Accept this risk" not in page
    assert "the decision of 27 November 2026 to approve the project" in page
    assert "until 27 November 2027" in page
    home = manager_client.get("/").content.decode()
    assert "Supplier collapses" not in home and "Residents&#x27; data is exposed" not in home


def test_a_risk_accepted_on_its_page_is_not_asked_for_again_at_the_gate(above, member):
    collapse, breach = above
    for risk in above:
        services.risk_accept(actor=member, risk=risk, until=datetime.date(2027, 3, 31), note="Bond in place.")
    project = innovation.project_approve(actor=member, project=collapse.assessment.project, rationale="Yes.")
    assert project.stage == ProjectStage.IMPLEMENTATION
    collapse.refresh_from_db()
    assert collapse.accepted_until == datetime.date(2027, 3, 31) and collapse.acceptance_decision is None


def test_an_expired_acceptance_is_asked_for_again(above, member):
    collapse, breach = above
    for risk in above:
        services.risk_accept(actor=member, risk=risk, until=datetime.date(2026, 12, 1), note="Bond in place.")
    with (
        time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0), tick=False),
        pytest.raises(innovation.InnovationError, match="exceeds the organisation’s risk appetite"),
    ):
        innovation.project_approve(actor=member, project=collapse.assessment.project, rationale="Yes.")

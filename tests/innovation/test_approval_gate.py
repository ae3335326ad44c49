"""The approval gate with the real risk assessment of the risk app (R3, R4, R11).

The innovation app never imports risk; these tests do, to prove the contract holds:
`project.risk_assessment.approval_problems()` and `.exceeds_appetite`.
"""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from innovation import services
from innovation.models import Decision, ProjectStage
from risk import services as risk_services

pytestmark = pytest.mark.django_db


def _assess(project, manager, *, residual=(2, 2)):
    risk_services.risk_create(
        actor=manager,
        project=project,
        title="Supplier fails",
        category="delivery",
        inherent_likelihood=4,
        inherent_impact=4,
        owner=manager,
        residual_likelihood=residual[0],
        residual_impact=residual[1],
    )
    risk_services.risk_create(
        actor=manager,
        project=project,
        title="Missed collections keep rising",
        category="missed_opportunity",
        inherent_likelihood=3,
        inherent_impact=3,
        owner=manager,
        residual_likelihood=3,
        residual_impact=3,
    )
    risk_services.assessment_update(
        actor=manager, project=project, summary="Doing nothing costs more.", recommendation="Go ahead."
    )


def test_an_unfinished_risk_assessment_blocks_submission_with_its_own_reasons(advance, manager):
    project = advance("ready")
    risk_services.risk_create(
        actor=manager,
        project=project,
        title="Supplier fails",
        category="delivery",
        inherent_likelihood=4,
        inherent_impact=4,
    )
    with pytest.raises(services.InnovationError) as refused:
        services.project_submit_for_approval(actor=manager, project=project)
    message = str(refused.value)
    assert "an owner" in message and "risk of not innovating" in message
    project.refresh_from_db()
    assert project.stage == ProjectStage.ASSESSMENT


# What the decision form asks besides the rationale: the member's declaration of interest and why
# each option an approval rejects is rejected.
APPROVAL_FORM = {
    "outcome": "approved",
    "interest": "none",
    "reason_incremental": "Too slow to close the gap.",
    "reason_do_nothing": "The gap would widen.",
}


def test_a_complete_case_and_risk_assessment_within_appetite_is_approved_without_a_tick(
    advance, manager, member, sponsor, officer, django_capture_on_commit_callbacks
):
    project = advance("ready")
    _assess(project, manager)
    with django_capture_on_commit_callbacks(execute=True):
        project = services.project_submit_for_approval(actor=manager, project=project)
        project = services.project_approve(actor=member, project=project, rationale="Sound case")
    assert project.stage == ProjectStage.IMPLEMENTATION
    assert Decision.objects.get(project=project).accepted_residual_risk is False
    # The sponsor (asked to decide), the owner (the decision) and the idea's author (issue 16).
    assert {tuple(m.to) for m in mail.outbox} == {(sponsor.email,), (manager.email,), (officer.email,)}
    assert len(mail.outbox) == 3  # the idea's author hears once, not also as its originator


def test_residual_risk_above_appetite_needs_the_members_explicit_acceptance(advance, manager, member, personas):
    project = advance("ready")
    _assess(project, manager, residual=(5, 5))  # 25, above the default appetite of 12
    project = services.project_submit_for_approval(actor=manager, project=project)
    assert project.risk_assessment.exceeds_appetite
    client = personas.client_for(personas.members[Role.MEMBER])
    url = reverse("innovation:project-decide", args=[project.pk])
    page = client.get(url).content.decode()
    assert "exceeds the organisation’s risk appetite" in page and "accept_residual_risk" in page
    response = client.post(url, {**APPROVAL_FORM, "rationale": "Worth it"})
    assert "accept that risk" in response.content.decode()
    assert not Decision.objects.exists()
    client.post(url, {**APPROVAL_FORM, "rationale": "Worth it", "accept_residual_risk": "on"})
    decision = Decision.objects.get(project=project)
    assert decision.outcome == "approved" and decision.accepted_residual_risk is True

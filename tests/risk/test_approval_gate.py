"""The lifecycle's approval gate, through innovation's own services, asking the risk assessment."""

import pytest

from innovation import services as innovation
from innovation.models import Decision, ProjectStage
from risk import services


def _submit(project, manager):
    return innovation.project_submit_for_approval(actor=manager, project=project)


def test_a_project_without_a_risk_assessment_is_refused_at_submission(case_ready, manager):
    with pytest.raises(innovation.InnovationError, match="risk assessment"):
        _submit(case_ready, manager)
    case_ready.refresh_from_db()
    assert case_ready.stage == ProjectStage.ASSESSMENT


def test_a_risk_without_an_owner_is_refused_at_submission(case_ready, complete_assessment, make_risk, manager):
    make_risk(title="Data breach", owner=None)
    with pytest.raises(innovation.InnovationError, match="Give the risk “Data breach” an owner"):
        _submit(case_ready, manager)


def test_a_risk_without_a_residual_score_is_refused_at_submission(case_ready, complete_assessment, make_risk, manager):
    make_risk(title="Data breach", residual_likelihood=None, residual_impact=None)
    with pytest.raises(innovation.InnovationError, match="residual likelihood and impact of the risk “Data breach”"):
        _submit(case_ready, manager)


def test_an_assessment_without_the_risk_of_not_innovating_is_refused(case_ready, make_risk, manager, project):
    make_risk()
    services.assessment_update(actor=manager, project=project, summary="S", recommendation="R")
    with pytest.raises(innovation.InnovationError, match="risk of not innovating"):
        _submit(case_ready, manager)


def test_a_complete_assessment_goes_to_approval(case_ready, complete_assessment, manager):
    assert _submit(case_ready, manager).stage == ProjectStage.AWAITING_APPROVAL


def test_residual_risk_above_appetite_is_refused_without_the_members_acceptance(
    case_ready, complete_assessment, make_risk, manager, member
):
    make_risk(title="Supplier collapses", residual_likelihood=4, residual_impact=4)
    project = _submit(case_ready, manager)
    with pytest.raises(innovation.InnovationError, match="exceeds the organisation’s risk appetite"):
        innovation.project_approve(actor=member, project=project, rationale="Good value.")
    project.refresh_from_db()
    assert project.stage == ProjectStage.AWAITING_APPROVAL


def test_residual_risk_above_appetite_is_approved_when_the_member_accepts_it(
    case_ready, complete_assessment, make_risk, manager, member
):
    make_risk(title="Supplier collapses", residual_likelihood=4, residual_impact=4)
    project = _submit(case_ready, manager)
    project = innovation.project_approve(
        actor=member, project=project, rationale="Worth it.", accept_residual_risk=True
    )
    assert project.stage == ProjectStage.IMPLEMENTATION
    assert Decision.objects.get(project=project).accepted_residual_risk


def test_a_lower_appetite_set_by_the_admin_makes_the_same_risks_exceed_it(
    personas, case_ready, complete_assessment, manager, member
):
    # The supplier risk scores 2 × 3 = 6 after controls: within 12, above 5. (The risk of not
    # innovating, 4 × 3 = 12, never counts: it is weighed, not accepted.)
    services.appetite_set(actor=personas.members["admin"].user, organisation=personas.council, max_residual_score=5)
    project = _submit(case_ready, manager)
    with pytest.raises(innovation.InnovationError, match="appetite"):
        innovation.project_approve(actor=member, project=project, rationale="Good value.")

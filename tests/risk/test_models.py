import datetime

import pytest
import time_machine

from risk import services
from risk.models import DEFAULT_APPETITE, Risk, RiskAppetite, RiskAssessment, appetite_for


def test_a_complete_assessment_has_no_approval_problems(complete_assessment):
    assert complete_assessment.approval_problems() == []


def test_an_assessment_without_a_missed_opportunity_risk_cannot_go_to_approval(make_risk, manager, project):
    make_risk()
    assessment = services.assessment_update(actor=manager, project=project, summary="S", recommendation="R")
    problems = assessment.approval_problems()
    assert problems == ["Add the risk of not innovating: what happens to the service if nothing changes."]


def test_an_assessment_with_only_the_missed_opportunity_cannot_go_to_approval(make_risk, manager, project):
    make_risk(category="missed_opportunity")
    assessment = services.assessment_update(actor=manager, project=project, summary="S", recommendation="R")
    assert assessment.approval_problems() == ["Add at least one risk of going ahead with the project."]


def test_a_risk_without_an_owner_is_named_in_the_problems(complete_assessment, make_risk):
    make_risk(title="Data protection breach", owner=None)
    assert complete_assessment.approval_problems() == ["Give the risk “Data protection breach” an owner."]


def test_a_risk_without_a_residual_score_is_named_in_the_problems(complete_assessment, make_risk):
    make_risk(title="Data protection breach", residual_likelihood=None, residual_impact=None)
    assert complete_assessment.approval_problems() == [
        "Score the residual likelihood and impact of the risk “Data protection breach”."
    ]


def test_an_assessment_without_summary_or_recommendation_says_so(make_risk, manager, project):
    make_risk()
    make_risk(category="missed_opportunity")
    assessment = RiskAssessment.objects.get(project=project)
    assert assessment.approval_problems() == [
        "Write a summary comparing the risks of innovating with the risk of not innovating.",
        "Write a recommendation.",
    ]


def test_appetite_defaults_to_twelve_until_the_organisation_sets_it(personas):
    assert appetite_for(personas.council) == DEFAULT_APPETITE == 12
    RiskAppetite.objects.create(organisation=personas.council, max_residual_score=8)
    personas.council.refresh_from_db()
    assert appetite_for(personas.council) == 8


def test_an_open_risk_above_appetite_makes_the_assessment_exceed_it(complete_assessment, make_risk):
    assert not complete_assessment.exceeds_appetite
    make_risk(residual_likelihood=4, residual_impact=4)
    assert complete_assessment.exceeds_appetite


def test_a_risk_exactly_at_appetite_does_not_exceed_it(complete_assessment, make_risk):
    make_risk(residual_likelihood=4, residual_impact=3)
    assert not complete_assessment.exceeds_appetite


def test_a_closed_risk_above_appetite_does_not_count(complete_assessment, make_risk, manager):
    risk = make_risk(residual_likelihood=5, residual_impact=5)
    services.risk_review(
        actor=manager,
        risk=risk,
        inherent_likelihood=5,
        inherent_impact=5,
        residual_likelihood=5,
        residual_impact=5,
        note="The contract ended.",
        status="closed",
    )
    assert not complete_assessment.exceeds_appetite


def test_scores_are_kept_in_step_with_likelihood_and_impact(make_risk):
    risk = make_risk(inherent_likelihood=5, inherent_impact=3, residual_likelihood=2, residual_impact=2)
    risk.refresh_from_db()
    assert (risk.inherent_score, risk.residual_score) == (15, 4)
    assert (risk.inherent_band, risk.residual_band) == ("very_high", "low")


def test_residual_likelihood_without_impact_is_refused_by_the_database(make_risk):
    from django.db import IntegrityError

    risk = make_risk()
    risk.residual_impact = None
    with pytest.raises(IntegrityError):
        risk.save()


@time_machine.travel(datetime.date(2026, 11, 27), tick=False)
def test_acceptance_past_its_date_has_expired(make_risk):
    risk = make_risk()
    risk.accepted_until = datetime.date(2026, 11, 26)
    assert risk.acceptance_expired
    risk.accepted_until = datetime.date(2026, 11, 27)
    assert not risk.acceptance_expired


def test_risks_of_closed_projects_are_not_live(make_risk, project):
    make_risk()
    assert Risk.objects.live().count() == 1
    project.stage = "closed"
    project.save()
    assert Risk.objects.live().count() == 0


def test_the_assessment_weighs_the_risks_of_going_ahead_against_not_innovating(complete_assessment, make_risk):
    make_risk(title="Unscored", residual_likelihood=None, residual_impact=None, inherent_likelihood=5)
    going_ahead, not_innovating = complete_assessment.sides()
    assert (going_ahead["count"], going_ahead["highest"]) == (2, 20)
    assert (not_innovating["count"], not_innovating["highest"]) == (1, 12)

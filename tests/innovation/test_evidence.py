"""Levels of evidence (Nesta's Standards of Evidence, issue 18): an evaluation records the level it
reached and what supports it; the organisation's gate refuses to scale up a project whose evidence
falls short, saying what is missing; pages, the API and the portfolio export carry the level."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import access
from accounts.models import Role
from innovation import evidence, exports, services
from innovation.models import Evaluation, EvidenceGates, Project, ScaleUp
from tests.factories import MembershipFactory

FORM = {
    "outcome": "succeeded",
    "summary": "Fewer missed visits",
    "actual_one_off_cost": "1000",
    "actual_running_cost": "100",
    "actual_benefit": "900",
    "actual_years": "3",
    "value_for_money": "Good",
    "transferability": "4",
    "transferability_reasons": "Any council",
    "evidence_level": "3",
    "evidence_support": "Missed visits counted for a year before and after",
    "evidence_comparison": "Two wards without the texts, over the same year",
    "evidence_evaluator": "",
}


def _evaluate(manager, project, level, **extra):
    return services.evaluation_save(
        actor=manager,
        project=project,
        outcome="succeeded",
        summary="Fewer missed visits",
        actual_one_off_cost=Decimal(1000),
        actual_running_cost=Decimal(100),
        actual_benefit=Decimal(900),
        actual_years=3,
        value_for_money="Good",
        transferability=4,
        transferability_reasons="Any council",
        evidence_level=level,
        evidence_support="Missed visits counted before and after",
        evidence_comparison=extra.get("comparison", "Two wards without the texts" if level >= 3 else ""),
        evidence_evaluator=extra.get("evaluator", "Northfield University" if level >= 4 else ""),
    )


@pytest.fixture
def closed_at(advance, manager):
    """closed_at(level) -> a closed project whose evaluation reached `level`."""

    def make(level):
        project = advance("evaluation")
        _evaluate(manager, project, level)
        return services.project_close(actor=manager, project=project, comment="Done")

    return make


def _gate(personas, *, scale_up=None, adoption=None):
    admin = personas.members[Role.ADMIN].user
    return services.evidence_gates_set(
        actor=admin, organisation=personas.council, scale_up_level=scale_up, adoption_level=adoption
    )


# ---------------------------------------------------------------- recording the level


def test_the_manager_records_the_level_with_its_support_and_the_project_page_shows_it(personas, advance, risk_ready):
    project = advance("evaluation")
    client = personas.client_for(personas.members[Role.MANAGER])
    form_page = client.get(reverse("innovation:evaluation-edit", args=[project.pk])).content.decode()
    assert "Level 3: a comparison group showing causality" in form_page
    assert evidence.DEFINITIONS[3] in form_page  # the definition beside its choice
    assert "nesta.org.uk/report/standards-of-evidence" in form_page

    response = client.post(reverse("innovation:evaluation-edit", args=[project.pk]), FORM)

    assert response.status_code == 302
    evaluation = Evaluation.objects.get(project=project)
    assert evaluation.evidence_level == 3
    assert evaluation.evidence_comparison == "Two wards without the texts, over the same year"
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Level 3: a comparison group showing causality" in page
    assert "Comparison group: Two wards without the texts, over the same year" in page


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"evidence_level": "6"}, "Select the level of evidence the evaluation reached, from 1 to 5"),
        ({"evidence_level": ""}, "Select the level of evidence the evaluation reached"),
        ({"evidence_support": "  "}, "Enter what supports this level of evidence"),
        ({"evidence_comparison": ""}, "Describe the comparison group: level 3 needs a comparison group"),
        ({"evidence_level": "4"}, "Name the independent evaluator: level 4 needs independent replication"),
    ],
    ids=["level-6", "no-level", "no-support", "level-3-without-comparison", "level-4-without-evaluator"],
)
def test_bad_evidence_is_a_clear_error_and_nothing_is_saved(personas, advance, risk_ready, changes, error):
    project = advance("evaluation")
    client = personas.client_for(personas.members[Role.MANAGER])

    response = client.post(reverse("innovation:evaluation-edit", args=[project.pk]), {**FORM, **changes})

    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and error in body
    assert not Evaluation.objects.filter(project=project).exists()


def test_the_service_refuses_a_level_outside_1_to_5_and_keeps_the_saved_evaluation(advance, manager, risk_ready):
    project = advance("evaluation")
    _evaluate(manager, project, 2)
    with pytest.raises(services.InnovationError, match="from 1 to 5"):
        _evaluate(manager, project, 6)
    with pytest.raises(services.InnovationError, match="what supports"):
        services.evaluation_save(
            **{
                "actor": manager,
                "project": project,
                "outcome": "succeeded",
                "summary": "x",
                "actual_one_off_cost": Decimal(1),
                "actual_running_cost": Decimal(1),
                "actual_benefit": Decimal(1),
                "actual_years": 3,
                "value_for_money": "x",
                "transferability": 3,
                "transferability_reasons": "x",
                "evidence_level": 1,
                "evidence_support": "",
            }
        )
    assert Evaluation.objects.get(project=project).evidence_level == 2


def test_a_comparison_given_for_a_level_2_claim_is_not_kept_as_evidence(advance, manager, risk_ready):
    project = advance("evaluation")
    evaluation = _evaluate(manager, project, 2, comparison="Some wards", evaluator="A university")
    assert (evaluation.evidence_comparison, evaluation.evidence_evaluator) == ("", "")


# ---------------------------------------------------------------- the scale-up gate


def test_a_gate_at_level_3_refuses_to_scale_up_a_level_2_project_saying_what_is_missing(
    personas, closed_at, manager, risk_ready
):
    project = closed_at(2)
    _gate(personas, scale_up=3)
    client = personas.client_for(personas.members[Role.MANAGER])

    response = client.post(reverse("innovation:project-scale-up", args=[project.pk]), {"plan": "Every ward"})

    message = (
        "This project’s evaluation reached level 2 (data showing change); scaling up needs level 3: "
        "a comparison group showing causality."
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ScaleUp.objects.exists()
    assert message in client.get(project.get_absolute_url()).content.decode()
    with pytest.raises(services.InnovationError) as refused:
        services.project_scale_up(actor=manager, project=project, plan="Every ward")
    assert str(refused.value) == message


def test_a_gate_at_level_3_lets_a_level_3_project_be_scaled_up(personas, closed_at, risk_ready):
    project = closed_at(3)
    _gate(personas, scale_up=3)
    client = personas.client_for(personas.members[Role.MANAGER])
    page = client.get(project.get_absolute_url()).content.decode()
    assert reverse("innovation:project-scale-up", args=[project.pk]) in page

    response = client.post(reverse("innovation:project-scale-up", args=[project.pk]), {"plan": "Every ward by May"})

    assert response.status_code == 302
    scale_up = ScaleUp.objects.get(project=project)
    assert (scale_up.plan, scale_up.evidence_level) == ("Every ward by May", 3)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "with evidence at Level 3: a comparison group showing causality" in page


def test_without_a_gate_any_evaluated_closed_project_may_be_scaled_up_but_only_once(closed_at, manager, risk_ready):
    project = closed_at(1)
    services.project_scale_up(actor=manager, project=project, plan="Two more estates")
    with pytest.raises(services.InnovationError, match="already been scaled up"):
        services.project_scale_up(actor=manager, project=project, plan="Again")


def test_a_project_still_in_evaluation_cannot_be_scaled_up(advance, manager, risk_ready):
    project = advance("evaluation")
    _evaluate(manager, project, 5)
    with pytest.raises(services.InnovationError, match="Only a closed project"):
        services.project_scale_up(actor=manager, project=project, plan="Everywhere")
    assert not ScaleUp.objects.exists()


def test_scaling_up_another_councils_project_is_a_404_and_changes_nothing(personas, closed_at, risk_ready):
    project = closed_at(3)
    outsider = MembershipFactory(organisation=personas.other_council, role=Role.MANAGER)
    client = personas.client_for(outsider)
    url = reverse("innovation:project-scale-up", args=[project.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"plan": "Ours now"}).status_code == 404
    assert not ScaleUp.objects.exists()


# ---------------------------------------------------------------- setting the gates


def test_an_admin_sets_the_gates_and_the_page_explains_the_levels(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    page = client.get(reverse("innovation:evidence-gates")).content.decode()
    assert evidence.DEFINITIONS[5] in page

    response = client.post(reverse("innovation:evidence-gates"), {"scale_up_level": "3", "adoption_level": ""})

    assert response.status_code == 302
    gates = EvidenceGates.objects.get(organisation=personas.council)
    assert (gates.scale_up_level, gates.adoption_level) == (3, None)


def test_a_gate_level_of_6_is_a_clear_error_and_the_gates_are_unchanged(personas):
    _gate(personas, scale_up=2, adoption=2)
    client = personas.client_for(personas.members[Role.ADMIN])

    response = client.post(reverse("innovation:evidence-gates"), {"scale_up_level": "6", "adoption_level": "4"})

    assert response.status_code == 200
    assert "Select a level from 1 to 5, or no gate" in response.content.decode()
    gates = EvidenceGates.objects.get(organisation=personas.council)
    assert (gates.scale_up_level, gates.adoption_level) == (2, 2)


def test_only_admins_set_the_gates(personas):
    manager = personas.members[Role.MANAGER].user
    with pytest.raises(access.Refused):
        services.evidence_gates_set(actor=manager, organisation=personas.council, scale_up_level=5, adoption_level=5)
    assert not EvidenceGates.objects.exists()


def test_another_councils_gates_do_not_apply_here(personas, closed_at, manager, risk_ready):
    project = closed_at(1)
    other_admin = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN).user
    services.evidence_gates_set(
        actor=other_admin, organisation=personas.other_council, scale_up_level=5, adoption_level=5
    )
    services.project_scale_up(actor=manager, project=project, plan="Two more estates")
    assert ScaleUp.objects.filter(project=project).exists()


# ---------------------------------------------------------------- API and export


def test_the_api_and_the_portfolio_export_carry_the_level(personas, closed_at, risk_ready):
    project = closed_at(4)
    client = personas.client_for(personas.members[Role.AUDITOR])
    row = client.get(f"/api/projects/{project.pk}/").json()
    assert (row["evidence_level"], row["evidence_level_name"]) == (4, "Level 4: independently replicated")

    columns = exports.PORTFOLIO_COLUMNS
    selected = exports.portfolio_select(organisation=personas.council, user=None, data={})
    values = dict(zip(columns, exports.portfolio_row(selected.get(pk=project.pk)), strict=True))
    assert (values["evidence_level"], values["evidence_level_name"]) == (4, "Level 4: independently replicated")


def test_a_project_not_yet_evaluated_has_no_level_in_the_api(personas, advance, risk_ready):
    project = advance("implementation")
    client = personas.client_for(personas.members[Role.AUDITOR])
    row = client.get(f"/api/projects/{project.pk}/").json()
    assert (row["evidence_level"], row["evidence_level_name"]) == (None, None)
    assert Project.objects.get(pk=project.pk).stage == "implementation"


def test_a_hostile_plan_is_kept_whole_and_shown_escaped(personas, closed_at, risk_ready):
    project = closed_at(3)
    client = personas.client_for(personas.members[Role.MANAGER])
    payload = '<script>alert("x")</script> =cmd|" /C calc"!A0'
    client.post(reverse("innovation:project-scale-up", args=[project.pk]), {"plan": payload})
    assert ScaleUp.objects.get(project=project).plan == payload
    page = client.get(project.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<script>alert("x")' not in page

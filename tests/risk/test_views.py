from django.urls import reverse

from accounts.models import Role
from risk.models import Risk

ALL_ROLES = list(Role.values)


def test_manager_sees_the_organisation_register(personas, complete_assessment):
    response = personas.client_for(personas.members[Role.MANAGER]).get(reverse("risk:register"))
    assert response.status_code == 200
    assert "Supplier cannot deliver on time" in response.content.decode()


def test_manager_sees_the_project_register(personas, complete_assessment, project):
    client = personas.client_for(personas.members[Role.MANAGER])
    response = client.get(reverse("risk:project-register", args=[project.pk]))
    assert response.status_code == 200
    assert "ready for approval" in response.content.decode()


def test_manager_sees_a_risk(personas, complete_assessment):
    risk = Risk.objects.first()
    client = personas.client_for(personas.members[Role.MANAGER])
    for name in ["risk:risk-detail", "risk:risk-edit", "risk:risk-review", "risk:control-create", "risk:risk-escalate"]:
        assert client.get(reverse(name, args=[risk.pk])).status_code == 200, name

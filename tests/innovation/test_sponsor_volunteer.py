"""An elected member offers to sponsor a project that has none; the owner hears of it. And the
other innovation notices of issue 16: who is told, and who is not."""

import pytest
from django.core import mail
from django.test import Client

from accounts.access import Refused
from accounts.models import Notice, Role
from innovation import services
from innovation.models import Project
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_member_volunteers_to_sponsor_a_project_without_one_and_its_owner_is_told(
    advance, manager, member, django_capture_on_commit_callbacks
):
    project = advance("assessment")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.project_sponsor_volunteer(actor=member, project=project)
    assert Project.objects.get(pk=project.pk).sponsor == member
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert f"{member} now sponsors" in mail.outbox[0].subject
    assert project.history.first().history_change_reason.endswith("(volunteered)")


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.MEMBER])
def test_only_an_elected_member_can_volunteer_to_sponsor(advance, personas, role):
    project = advance("assessment")
    with pytest.raises(Refused, match="Only elected members sponsor projects"):
        services.project_sponsor_volunteer(actor=personas.members[role].user, project=project)
    assert Project.objects.get(pk=project.pk).sponsor is None


def test_a_project_with_a_sponsor_or_finished_cannot_be_volunteered_for(advance, manager, member, personas):
    sponsored = advance("ready")
    with pytest.raises(services.InnovationError, match="already sponsors"):
        services.project_sponsor_volunteer(actor=member, project=sponsored)
    abandoned = services.project_abandon(actor=manager, project=advance("assessment"), reason="No budget")
    with pytest.raises(services.InnovationError, match="finished"):
        services.project_sponsor_volunteer(actor=member, project=abandoned)
    assert Project.objects.get(pk=abandoned.pk).sponsor is None


@pytest.mark.parametrize(
    "role,status",
    [
        (Role.MEMBER, 302),
        (Role.OFFICER, 403),
        (Role.MANAGER, 403),
        (Role.ADMIN, 403),
        (Role.AUDITOR, 403),
        (Role.CURATOR, 403),
    ],
)
def test_the_volunteer_button_is_a_post_for_members_only(advance, personas, role, status):
    project = advance("assessment")
    response = personas.client_for(personas.members[role]).post(f"/projects/{project.pk}/sponsor/volunteer/")
    assert response.status_code == status
    assert (Project.objects.get(pk=project.pk).sponsor is not None) == (status == 302)


def test_the_volunteer_page_refuses_get_another_councils_project_and_the_signed_out(advance, personas):
    project = advance("assessment")
    url = f"/projects/{project.pk}/sponsor/volunteer/"
    assert personas.client_for(personas.members[Role.MEMBER]).get(url).status_code == 405
    assert personas.client_for(personas.outsider).post(url).status_code in (403, 404)
    response = Client().post(url)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert Project.objects.get(pk=project.pk).sponsor is None


def test_a_member_sees_the_button_only_while_the_project_has_no_sponsor(advance, personas, member):
    project = advance("assessment")
    url = f"/projects/{project.pk}/"
    member_client = personas.client_for(personas.members[Role.MEMBER])
    assert "Sponsor this project" in member_client.get(url).content.decode()
    assert "Sponsor this project" not in personas.client_for(personas.members[Role.MANAGER]).get(url).content.decode()
    response = member_client.post(f"{url}sponsor/volunteer/", follow=True)
    page = response.content.decode()
    assert "You now sponsor this project" in page and "Sponsor this project" not in page


def test_a_second_member_volunteering_after_the_first_is_told_why_and_nothing_changes(advance, personas, member):
    project = advance("assessment")
    second = MembershipFactory(organisation=personas.council, role=Role.MEMBER)
    services.project_sponsor_volunteer(actor=member, project=project)
    response = personas.client_for(second).post(f"/projects/{project.pk}/sponsor/volunteer/", follow=True)
    assert "already sponsors this project" in response.content.decode()
    assert Project.objects.get(pk=project.pk).sponsor == member


def test_naming_the_same_sponsor_again_tells_them_only_once(advance, manager, member):
    project = advance("assessment")
    services.project_set_sponsor(actor=manager, project=project, sponsor=member)
    services.project_set_sponsor(actor=manager, project=project, sponsor=member)
    assert Notice.objects.filter(user=member, kind="sponsor_named").count() == 1


def test_an_assessor_is_asked_once_and_a_manager_naming_themselves_lead_is_not_emailed(
    make_idea, manager, officer, personas
):
    idea = make_idea()
    services.scorecard_assign(actor=manager, idea=idea, assessor=officer)
    services.scorecard_assign(actor=manager, idea=idea, assessor=officer)
    services.scorecard_assign(actor=manager, idea=idea, assessor=manager, lead=True)
    assert list(Notice.objects.filter(kind="scoring_request").values_list("user", flat=True)) == [officer.pk]


def test_the_ideas_author_hears_of_approval_but_not_of_what_they_did_or_were_told_as_owner(
    advance, make_idea, manager, officer, risk_ready
):
    project = advance("implementation")
    subjects = list(Notice.objects.filter(user=officer, kind="idea_project").values_list("subject", flat=True))
    assert subjects == [f"The project from your idea “{project.title}” has been approved"]
    # A manager's own idea: as owner they hear of the decision already, and they abandon it themselves.
    own = advance("implementation", idea=make_idea(actor=manager, title="A manager's own idea"))
    services.project_abandon(actor=manager, project=own, reason="Superseded")
    assert not Notice.objects.filter(user=manager, kind="idea_project").exists()
    assert Notice.objects.filter(user=manager, kind="decision", subject__contains="A manager's own idea").exists()

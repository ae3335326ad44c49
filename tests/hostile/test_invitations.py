"""Hostile input through invitations: a typed name and an organisation name full of markup are
shown escaped on every page that shows them, and answering an invitation takes nothing from
the form but the button."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import MembershipFactory
from tests.hostile.test_forms import PAYLOAD, _assert_nothing_executes


@pytest.fixture
def invited(personas, django_capture_on_commit_callbacks):
    """Ashby Vale's officer, invited by a Kingsmere with a hostile name, under a hostile typed name."""
    personas.other_council.name = PAYLOAD[:200]
    personas.other_council.save()
    kingsmere_admin = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN)
    kingsmere = personas.client_for(kingsmere_admin)
    officer = personas.members[Role.OFFICER]
    with django_capture_on_commit_callbacks(execute=True):
        response = kingsmere.post(
            reverse("accounts:person-invite"),
            {"full_name": PAYLOAD[:150], "email": officer.user.email, "role": Role.MANAGER},
        )
    assert response.status_code == 302
    return kingsmere, officer, Membership.objects.get(user=officer.user, organisation=personas.other_council)


def test_hostile_names_on_the_invitation_pages_are_escaped(personas, invited):
    kingsmere, officer, invitation = invited
    theirs = personas.client_for(officer)
    for client, name in [
        (theirs, "accounts:invitations"),
        (theirs, "accounts:choose-organisation"),
        (theirs, "home"),
        (kingsmere, "accounts:people"),
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200
        _assert_nothing_executes(response.content, name)
    _assert_nothing_executes(kingsmere.get(invitation.get_absolute_url()).content, "the invitation's person page")


def test_answering_an_invitation_ignores_everything_posted_but_the_button(personas, invited):
    _, officer, invitation = invited
    theirs = personas.client_for(officer)
    hostile = {"role": Role.ADMIN, "organisation": personas.council.pk, "user": personas.members[Role.ADMIN].pk}
    response = theirs.post(reverse("accounts:invitation-accept", args=[invitation.pk]), {**hostile, "x": PAYLOAD})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.role, invitation.organisation, invitation.user) == (
        Role.MANAGER,
        personas.other_council,
        officer.user,
    )
    _assert_nothing_executes(theirs.get(response["Location"], follow=True).content, "the page after accepting")


@pytest.mark.parametrize("path", ["/invitations/abc/accept/", "/invitations/-1/decline/", "/invitations/9" * 5])
def test_invitation_urls_that_are_not_an_invitation_are_404(personas, path):
    response = personas.client_for(personas.members[Role.OFFICER]).post(path)
    assert response.status_code == 404


def test_an_answered_invitation_cannot_be_answered_again(personas, invited):
    _, officer, invitation = invited
    theirs = personas.client_for(officer)
    theirs.post(reverse("accounts:invitation-accept", args=[invitation.pk]))
    assert theirs.post(reverse("accounts:invitation-decline", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_active

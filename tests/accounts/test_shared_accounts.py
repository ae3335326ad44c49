"""An admin's power stops at their own organisation: invitations wait for the person to accept,
and deactivation and two-factor resets never touch what another organisation relies on.

The attack (issue 13): Kingsmere's admin invites Ashby Vale's admin by email, and then resets
their two-factor sign-in or deactivates them, reaching into Ashby Vale.
"""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import queries, services
from accounts.models import Membership, Role, User
from tests.accounts.conftest import sign_in
from tests.conftest import two_factor_device
from tests.factories import MembershipFactory

INVITE = reverse("accounts:person-invite")
INVITATIONS = "/invitations/"  # the address the invitation email links to
CHOOSE = reverse("accounts:choose-organisation")
TYPED_NAME = "Someone Kingsmere Typed"


@pytest.fixture
def ashby_admin(personas):
    """Ashby Vale's admin (the personas' council is Ashby Vale), with an authenticator app."""
    admin = personas.members[Role.ADMIN]
    two_factor_device(admin.user)
    return admin


@pytest.fixture
def kingsmere_admin(personas):
    return MembershipFactory(organisation=personas.other_council, role=Role.ADMIN)


@pytest.fixture
def kingsmere(personas, kingsmere_admin):
    return personas.client_for(kingsmere_admin)


def invite(client, capture, email, full_name=TYPED_NAME, role=Role.ADMIN):
    with capture(execute=True):
        return client.post(INVITE, {"full_name": full_name, "email": email, "role": role}, follow=True)


def invitation_of(user, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def accepted(client, user, organisation):
    return client.post(reverse("accounts:invitation-accept", args=[invitation_of(user, organisation).pk]))


def devices(user) -> int:
    return TOTPDevice.objects.filter(user=user).count()


# The invitation itself


def test_kingsmere_inviting_ashbys_admin_makes_them_a_member_only_once_they_accept(
    personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks
):
    invite(kingsmere, django_capture_on_commit_callbacks, ashby_admin.user.email)
    invitation = invitation_of(ashby_admin.user, personas.other_council)
    assert (invitation.is_pending, invitation.is_active) == (True, False)

    ashby = personas.client_for(ashby_admin)
    assert not User.objects.get(pk=ashby_admin.user.pk).has_perm("accounts.manage_people", personas.other_council)
    choices = ashby.get(CHOOSE).content.decode()
    assert "Kingsmere Council" not in choices.split("<main")[1].split("invitation")[-1]
    assert ashby.post(CHOOSE, {"organisation": personas.other_council.pk}).status_code != 302

    (message,) = mail.outbox
    assert message.to == [ashby_admin.user.email]
    assert "/invitations/" in message.body and "accept or decline" in message.body
    page = ashby.get(INVITATIONS).content.decode()
    assert "Kingsmere Council" in page and "Admin" in page
    assert "Invitations (1)" in ashby.get(reverse("home")).content.decode()

    response = accepted(ashby, ashby_admin.user, personas.other_council)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.is_active and not invitation.is_pending
    assert f"Invitation accepted by {ashby_admin.user.email}" in invitation.history.latest().history_change_reason
    page = ashby.get(reverse("home"), follow=True).content.decode()
    assert "You have joined Kingsmere Council as admin." in page


def test_kingsmere_sees_only_what_it_typed_about_someone_it_invited(
    personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks
):
    invite(kingsmere, django_capture_on_commit_callbacks, ashby_admin.user.email)
    invitation = invitation_of(ashby_admin.user, personas.other_council)
    people = kingsmere.get(reverse("accounts:people")).content.decode()
    detail = kingsmere.get(invitation.get_absolute_url()).content.decode()
    for page in (people, detail):
        assert TYPED_NAME in page
        assert ashby_admin.user.full_name not in page
        assert "Ashby Vale" not in page
    assert "Invitation sent, not yet accepted" in detail
    assert 'summary-list__key">Two-factor sign-in' not in detail and "Set up" not in detail
    assert ">Deactivate</a>" not in detail and ">Reactivate</button>" not in detail


def _normalised(page: str, email: str, pk: int) -> str:
    page = page.replace(email, "EMAIL").replace(f"/people/{pk}/", "/people/PK/")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)
    page = re.sub(r'data-csrf-token="[^"]+"', "CSRF", page)
    return re.sub(r'nonce="[^"]+"', "NONCE", page)


def test_the_answer_to_an_invitation_is_the_same_whether_or_not_the_address_has_an_account(
    personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks
):
    pages = []
    for email in (ashby_admin.user.email, "nobody.yet@ashby.example"):
        response = invite(kingsmere, django_capture_on_commit_callbacks, email)
        invitation = Membership.objects.get(user__email=email, organisation=personas.other_council)
        detail = kingsmere.get(invitation.get_absolute_url()).content.decode()
        pages.append(
            (
                response.status_code,
                _normalised(response.content.decode(), email, invitation.pk),
                _normalised(detail, email, invitation.pk),
            )
        )
        invitation.delete()  # so the second list is not longer by the first row
    assert "We have sent an invitation to EMAIL." in pages[0][1]
    assert pages[0] == pages[1]


def test_an_invitation_can_be_declined_and_kingsmere_keeps_the_record(
    personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks
):
    invite(kingsmere, django_capture_on_commit_callbacks, ashby_admin.user.email)
    invitation = invitation_of(ashby_admin.user, personas.other_council)
    ashby = personas.client_for(ashby_admin)
    response = ashby.post(reverse("accounts:invitation-decline", args=[invitation.pk]), follow=True)
    assert "You have declined the invitation to Kingsmere Council." in response.content.decode()
    assert not Membership.objects.filter(pk=invitation.pk).exists()
    assert invitation.history.latest().history_change_reason == f"Invitation declined by {ashby_admin.user.email}"
    assert kingsmere.get(invitation.get_absolute_url()).status_code == 404


def test_someone_elses_invitation_cannot_be_answered_for_them(
    personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks
):
    invite(kingsmere, django_capture_on_commit_callbacks, ashby_admin.user.email)
    invitation = invitation_of(ashby_admin.user, personas.other_council)
    for name in ("accounts:invitation-accept", "accounts:invitation-decline"):
        url = reverse(name, args=[invitation.pk])
        assert kingsmere.post(url).status_code == 404
        assert personas.client_for(personas.members[Role.OFFICER]).post(url).status_code == 404
        assert personas.client_for(ashby_admin).get(url).status_code == 405
        assert Client().post(url).status_code == 302  # to sign in
    # Nor can Kingsmere's admin "reactivate" it into a membership.
    response = kingsmere.post(reverse("accounts:person-reactivate", args=[invitation.pk]), follow=True)
    assert "has not accepted the invitation yet" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_pending and not invitation.is_active


def test_answering_an_invitation_needs_the_csrf_token(
    personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks
):
    from tests.conftest import force_login

    invite(kingsmere, django_capture_on_commit_callbacks, ashby_admin.user.email)
    invitation = invitation_of(ashby_admin.user, personas.other_council)
    client = Client(enforce_csrf_checks=True)
    force_login(client, ashby_admin.user)
    assert client.post(reverse("accounts:invitation-accept", args=[invitation.pk])).status_code == 403
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_someone_with_only_an_invitation_is_taken_to_it_at_sign_in(
    personas, password, kingsmere, django_capture_on_commit_callbacks
):
    loner = User.objects.create_user(email="loner@elsewhere.example", full_name="Lee Loner", password=password)
    invite(kingsmere, django_capture_on_commit_callbacks, loner.email, role=Role.OFFICER)
    client = Client()
    assert sign_in(client, loner.email, password).url == INVITATIONS
    assert "Kingsmere Council" in client.get(INVITATIONS).content.decode()
    no_organisation = client.get(CHOOSE).content.decode()
    assert "You have 1 invitation waiting" in no_organisation


def test_a_new_persons_password_link_accepts_their_invitation(
    personas, kingsmere, django_capture_on_commit_callbacks, password
):
    invite(kingsmere, django_capture_on_commit_callbacks, "new.person@kingsmere.example", role=Role.OFFICER)
    link = re.search(r"https?://[^/]+(/invitation/\S+/)", mail.outbox[0].body).group(1)
    Client().post(link, {"new_password1": "lanterns in the fog", "new_password2": "lanterns in the fog"})
    membership = Membership.objects.get(user__email="new.person@kingsmere.example")
    assert membership.is_active and not membership.is_pending
    client = Client()
    sign_in(client, "new.person@kingsmere.example", "lanterns in the fog")
    assert "You are signed in as officer for Kingsmere Council" in client.get(reverse("home")).content.decode()


def test_kingsmeres_idea_filter_does_not_name_someone_only_invited(
    personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks
):
    invite(kingsmere, django_capture_on_commit_callbacks, ashby_admin.user.email)
    page = kingsmere.get(reverse("innovation:idea-list")).content.decode()
    assert ashby_admin.user.full_name not in page


# Before they accept: nothing of theirs can be touched


def test_kingsmere_cannot_reset_or_deactivate_someone_who_has_not_accepted(
    personas, ashby_admin, kingsmere, signed_in, django_capture_on_commit_callbacks
):
    their_laptop = signed_in(ashby_admin)
    invite(kingsmere, django_capture_on_commit_callbacks, ashby_admin.user.email)
    invitation = invitation_of(ashby_admin.user, personas.other_council)

    reset = kingsmere.post(reverse("accounts:person-two-factor-reset", args=[invitation.pk]))
    assert reset.status_code == 200
    assert "has not accepted the invitation yet" in reset.content.decode()
    deactivate = kingsmere.post(reverse("accounts:person-deactivate", args=[invitation.pk]))
    assert "has not accepted the invitation, so there is nothing to deactivate" in deactivate.content.decode()

    assert devices(ashby_admin.user) == 1
    assert their_laptop.get(reverse("accounts:people")).status_code == 200  # still working in Ashby Vale


# After they accept: they belong to both, so neither may touch what the other relies on


@pytest.fixture
def in_both(personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks):
    """Ashby Vale's admin, having accepted Kingsmere's invitation: returns their Kingsmere membership."""
    invite(kingsmere, django_capture_on_commit_callbacks, ashby_admin.user.email, role=Role.OFFICER)
    invitation = invitation_of(ashby_admin.user, personas.other_council)
    # Accepted as the person does, from their own session (the address their email gives).
    personas.client_for(ashby_admin).post(f"{INVITATIONS}{invitation.pk}/accept/")
    invitation.refresh_from_db()
    assert invitation.is_active
    return invitation


def working_in_ashby(client, personas) -> Client:
    client.post(CHOOSE, {"organisation": personas.council.pk})
    return client


def test_kingsmere_cannot_reset_the_two_factor_sign_in_of_someone_who_also_works_for_ashby(
    personas, ashby_admin, kingsmere, in_both, signed_in
):
    their_laptop = working_in_ashby(signed_in(ashby_admin), personas)
    page = kingsmere.get(in_both.get_absolute_url()).content.decode()
    assert reverse("accounts:person-two-factor-reset", args=[in_both.pk]) not in page
    assert "only a Lantern operator can reset it" in page

    response = kingsmere.post(reverse("accounts:person-two-factor-reset", args=[in_both.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "can only be reset by a Lantern operator" in page
    assert devices(ashby_admin.user) == 1
    assert their_laptop.get(reverse("accounts:people")).status_code == 200
    history = [h.history_change_reason for h in ashby_admin.history.all()]
    assert not any("reset" in (reason or "") for reason in history)


def test_kingsmere_deactivating_someone_who_also_works_for_ashby_ends_only_kingsmeres_membership(
    personas, ashby_admin, kingsmere_admin, kingsmere, in_both, signed_in
):
    their_laptop = working_in_ashby(signed_in(ashby_admin), personas)
    response = kingsmere.post(reverse("accounts:person-deactivate", args=[in_both.pk]), follow=True)
    assert "can no longer use Lantern for Kingsmere Council" in response.content.decode()

    in_both.refresh_from_db()
    ashby_admin.refresh_from_db()
    assert (in_both.is_active, ashby_admin.is_active) == (False, True)
    assert devices(ashby_admin.user) == 1
    assert their_laptop.get(reverse("accounts:people")).status_code == 200  # signed in, in Ashby Vale
    assert in_both.history.latest().history_change_reason == f"Deactivated by {kingsmere_admin.user.email}"
    assert ashby_admin.history.latest().history_change_reason != f"Deactivated by {kingsmere_admin.user.email}"


def test_an_admin_still_resets_someone_who_works_only_for_their_organisation(personas, ashby_admin):
    manager = personas.members[Role.MANAGER]
    two_factor_device(manager.user)
    MembershipFactory(user=manager.user, organisation=personas.other_council, is_active=False)  # left Kingsmere
    assert queries.user_is_wholly_within(user=manager.user, organisation=personas.council)
    services.membership_two_factor_reset(actor=ashby_admin.user, membership=manager)
    assert devices(manager.user) == 0


def test_the_rule_for_a_shared_account(personas, ashby_admin):
    officer = personas.members[Role.OFFICER]
    council, other = personas.council, personas.other_council
    assert queries.user_is_wholly_within(user=officer.user, organisation=council)
    assert not queries.user_is_wholly_within(user=officer.user, organisation=other)
    elsewhere = MembershipFactory(user=officer.user, organisation=other, is_active=False, accepted_at=None)
    assert queries.user_is_wholly_within(user=officer.user, organisation=council)  # an invitation relies on nothing
    assert not queries.user_is_wholly_within(user=officer.user, organisation=other)  # and gives no power
    elsewhere.accepted_at, elsewhere.is_active = elsewhere.created_at, True
    elsewhere.save()
    assert not queries.user_is_wholly_within(user=officer.user, organisation=council)
    assert not queries.user_is_wholly_within(user=officer.user, organisation=other)


# The operator's route, for someone in several organisations


def test_an_operator_resets_someone_in_two_organisations_and_both_histories_record_it(
    personas, ashby_admin, in_both, signed_in
):
    their_laptop = working_in_ashby(signed_in(ashby_admin), personas)
    out = StringIO()
    call_command("reset_two_factor", ashby_admin.user.email.upper(), stdout=out)
    assert "Recorded in: Ashby Vale District Council, Kingsmere Council." in out.getvalue()
    assert devices(ashby_admin.user) == 0
    assert their_laptop.get(reverse("accounts:people")).status_code == 302  # signed out everywhere
    for membership in (ashby_admin, in_both):
        latest = membership.history.latest()
        assert (latest.history_change_reason, latest.history_user) == (
            "Two-factor sign-in reset by a Lantern operator",
            None,
        )


# Withdrawing an invitation


def _withdraw_url(invitation) -> str:
    return reverse("accounts:person-withdraw", args=[invitation.pk])


def test_kingsmere_withdraws_its_invitation_and_it_leaves_the_invited_persons_invitations_page(
    personas, ashby_admin, kingsmere, kingsmere_admin, django_capture_on_commit_callbacks
):
    invite(kingsmere, django_capture_on_commit_callbacks, ashby_admin.user.email)
    invitation = invitation_of(ashby_admin.user, personas.other_council)
    ashby = personas.client_for(ashby_admin)
    assert "Kingsmere Council" in ashby.get(INVITATIONS).content.decode()

    detail = kingsmere.get(invitation.get_absolute_url()).content.decode()
    assert f'href="{_withdraw_url(invitation)}"' in detail and "Withdraw invitation" in detail
    confirm = kingsmere.get(_withdraw_url(invitation)).content.decode()
    assert f"Are you sure you want to withdraw the invitation to {TYPED_NAME}?" in confirm
    assert ashby_admin.user.full_name not in confirm
    response = kingsmere.post(_withdraw_url(invitation), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:people")
    assert f"The invitation to {ashby_admin.user.email} has been withdrawn." in response.content.decode()

    assert not Membership.objects.filter(pk=invitation.pk).exists()
    record = invitation.history.latest()
    assert record.history_change_reason == f"Invitation withdrawn by {kingsmere_admin.user.email}"
    assert record.history_user_id == kingsmere_admin.user_id
    assert "Kingsmere Council" not in ashby.get(INVITATIONS).content.decode().split("<main")[1]
    assert "Invitations (1)" not in ashby.get(reverse("home")).content.decode()
    assert accepted_status(ashby, invitation) == 404
    assert not ashby_admin.user.has_perm("accounts.view_people", personas.other_council)


def accepted_status(client, invitation) -> int:
    return client.post(reverse("accounts:invitation-accept", args=[invitation.pk])).status_code


def test_the_answer_to_a_withdrawal_is_the_same_whether_or_not_the_address_has_an_account(
    personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks
):
    pages = []
    for email in (ashby_admin.user.email, "nobody.yet@ashby.example"):
        invite(kingsmere, django_capture_on_commit_callbacks, email)
        invitation = Membership.objects.get(user__email=email, organisation=personas.other_council)
        confirm = kingsmere.get(_withdraw_url(invitation))
        done = kingsmere.post(_withdraw_url(invitation), follow=True)
        pages.append(
            (
                confirm.status_code,
                done.status_code,
                _normalised(confirm.content.decode(), email, invitation.pk),
                _normalised(done.content.decode(), email, invitation.pk),
            )
        )
    assert "The invitation to EMAIL has been withdrawn." in pages[0][3]
    assert pages[0] == pages[1]


def test_an_accepted_invitation_cannot_be_withdrawn(
    personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks
):
    invite(kingsmere, django_capture_on_commit_callbacks, ashby_admin.user.email)
    accepted(personas.client_for(ashby_admin), ashby_admin.user, personas.other_council)
    membership = invitation_of(ashby_admin.user, personas.other_council)
    assert "Withdraw invitation" not in kingsmere.get(membership.get_absolute_url()).content.decode()
    response = kingsmere.post(_withdraw_url(membership))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "has already accepted the invitation" in html
    membership.refresh_from_db()
    assert membership.is_active and not membership.is_pending


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_an_admin_of_the_inviting_organisation_may_withdraw_its_invitation(
    personas, ashby_admin, kingsmere, django_capture_on_commit_callbacks, role
):
    invite(kingsmere, django_capture_on_commit_callbacks, "nobody.yet@ashby.example")
    invitation = Membership.objects.get(user__email="nobody.yet@ashby.example")
    url = _withdraw_url(invitation)
    # Ashby Vale's people, the admin included, are another organisation: the invitation is not there.
    for membership in (ashby_admin, personas.members[role]):
        client = personas.client_for(membership)
        assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)
    # Kingsmere's own people who are not admins may not.
    colleague = personas.client_for(MembershipFactory(organisation=personas.other_council, role=role))
    assert (colleague.get(url).status_code, colleague.post(url).status_code) == (403, 403)
    assert Client().post(url).status_code == 302  # to sign in
    assert Membership.objects.filter(pk=invitation.pk).exists()


def test_the_service_refuses_a_withdrawal_by_someone_who_may_not_manage_people(personas, kingsmere_admin):
    from django.core.exceptions import PermissionDenied

    invitation = services.membership_invite(
        actor=kingsmere_admin.user,
        organisation=personas.other_council,
        email="nobody.yet@ashby.example",
        full_name=TYPED_NAME,
        role=Role.OFFICER,
    )
    with pytest.raises(PermissionDenied):
        services.membership_withdraw(actor=personas.members[Role.ADMIN].user, membership=invitation)
    assert Membership.objects.filter(pk=invitation.pk).exists()


def test_the_link_in_a_withdrawn_invitation_no_longer_sets_a_password(
    personas, kingsmere, django_capture_on_commit_callbacks
):
    invite(kingsmere, django_capture_on_commit_callbacks, "nobody.yet@ashby.example")
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert Client().get(path).status_code == 200
    invitation = Membership.objects.get(user__email="nobody.yet@ashby.example")
    kingsmere.post(_withdraw_url(invitation))
    response = Client().post(path, {"new_password1": "a-Long-pass-phrase-42", "new_password2": "a-Long-pass-phrase-42"})
    assert response.status_code == 400
    assert "This link has expired or has already been used" in response.content.decode()
    assert not User.objects.get(email="nobody.yet@ashby.example").has_usable_password()

"""An organisation's people pages: who may see and change them, invitations, roles,
deactivation, and the history of who did what."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts import services
from accounts.models import Membership, Role, User
from tests.accounts.conftest import sign_in
from tests.conftest import force_login
from tests.factories import MembershipFactory

ROLES = Role.values
SEE = {Role.ADMIN, Role.AUDITOR}
MANAGE = {Role.ADMIN}

# (URL name, takes the person's pk, method, roles allowed)
PAGES = [
    ("accounts:people", False, "get", SEE),
    ("accounts:person-invite", False, "get", MANAGE),
    ("accounts:person-detail", True, "get", SEE),
    ("accounts:person-change-role", True, "get", MANAGE),
    ("accounts:person-deactivate", True, "get", MANAGE),
    ("accounts:person-reactivate", True, "post", MANAGE),
]
STATE_CHANGES = [
    ("accounts:person-invite", False, {"full_name": "Nia Evans", "email": "nia@council.example", "role": "officer"}),
    ("accounts:person-change-role", True, {"role": "manager"}),
    ("accounts:person-deactivate", True, {}),
    ("accounts:person-reactivate", True, {}),
    ("accounts:choose-organisation", False, {"organisation": "1"}),
    ("accounts:sign-out", False, {}),
]


def url_for(name, takes_pk, person):
    return reverse(name, kwargs={"pk": person.pk}) if takes_pk else reverse(name)


@pytest.fixture
def admin(personas):
    return personas.members[Role.ADMIN]


@pytest.fixture
def officer(personas):
    return personas.members[Role.OFFICER]


@pytest.fixture
def admin_client(personas, admin):
    return personas.client_for(admin)


@pytest.mark.parametrize("name,takes_pk,method,allowed", PAGES)
def test_anonymous_person_is_sent_to_sign_in(personas, name, takes_pk, method, allowed):
    url = url_for(name, takes_pk, personas.members[Role.OFFICER])
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,takes_pk,method,allowed", PAGES)
def test_each_role_sees_only_the_people_pages_it_may(personas, role, name, takes_pk, method, allowed):
    deactivated = MembershipFactory(organisation=personas.council, is_active=False)
    target = deactivated if name == "accounts:person-reactivate" else personas.members[Role.OFFICER]
    response = getattr(personas.client_for(personas.members[role]), method)(url_for(name, takes_pk, target))
    if role in allowed:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
        assert "You cannot do this" in response.content.decode()


@pytest.mark.parametrize("name,takes_pk,method,allowed", [page for page in PAGES if page[1]])
def test_admin_of_other_council_gets_404_for_this_councils_people(personas, name, takes_pk, method, allowed):
    other_admin = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN)
    url = url_for(name, takes_pk, personas.members[Role.OFFICER])
    assert getattr(personas.client_for(other_admin), method)(url).status_code == 404
    assert getattr(personas.client_for(personas.outsider), method)(url).status_code == 404


def test_people_list_shows_everyone_in_the_organisation_only(personas, admin_client):
    page = admin_client.get(reverse("accounts:people")).content.decode()
    for membership in personas.members.values():
        assert membership.user.email in page
    assert personas.outsider.user.email not in page


def test_people_list_takes_the_same_number_of_queries_however_many_people(
    personas, admin_client, django_assert_num_queries
):
    url = reverse("accounts:people")
    admin_client.get(url)
    # Three: the session, the person and the page's people. Their memberships and the app that
    # gave their two-factor code come from the cache (accounts.access_cache), and a session
    # seen less than a minute ago is not written.
    with django_assert_num_queries(3) as few:
        admin_client.get(url)
    MembershipFactory.create_batch(10, organisation=personas.council)
    with django_assert_num_queries(len(few.captured_queries)):
        admin_client.get(url)


def test_get_never_changes_anything(personas, admin_client, officer):
    admin_client.get(reverse("accounts:person-deactivate", kwargs={"pk": officer.pk}))
    admin_client.get(reverse("accounts:person-change-role", kwargs={"pk": officer.pk}), {"role": "admin"})
    officer.refresh_from_db()
    assert officer.is_active
    assert officer.role == Role.OFFICER


@pytest.mark.parametrize("name", ["accounts:person-reactivate", "accounts:sign-out"])
def test_post_only_state_changes_refuse_get(personas, admin_client, officer, name):
    url = reverse(name, kwargs={"pk": officer.pk}) if "person" in name else reverse(name)
    assert admin_client.get(url).status_code == 405


@pytest.mark.parametrize("name,takes_pk,data", STATE_CHANGES)
def test_every_state_change_needs_the_csrf_token(personas, admin, name, takes_pk, data):
    client = Client(enforce_csrf_checks=True)
    force_login(client, admin.user)
    response = client.post(url_for(name, takes_pk, personas.members[Role.OFFICER]), data)
    assert response.status_code == 403
    assert "Sorry, we could not save that" in response.content.decode()
    officer = Membership.objects.get(pk=personas.members[Role.OFFICER].pk)
    assert (officer.role, officer.is_active) == (Role.OFFICER, True)
    assert not User.objects.filter(email="nia@council.example").exists()


def test_sign_in_needs_the_csrf_token(personas, password):
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client, personas.members[Role.ADMIN].user.email, password)
    assert response.status_code == 403


# Invitations


def invite(client, capture, **data):
    data = {"full_name": "Nia Evans", "email": "nia.evans@council.example", "role": Role.OFFICER, **data}
    with capture(execute=True):
        return client.post(reverse("accounts:person-invite"), data, follow=True)


def invitation_link() -> str:
    (message,) = mail.outbox
    return re.search(r"https?://[^/]+(/invitation/\S+/)", message.body).group(1)


def test_invitation_emails_a_link_that_lets_the_person_set_a_password(
    personas, admin_client, django_capture_on_commit_callbacks
):
    response = invite(admin_client, django_capture_on_commit_callbacks)
    assert "We have sent an invitation to nia.evans@council.example." in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["nia.evans@council.example"]
    assert "Ashby Vale District Council" in message.subject
    assert "works once and for 7 days" in message.body

    newcomer = Client()
    page = newcomer.get(invitation_link())
    assert "Create your password" in page.content.decode()
    response = newcomer.post(
        invitation_link(), {"new_password1": "lanterns in the fog", "new_password2": "lanterns in the fog"}
    )
    assert response.url == reverse("accounts:sign-in")
    assert sign_in(Client(), "nia.evans@council.example", "lanterns in the fog").status_code == 302
    membership = Membership.objects.get(user__email="nia.evans@council.example")
    assert (membership.organisation, membership.role) == (personas.council, Role.OFFICER)


def test_invitation_link_works_only_once(admin_client, django_capture_on_commit_callbacks):
    invite(admin_client, django_capture_on_commit_callbacks)
    link = invitation_link()
    Client().post(link, {"new_password1": "lanterns in the fog", "new_password2": "lanterns in the fog"})
    again = Client().post(link, {"new_password1": "someone elses choice", "new_password2": "someone elses choice"})
    assert again.status_code == 400
    assert "This link has expired or has already been used" in again.content.decode()
    assert User.objects.get(email="nia.evans@council.example").check_password("lanterns in the fog")


def test_invitation_link_expires_after_seven_days(admin_client, django_capture_on_commit_callbacks):
    invite(admin_client, django_capture_on_commit_callbacks)
    link = invitation_link()
    with time_machine.travel(timezone.now() + dt.timedelta(days=6, hours=23)):
        assert Client().get(link).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=5)):
        response = Client().get(link)
    assert response.status_code == 400
    assert "This link has expired or has already been used" in response.content.decode()


def test_invitation_link_with_a_weak_password_says_why(admin_client, django_capture_on_commit_callbacks):
    invite(admin_client, django_capture_on_commit_callbacks)
    response = Client().post(invitation_link(), {"new_password1": "password1234", "new_password2": "password1234"})
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.get(email="nia.evans@council.example").has_usable_password()


def test_inviting_an_existing_member_is_a_clear_error_and_changes_nothing(
    personas, admin_client, officer, django_capture_on_commit_callbacks
):
    before = list(Membership.objects.values_list("pk", "role", "is_active"))
    response = invite(
        admin_client, django_capture_on_commit_callbacks, email=officer.user.email.upper(), role=Role.ADMIN
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert f"{officer.user.email} already belongs to Ashby Vale District Council." in page
    assert list(Membership.objects.values_list("pk", "role", "is_active")) == before
    assert mail.outbox == []


def test_inviting_someone_from_another_council_asks_them_to_accept_without_a_new_password(
    personas, admin_client, django_capture_on_commit_callbacks
):
    outsider = personas.outsider.user
    invite(admin_client, django_capture_on_commit_callbacks, email=outsider.email, role=Role.MANAGER)
    invitation = outsider.memberships.get(organisation=personas.council)
    assert (invitation.role, invitation.is_pending, invitation.is_active) == (Role.MANAGER, True, False)
    (message,) = mail.outbox
    assert "/invitation/" not in message.body
    assert "Sign in with your usual email address and password" in message.body
    assert "/invitations/" in message.body


def test_invitation_form_cannot_choose_the_organisation_or_status(
    personas, admin_client, django_capture_on_commit_callbacks
):
    invite(
        admin_client,
        django_capture_on_commit_callbacks,
        organisation=personas.other_council.pk,
        is_active="false",
        invited_by=personas.outsider.user.pk,
    )
    membership = Membership.objects.get(user__email="nia.evans@council.example")
    assert membership.organisation == personas.council
    assert membership.is_pending and not membership.is_active  # until Nia accepts
    assert membership.invited_by == personas.members[Role.ADMIN].user


def test_empty_invitation_form_says_what_is_missing(admin_client):
    page = admin_client.post(reverse("accounts:person-invite"), {}).content.decode()
    assert "Enter the person’s full name" in page
    assert "Enter the person’s email address" in page
    assert "Select a role" in page


# Roles and deactivation


def test_admin_changes_a_role_and_history_says_who(personas, admin, admin_client, officer):
    response = admin_client.post(
        reverse("accounts:person-change-role", kwargs={"pk": officer.pk}), {"role": Role.MANAGER}, follow=True
    )
    page = response.content.decode()
    assert f"{escape(officer.user)} is now manager." in page  # a generated name may hold an apostrophe
    assert f"Role changed by {admin.user.email}" in page
    officer.refresh_from_db()
    assert officer.role == Role.MANAGER
    latest = officer.history.latest("history_date")
    assert latest.history_user == admin.user
    assert latest.role == Role.MANAGER


def test_role_change_form_cannot_move_the_person_or_reactivate_them(personas, admin_client, officer):
    admin_client.post(
        reverse("accounts:person-change-role", kwargs={"pk": officer.pk}),
        {"role": Role.MANAGER, "organisation": personas.other_council.pk, "user": personas.outsider.user.pk},
    )
    officer.refresh_from_db()
    assert (officer.organisation, officer.user_id, officer.role) == (
        personas.council,
        personas.members[Role.OFFICER].user_id,
        Role.MANAGER,
    )


def test_role_that_does_not_exist_is_refused(admin_client, officer):
    response = admin_client.post(reverse("accounts:person-change-role", kwargs={"pk": officer.pk}), {"role": "owner"})
    assert "Select a role from the list" in response.content.decode()
    officer.refresh_from_db()
    assert officer.role == Role.OFFICER


def test_only_admin_cannot_demote_themselves(admin, admin_client):
    response = admin_client.post(reverse("accounts:person-change-role", kwargs={"pk": admin.pk}), {"role": "officer"})
    assert response.status_code == 200
    assert "You cannot change the role of the organisation’s only admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_only_admin_cannot_deactivate_themselves(admin, admin_client):
    response = admin_client.post(reverse("accounts:person-deactivate", kwargs={"pk": admin.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "You cannot deactivate yourself" in page
    admin.refresh_from_db()
    assert admin.is_active


def test_last_admin_cannot_be_deactivated_by_anyone(personas, admin):
    # Reachable when the other admins are removed at the same moment; the service refuses.
    second = MembershipFactory(organisation=personas.council, role=Role.ADMIN)
    Membership.objects.filter(pk=second.pk).update(is_active=False)
    with pytest.raises(services.PeopleError, match="only admin"):
        services.membership_change_role(actor=admin.user, membership=admin, role=Role.OFFICER)
    second.is_active = True
    second.save()
    services.membership_deactivate(actor=second.user, membership=admin)
    with pytest.raises(services.PeopleError, match="yourself"):
        services.membership_deactivate(actor=second.user, membership=second)


def test_one_of_two_admins_can_step_down(personas, admin):
    MembershipFactory(organisation=personas.council, role=Role.ADMIN)
    services.membership_change_role(actor=admin.user, membership=admin, role=Role.MANAGER)
    admin.refresh_from_db()
    assert admin.role == Role.MANAGER


def test_deactivating_someone_ends_their_sessions_at_once(personas, admin, admin_client, officer, signed_in):
    their_laptop = signed_in(officer)
    their_phone = signed_in(officer)
    assert their_laptop.get(reverse("home")).status_code == 200

    response = admin_client.post(reverse("accounts:person-deactivate", kwargs={"pk": officer.pk}), follow=True)
    assert f"{officer.user} can no longer use Lantern for Ashby Vale District Council." in response.content.decode()

    for client in (their_laptop, their_phone):
        response = client.get(reverse("accounts:password-change"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign-in"))
    assert admin_client.get(reverse("home")).status_code == 200


def test_deactivated_person_cannot_sign_back_in_to_that_organisation(personas, admin, officer, password):
    services.membership_deactivate(actor=admin.user, membership=officer)
    client = Client()
    sign_in(client, officer.user.email, password)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 403
    assert "You do not belong to an organisation" in response.content.decode()


def test_reactivating_gives_access_back_and_history_records_each_step(personas, admin, admin_client, officer):
    services.membership_deactivate(actor=admin.user, membership=officer)
    response = admin_client.post(reverse("accounts:person-reactivate", kwargs={"pk": officer.pk}), follow=True)
    assert f"{officer.user} can use Lantern for Ashby Vale District Council again." in response.content.decode()
    officer.refresh_from_db()
    assert officer.is_active
    reasons = list(officer.history.order_by("history_date").values_list("history_change_reason", "history_user"))
    assert reasons[-2:] == [
        (f"Deactivated by {admin.user.email}", admin.user.pk),
        (f"Reactivated by {admin.user.email}", admin.user.pk),
    ]


def test_reactivating_someone_already_active_says_so(admin_client, officer):
    response = admin_client.post(reverse("accounts:person-reactivate", kwargs={"pk": officer.pk}), follow=True)
    assert "is already active" in response.content.decode()


def test_history_records_who_made_a_change_even_outside_a_request(personas, admin, officer):
    services.membership_change_role(actor=admin.user, membership=officer, role=Role.AUDITOR)
    assert officer.history.latest("history_date").history_user == admin.user


def test_person_page_shows_the_history_to_an_auditor(personas, admin, officer):
    services.membership_change_role(actor=admin.user, membership=officer, role=Role.MANAGER)
    page = personas.client_for(personas.members[Role.AUDITOR]).get(officer.get_absolute_url()).content.decode()
    assert f"Role changed by {admin.user.email}" in page
    assert "Deactivate" not in page


def test_deactivating_someone_ends_a_session_whose_key_changed_with_their_password(
    personas, admin, officer, password, signed_in
):
    client = signed_in(officer)
    new_password = "a different long passphrase"
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.url == reverse("accounts:password-change-done")
    assert client.get(reverse("accounts:password-change")).status_code == 200

    services.membership_deactivate(actor=admin.user, membership=officer)
    assert client.get(reverse("accounts:password-change")).status_code == 302


def test_deactivating_someone_ends_a_session_started_in_the_django_admin(personas, admin, officer, password):
    officer.user.is_staff = True
    officer.user.save()
    client = Client()
    client.post(reverse("admin:login"), {"username": officer.user.email, "password": password})
    assert client.get(reverse("accounts:password-change")).status_code == 200

    services.membership_deactivate(actor=admin.user, membership=officer)
    assert client.get(reverse("accounts:password-change")).status_code == 302


def test_people_list_shows_who_is_invited_active_or_deactivated(
    personas, admin, admin_client, officer, django_capture_on_commit_callbacks
):
    invite(admin_client, django_capture_on_commit_callbacks)
    services.membership_deactivate(actor=admin.user, membership=officer)
    page = admin_client.get(reverse("accounts:people")).content.decode()
    rows = {
        html.unescape(row.split("</a>")[0].rsplit(">", 1)[-1]): re.search(r"govuk-tag[^>]*>(\w+)<", row).group(1)
        for row in page.split('<tr class="govuk-table__row">')[2:]
    }
    assert rows["Nia Evans"] == "Invited"
    assert rows[officer.user.full_name] == "Deactivated"
    assert rows[admin.user.full_name] == "Active"


def test_email_address_longer_than_the_database_allows_is_a_form_error(admin_client):
    long_email = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example"
    assert len(long_email) > 254
    response = admin_client.post(
        reverse("accounts:person-invite"), {"full_name": "Long Address", "email": long_email, "role": "officer"}
    )
    assert response.status_code == 200
    assert "Email address must be 254 characters or fewer" in response.content.decode()
    assert not User.objects.filter(full_name="Long Address").exists()

"""Signing in, the people pages and the invitation email in Welsh: the accounts app's words
come from the Welsh catalogue, and the English stays as it was for everyone else."""

from django.contrib.auth.forms import SetPasswordForm
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import Role
from tests.conftest import force_login


def welsh(client: Client) -> Client:
    client.cookies["django_language"] = "cy"
    return client


def test_sign_in_page_and_its_errors_are_in_welsh(db):
    client = welsh(Client())
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert "Mewngofnodi i Lantern" in page
    assert "Cyfeiriad e-bost" in page
    assert "Sign in to Lantern" not in page

    page = client.post(reverse("accounts:sign-in"), {"username": "", "password": ""}).content.decode()
    assert "Rhowch eich cyfeiriad e-bost" in page
    assert "Rhowch eich cyfrinair" in page


def test_sign_in_page_stays_in_english_without_a_choice(db):
    page = Client().get(reverse("accounts:sign-in")).content.decode()
    assert "Sign in to Lantern" in page
    assert "Mewngofnodi" not in page


def test_people_page_shows_roles_and_headings_in_welsh(personas):
    admin = personas.members[Role.ADMIN]
    client = welsh(personas.client_for(admin))
    page = client.get(reverse("accounts:people")).content.decode()
    assert "Pobl yn y sefydliad Ashby Vale District Council" in page
    assert "Gweinyddwr" in page
    assert "Aelod etholedig" in page


def test_invitation_email_is_written_in_the_invitees_language_not_the_admins(
    personas, django_capture_on_commit_callbacks
):
    admin = personas.members[Role.ADMIN]
    # Someone new has not chosen: they read the organisation's default, whatever the admin reads.
    personas.council.default_language = "cy"
    personas.council.save()
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        services.membership_invite(
            actor=admin.user,
            organisation=personas.council,
            email="nia@council.example",
            full_name="Nia Evans",
            role=Role.OFFICER,
        )
    (email,) = mail.outbox
    assert email.subject == "Rydych wedi cael gwahoddiad i'r sefydliad Ashby Vale District Council ar Lantern"
    assert email.body.startswith("Helo Nia Evans,\n\n")
    assert "fel swyddog." in email.body


def test_a_refusal_from_a_service_is_in_welsh(personas):
    admin = personas.members[Role.ADMIN]
    client = welsh(Client())
    force_login(client, admin.user)
    session = client.session
    session["lantern_organisation_id"] = admin.organisation_id
    session.save()
    response = client.post(reverse("accounts:person-deactivate", args=[admin.pk]))
    assert "Ni allwch ddadactifadu eich hun." in response.content.decode()


def test_djangos_own_password_messages_are_in_welsh_too(personas):
    user = personas.members[Role.OFFICER].user
    with translation.override("cy"):
        form = SetPasswordForm(user, {"new_password1": "a long enough phrase", "new_password2": "another phrase"})
        assert "Nid oedd y ddau gyfrinair yr un fath." in form.errors["new_password2"]
        form = SetPasswordForm(user, {"new_password1": "password", "new_password2": "password"})
        assert "Mae'r cyfrinair hwn yn rhy gyffredin." in form.errors["new_password2"]
        assert "Rhaid iddo gynnwys o leiaf 12 nod." in " ".join(form.errors["new_password2"])

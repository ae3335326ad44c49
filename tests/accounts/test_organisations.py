"""Choosing the organisation to work in: asked at sign-in when there are several, switchable,
and never an organisation the person does not belong to."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.middleware import ORGANISATION_SESSION_KEY
from accounts.models import Role
from tests.accounts.conftest import enter_code, sign_in
from tests.factories import MembershipFactory, OrganisationFactory

CHOOSE = reverse("accounts:choose-organisation")
HOME = reverse("home")


@pytest.fixture
def two_hats(personas):
    """A manager in the council who is also an officer of the other council."""
    manager = personas.members["manager"]
    MembershipFactory(user=manager.user, organisation=personas.other_council, role=Role.OFFICER)
    return manager


def test_person_in_two_organisations_is_asked_to_choose_after_sign_in(two_hats, password):
    client = Client()
    response = sign_in(client, two_hats.user.email, password)
    assert response.status_code == 302
    assert response.url.startswith(CHOOSE)
    page = client.get(response.url).content.decode()
    assert "Which organisation are you working in?" in page
    assert 'class="govuk-radios__input"' in page
    assert "Ashby Vale District Council (manager)" in page
    assert "Kingsmere Council (officer)" in page


def test_choosing_takes_the_person_to_where_they_were_going(two_hats, password, personas):
    client = Client()
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": two_hats.user.email, "password": password, "next": reverse("accounts:people")},
    )
    assert response.url == f"{CHOOSE}?next=%2Fpeople%2F"
    response = client.post(response.url, {"organisation": personas.council.pk, "next": reverse("accounts:people")})
    assert response.url == reverse("accounts:people")


def test_person_can_switch_organisation(two_hats, password, personas):
    client = Client()
    sign_in(client, two_hats.user.email, password)
    client.post(CHOOSE, {"organisation": personas.council.pk})
    enter_code(client, two_hats.user)
    page = client.get(HOME).content.decode()
    assert "You are signed in as manager for Ashby Vale District Council" in page
    assert "Switch organisation" in page

    response = client.post(CHOOSE, {"organisation": personas.other_council.pk}, follow=True)
    page = response.content.decode()
    assert "You are now working in Kingsmere Council." in page
    assert "You are signed in as officer for Kingsmere Council" in page


def test_choosing_an_organisation_they_do_not_belong_to_is_refused(two_hats, password, personas):
    stranger = OrganisationFactory(name="Elsewhere Borough Council")
    client = Client()
    sign_in(client, two_hats.user.email, password)
    client.post(CHOOSE, {"organisation": personas.council.pk})
    enter_code(client, two_hats.user)

    response = client.post(CHOOSE, {"organisation": stranger.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select the organisation you want to work in" in page
    assert "Elsewhere Borough Council" not in page
    assert client.session[ORGANISATION_SESSION_KEY] == personas.council.pk
    assert "for Ashby Vale District Council" in client.get(HOME).content.decode()


def test_choosing_nothing_asks_the_person_to_select(two_hats, password):
    client = Client()
    sign_in(client, two_hats.user.email, password)
    response = client.post(CHOOSE, {})
    assert response.status_code == 200
    assert "Select the organisation you want to work in" in response.content.decode()


def test_person_with_one_organisation_goes_straight_in(personas, password):
    client = Client()
    response = sign_in(client, personas.outsider.user.email, password)
    assert response.url == HOME
    assert "You are signed in as officer for Kingsmere Council" in client.get(HOME).content.decode()


def test_switch_link_is_shown_only_to_people_with_several_organisations(personas):
    page = personas.client_for(personas.members["officer"]).get(HOME).content.decode()
    assert "Switch organisation" not in page


def test_deactivated_membership_loses_that_organisation_at_once(two_hats, password, personas):
    client = Client()
    sign_in(client, two_hats.user.email, password)
    client.post(CHOOSE, {"organisation": personas.council.pk})
    enter_code(client, two_hats.user)
    assert client.get(reverse("accounts:people")).status_code in (200, 403)

    two_hats.is_active = False
    two_hats.save()

    page = client.get(HOME, follow=True).content.decode()
    assert "Ashby Vale District Council" not in page
    assert "You are signed in as officer for Kingsmere Council" in page
    response = client.post(CHOOSE, {"organisation": personas.council.pk})
    assert "Select the organisation you want to work in" in response.content.decode()


def test_deactivation_by_one_organisation_takes_it_away_but_keeps_the_person_signed_in_for_the_other(
    two_hats, password, personas
):
    client = Client()
    sign_in(client, two_hats.user.email, password)
    client.post(CHOOSE, {"organisation": personas.council.pk})
    services.membership_deactivate(actor=personas.members["admin"].user, membership=two_hats)
    # The same session, on its next request: no longer in Ashby Vale, still signed in for Kingsmere.
    assert client.get(reverse("accounts:people")).status_code == 403
    page = client.get(HOME).content.decode()
    assert "You are signed in as officer for Kingsmere Council" in page
    assert client.post(CHOOSE, {"organisation": personas.council.pk}).status_code == 200  # not a choice any more


def test_deactivation_by_one_of_three_organisations_sends_its_sessions_to_choose_again(two_hats, password, personas):
    third = OrganisationFactory(name="Local Innovation Network")
    MembershipFactory(user=two_hats.user, organisation=third, role=Role.OFFICER)
    client = Client()
    sign_in(client, two_hats.user.email, password)
    client.post(CHOOSE, {"organisation": personas.council.pk})
    enter_code(client, two_hats.user)
    assert client.get(reverse("innovation:idea-list")).status_code == 200
    services.membership_deactivate(actor=personas.members["admin"].user, membership=two_hats)
    response = client.get(reverse("innovation:idea-list"))
    assert response.status_code == 302
    assert response.url.startswith(CHOOSE)
    page = client.get(CHOOSE).content.decode()
    assert "Kingsmere Council (officer)" in page and "Local Innovation Network (officer)" in page
    assert "Ashby Vale District Council" not in page.split("Which organisation")[1]


def test_organisation_page_without_a_choice_asks_for_one(two_hats, password):
    client = Client()
    sign_in(client, two_hats.user.email, password)
    response = client.get(reverse("accounts:people"))
    assert response.status_code == 302
    assert response.url == f"{CHOOSE}?next=%2Fpeople%2F"

"""One way to tell a person anything: every app's kinds on one settings page, one link helper."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from accounts import notices
from accounts.models import NotificationPreference, Role

pytestmark = pytest.mark.django_db


def test_the_email_settings_page_asks_about_every_apps_kinds_of_email(personas):
    page = personas.client_for(personas.members[Role.OFFICER]).get("/notifications/").content.decode()
    for label in (
        "Your idea has been screened",
        "A risk escalated to the elected members",
        "Requests to visit your organisation, and your answers",
        "New lessons in the services you follow",
    ):
        assert label in page


def test_new_lessons_come_in_a_weekly_digest_until_a_person_chooses_otherwise(personas):
    officer = personas.members[Role.OFFICER].user
    assert notices.preferences_of(officer)["new_lessons"] == "weekly"
    assert notices.preferences_of(officer)["risk_escalated"] == "immediately"


def test_new_lessons_cannot_be_sent_straight_away_as_nothing_happens_at_one_moment(personas):
    client = personas.client_for(personas.members[Role.OFFICER])
    response = client.post("/notifications/", {**_everything("daily"), "new_lessons": "immediately"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Choose how often you hear about: new lessons" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_saving_the_settings_page_stores_a_choice_for_every_kind(personas):
    officer = personas.members[Role.OFFICER]
    response = personas.client_for(officer).post("/notifications/", _everything("weekly"))
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert set(notices.preferences_of(officer.user).values()) == {"weekly"}


def test_the_settings_page_needs_a_sign_in():
    response = Client().get("/notifications/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_links_in_emails_are_absolute_whether_given_a_path_a_url_name_or_an_object(settings, personas):
    settings.SITE_URL = "https://lantern.example/"
    membership = personas.members[Role.OFFICER]
    assert notices.absolute_url("/reports/schedules/") == "https://lantern.example/reports/schedules/"
    assert notices.absolute_url("risk:risk-detail", 4) == "https://lantern.example/risk/risks/4/"
    assert notices.absolute_url(membership) == f"https://lantern.example/people/{membership.pk}/"


def test_two_apps_cannot_register_the_same_kind_of_notice():
    with pytest.raises(ImproperlyConfigured):
        notices.kind_register("screening", "Something else")


def _everything(frequency: str) -> dict[str, str]:
    return {kind.value: frequency for kind in notices.kinds()}

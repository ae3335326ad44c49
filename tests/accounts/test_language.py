"""English or Welsh: the switch on every page, a person's language remembered, an organisation's
default for its new people, and emails and dates in the reader's language."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import languages, notices, services
from accounts.models import IdentityProvider, Organisation, Role, User, VerifiedDomain
from accounts.templatetags.govuk import govuk_date
from tests.accounts.test_access_cache import kept  # noqa: F401 - each signed-in test with the row kept and not
from tests.accounts.test_sso import idp, sso_sign_in
from tests.conftest import force_login

pytestmark = pytest.mark.django_db

SWITCH = reverse("accounts:language")
HOME = reverse("home")
SIGN_IN = reverse("accounts:sign-in")
COOKIE = settings.LANGUAGE_COOKIE_NAME
WELSH_SWITCH_LABEL = 'aria-label="Dewis iaith"'  # "Choose a language", this module's own string


def _lang(response) -> str:
    html = response.content.decode()
    start = html.index("<html lang=") + len('<html lang="')
    return html[start : html.index('"', start)]


def test_signed_out_choosing_welsh_sets_the_cookie_and_the_next_page_is_welsh(client):
    response = client.post(SWITCH, {"language": "cy", "next": SIGN_IN})
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert response.cookies[COOKIE].value == "cy"
    page = client.get(SIGN_IN)
    assert _lang(page) == "cy"
    assert WELSH_SWITCH_LABEL in page.content.decode()
    assert page["Content-Language"] == "cy"
    assert "Accept-Language" in page["Vary"]


def test_the_switch_names_each_language_in_itself_and_marks_the_one_in_use(client):
    html = client.get(SIGN_IN).content.decode()
    assert _lang(client.get(SIGN_IN)) == "en-GB"
    assert '<span aria-current="true" lang="en-GB">English</span>' in html
    assert 'name="language" value="cy" lang="cy"' in html
    client.cookies[COOKIE] = "cy"
    html = client.get(SIGN_IN).content.decode()
    assert '<span aria-current="true" lang="cy">Cymraeg</span>' in html
    assert 'name="language" value="en-gb" lang="en-GB"' in html


def test_the_browser_language_is_used_until_a_choice_is_made(client):
    assert _lang(client.get(SIGN_IN, headers={"accept-language": "cy,en;q=0.5"})) == "cy"
    assert _lang(client.get(SIGN_IN, headers={"accept-language": "fr"})) == "en-GB"


def test_signed_in_choice_is_kept_on_the_person_and_follows_them_to_another_browser(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    client.get(HOME)
    response = client.post(SWITCH, {"language": "cy", "next": HOME})
    assert response["Location"] == HOME
    assert User.objects.get(pk=officer.user_id).language == "cy"
    assert _lang(client.get(HOME)) == "cy"
    # A new browser, with no cookie and an English one at that: the person's own choice wins.
    other = Client(headers={"accept-language": "en-GB"})
    force_login(other, User.objects.get(pk=officer.user_id))
    session = other.session
    session["lantern_organisation_id"] = officer.organisation_id
    session.save()
    page = other.get(HOME)
    assert _lang(page) == "cy"
    # ...and it remembers the language on that browser too, for the pages seen signed out.
    assert page.cookies[COOKIE].value == "cy"


def test_choosing_again_changes_the_kept_person_at_once(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    client.post(SWITCH, {"language": "cy", "next": HOME})
    assert _lang(client.get(HOME)) == "cy"
    client.post(SWITCH, {"language": "en-gb", "next": HOME})
    assert _lang(client.get(HOME)) == "en-GB"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_an_off_site_next_is_refused(client, next_url):
    response = client.post(SWITCH, {"language": "cy", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_get_changes_nothing(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    response = client.get(SWITCH, {"language": "cy", "next": HOME})
    assert response.status_code == 405
    assert COOKIE not in response.cookies
    assert User.objects.get(pk=officer.user_id).language == ""


def test_an_unknown_language_changes_nothing(client):
    response = client.post(SWITCH, {"language": "fr", "next": SIGN_IN})
    assert response["Location"] == SIGN_IN
    assert COOKIE not in response.cookies


def test_csrf_is_enforced(personas):
    officer = personas.members[Role.OFFICER]
    client = Client(enforce_csrf_checks=True)
    force_login(client, officer.user)
    response = client.post(SWITCH, {"language": "cy", "next": HOME})
    assert response.status_code == 403
    assert User.objects.get(pk=officer.user_id).language == ""


def test_the_email_settings_page_offers_the_language(personas):
    client = personas.client_for(personas.members[Role.OFFICER])
    html = client.get(reverse("accounts:notification-settings")).content.decode()
    assert f'action="{SWITCH}"' in html
    assert 'id="language-cy" name="language" type="radio" value="cy"' in html


def test_welsh_authorities_default_to_welsh():
    assert Organisation.language_for(ons_code="W06000015") == "cy"
    assert Organisation.language_for(ons_code=None, region="wales") == "cy"
    assert Organisation.language_for(ons_code="E06000001", region="north_east") == "en-gb"
    council = services.organisation_create(name="Cyngor Caerdydd", kind=Organisation.Kind.WELSH, ons_code="W06000015")
    assert council.default_language == "cy"


def test_a_w06_organisations_new_invitee_gets_welsh(django_capture_on_commit_callbacks):
    council = services.organisation_create(name="Cyngor Gwynedd", kind=Organisation.Kind.WELSH, ons_code="W06000002")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_invite(
            actor=None, organisation=council, email="newydd@gwynedd.example", full_name="Person Newydd", role=Role.ADMIN
        )
    assert membership.user.language == "cy"
    assert len(mail.outbox) == 1


def test_accepting_an_invitation_gives_the_organisations_language_to_one_who_has_not_chosen(personas):
    council = personas.council
    council.default_language = "cy"
    council.save()
    user = User.objects.create_user(email="existing@example.com", full_name="Existing Person", password="x")
    membership = services.membership_invite(
        actor=None, organisation=council, email=user.email, full_name=user.full_name, role=Role.OFFICER
    )
    services.membership_accept(user=user, membership=membership)
    assert User.objects.get(pk=user.pk).language == "cy"
    chosen = User.objects.create_user(email="chosen@example.com", full_name="Chosen", password="x", language="en-gb")
    membership = services.membership_invite(
        actor=None, organisation=council, email=chosen.email, full_name=chosen.full_name, role=Role.OFFICER
    )
    services.membership_accept(user=chosen, membership=membership)
    assert User.objects.get(pk=chosen.pk).language == "en-gb"


def test_an_admin_sets_the_organisations_language(personas):
    admin = personas.client_for(personas.members[Role.ADMIN])
    url = reverse("accounts:organisation-language")
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"language": "cy"})
    assert response.status_code == 302
    personas.council.refresh_from_db()
    assert personas.council.default_language == "cy"
    officer = personas.client_for(personas.members[Role.OFFICER])
    assert officer.get(url).status_code == 403
    assert officer.post(url, {"language": "en-gb"}).status_code == 403
    personas.council.refresh_from_db()
    assert personas.council.default_language == "cy"


def test_an_email_to_a_welsh_reader_is_in_welsh_whoever_caused_it(personas, django_capture_on_commit_callbacks):
    officer = personas.members[Role.OFFICER]
    languages.user_language_set(user=officer.user, language="cy")
    kind = notices.kinds()[0].value
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        notices.notice_send(user=officer.user, organisation=personas.council, kind=kind, subject="S", body="B")
    (message,) = mail.outbox
    assert f"Lantern, ar gyfer {personas.council.name}." in message.body
    assert "Choose which emails" not in message.body


def test_the_organisations_language_is_used_for_one_who_has_not_chosen(personas):
    officer = personas.members[Role.OFFICER]
    personas.council.default_language = "cy"
    personas.council.save()
    assert languages.language_of(User.objects.get(pk=officer.user_id)) == "cy"
    assert languages.language_of(None) == settings.LANGUAGE_CODE


def test_a_welsh_date_has_a_welsh_month():
    day = datetime.date(2026, 12, 5)
    with translation.override("cy"):
        assert govuk_date(day) == "5 Rhagfyr 2026"
    with translation.override("en-gb"):
        assert govuk_date(day) == "5 December 2026"


def test_a_welsh_page_writes_dates_with_welsh_months(personas):
    from django.template import Context, Template

    template = Template("{{ day|date }}")
    with translation.override("cy"):
        assert template.render(Context({"day": datetime.date(2026, 12, 5)})) == "5 Rhagfyr 2026"


@idp
def test_a_welsh_councils_first_single_sign_on_makes_a_welsh_reader(sso_councils):
    ashby = sso_councils.ashby
    ashby.default_language = "cy"
    ashby.save()
    IdentityProvider.objects.filter(organisation=ashby).update(provision_officers=True)
    VerifiedDomain.objects.create(organisation=ashby, domain="ashby.test")
    client = Client()
    assert sso_sign_in(client, sso_councils, ashby, "newcomer@ashby.test").status_code == 302
    assert User.objects.get(email="newcomer@ashby.test").language == "cy"
    assert _lang(client.get(HOME)) == "cy"


def test_a_welsh_readers_digest_is_in_welsh(personas, django_capture_on_commit_callbacks):
    officer = personas.members[Role.OFFICER]
    languages.user_language_set(user=officer.user, language="cy")
    kind = next(k for k in notices.kinds() if k.summary is None).value
    notices.preference_set(actor=officer.user, preferences={kind: notices.Frequency.DAILY})
    with django_capture_on_commit_callbacks(execute=True):
        notices.notice_send(user=officer.user, organisation=personas.council, kind=kind, subject="S", body="B")
        notices.digest_send(frequency=notices.Frequency.DAILY, users=[officer.user])
    (message,) = mail.outbox
    assert message.subject == "Eich crynodeb Lantern dyddiol: 1 diweddariad"
    assert "Newidiwch pa mor aml" in message.body


def test_the_language_can_be_chosen_on_the_two_factor_pages_before_the_code(personas):
    manager = personas.members[Role.MANAGER]
    client = Client()
    client.force_login(manager.user)  # a password given, the code not yet
    verify = reverse("accounts:two-factor-verify")
    response = client.post(SWITCH, {"language": "cy", "next": verify})
    assert response["Location"] == verify
    assert response.cookies[COOKIE].value == "cy"

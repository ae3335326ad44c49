"""Ideas from residents and partners (R5, R6): a campaign's public page and its spam checks, email
confirmation, partners' pages, and the originator of every idea hearing what happened to it."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import PartnerOrganisation, Role
from innovation import services
from innovation.models import Campaign, Idea, IdeaStage, IdeaSubmission
from innovation.services import outsiders
from innovation.views import public as public_views
from portfolio.models import Service, ServiceArea
from tests.factories import MembershipFactory
from tests.test_tenancy import REGISTRY, url_names_and_kwargs

# Real commits, so that emails queued after commit (accounts.notices.email_send) go out as they would.
pytestmark = pytest.mark.django_db(transaction=True)

IDEA = {"title": "Grit bins on steep streets", "problem": "Icy pavements", "proposal": "Put grit bins on hills"}


@pytest.fixture(autouse=True)
def _no_wait(settings):
    settings.PUBLIC_IDEA_MIN_SECONDS = 5


@pytest.fixture
def area(personas):
    return ServiceArea.objects.create(organisation=personas.council, name="Highways", service=Service.choices[0][0])


@pytest.fixture
def vale(personas):
    return personas.members[Role.PARTNER].partner_organisation


@pytest.fixture
def campaign(personas, area, vale):
    return services.campaign_create(
        actor=personas.members[Role.MANAGER].user,
        organisation=personas.council,
        title="Winter roads",
        question="How could we keep pavements safe in winter?",
        deadline=timezone.localdate() + dt.timedelta(days=30),
        service_areas=[area],
        is_public=True,
        partner_organisations=[vale],
    )


def _shown(seconds_ago: int) -> str:
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=seconds_ago), tick=False):
        return public_views._shown_now()


def _post(client, campaign, **changes):
    data = {**IDEA, "name": "Rosa Diaz", "email": "rosa@example.org", "consent": "on", "website": ""}
    data["shown"] = _shown(60)
    data.update(changes)
    return client.post(reverse("public:idea", args=[campaign.pk]), data)


def _link(message, name: str) -> str:
    return re.search(rf"http://[^\s]+/have-your-say/{name}/[^\s]+/", message.body).group(0)


def _resident_idea(client, campaign) -> Idea:
    _post(client, campaign)
    confirm = _link(mail.outbox[-1], "confirm")
    client.post(re.sub(r"^https?://[^/]+", "", confirm))
    return Idea.objects.get(originator_email="rosa@example.org")


# ---------------------------------------------------------------- the public page


def test_anyone_sees_a_public_campaigns_start_page(campaign):
    page = Client().get(reverse("public:campaign", args=[campaign.pk]))
    assert page.status_code == 200
    assert "How could we keep pavements safe in winter?" in page.content.decode()


def test_a_campaign_not_opened_to_the_public_has_no_public_page(personas, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(is_public=False)
    for url in ("public:campaign", "public:idea", "public:similar", "public:sent"):
        assert Client().get(reverse(url, args=[campaign.pk])).status_code == 404
    # Staff of the council and of another council get the same: the page is for the public or nobody.
    assert personas.client_for(personas.outsider).get(reverse("public:campaign", args=[campaign.pk])).status_code == 404


def test_a_resident_gives_an_idea_that_reaches_screening_only_once_they_confirm(personas, campaign):
    client = Client()
    response = _post(client, campaign)
    assert response.status_code == 302
    assert IdeaSubmission.objects.count() == 1
    assert not Idea.objects.exists()
    staff_list = personas.client_for(personas.members[Role.MANAGER]).get(reverse("innovation:idea-list"))
    assert "Grit bins" not in staff_list.content.decode()
    assert mail.outbox[-1].to == ["rosa@example.org"]
    confirm = re.sub(r"^https?://[^/]+", "", _link(mail.outbox[-1], "confirm"))
    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    assert "Confirm and send my idea" in client.get(confirm).content.decode()
    assert not Idea.objects.exists()
    page = client.post(confirm).content.decode()
    idea = Idea.objects.get()
    assert f"Your reference is<br><strong>{idea.reference}</strong>" in page
    assert idea.author is None and idea.campaign == campaign and idea.stage == IdeaStage.SUBMITTED
    assert list(idea.service_areas.all()) == list(campaign.service_areas.all())
    staff_list = personas.client_for(personas.members[Role.MANAGER]).get(reverse("innovation:idea-list"))
    assert "Rosa Diaz (public)" in staff_list.content.decode()
    client.post(confirm)
    assert Idea.objects.count() == 1, "confirming twice gives one idea"


def test_a_forged_or_expired_confirmation_link_confirms_nothing(campaign):
    client = Client()
    _post(client, campaign)
    confirm = re.sub(r"^https?://[^/]+", "", _link(mail.outbox[-1], "confirm"))
    assert client.post(confirm.replace("have-your-say/confirm/", "have-your-say/confirm/x")).status_code == 404
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert client.post(confirm).status_code == 404
    assert not Idea.objects.exists()


def test_unconfirmed_ideas_are_deleted_after_a_week_and_confirmed_ones_kept(campaign):
    _resident_idea(Client(), campaign)
    _post(Client(), campaign, email="other@example.org", title="Something else entirely")
    assert IdeaSubmission.objects.count() == 2
    assert outsiders.submissions_expire(now=timezone.now() + dt.timedelta(days=6)) == 0
    assert outsiders.submissions_expire(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert IdeaSubmission.objects.get().idea is not None


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"website": "http://spam.example"}, "Leave this empty"),
        ({"shown": "not-signed"}, "robots send this form faster"),
        ({"shown": "now"}, "robots send this form faster"),
    ],
    ids=["honeypot", "forged-time", "too-quick"],
)
def test_a_robots_idea_is_refused_and_changes_nothing(campaign, changes, message):
    if changes.get("shown") == "now":
        changes = {"shown": _shown(1)}
    response = _post(Client(), campaign, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Grit bins on steep streets" in response.content.decode(), "what they typed is kept"
    assert not IdeaSubmission.objects.exists()
    assert mail.outbox == []


def test_a_form_left_open_for_more_than_a_day_is_refused(campaign):
    response = _post(Client(), campaign, shown=_shown(25 * 60 * 60))
    assert "open for too long" in response.content.decode()
    assert not IdeaSubmission.objects.exists()


def test_too_many_ideas_from_one_email_address_are_refused(settings, campaign):
    settings.PUBLIC_IDEAS_PER_EMAIL_PER_DAY = 2
    for n in range(2):
        assert _post(Client(), campaign, title=f"Idea number {n} about bins").status_code == 302
    response = _post(Client(), campaign, title="A third about lamps")
    assert response.status_code == 429
    assert IdeaSubmission.objects.count() == 2 and len(mail.outbox) == 2


def test_too_many_ideas_from_one_connection_are_refused(settings, campaign):
    settings.PUBLIC_IDEAS_PER_ADDRESS_PER_HOUR = 1
    client = Client()
    assert _post(client, campaign).status_code == 302
    response = _post(client, campaign, email="someone.else@example.org")
    assert response.status_code == 429
    assert "Nothing has been sent" in response.content.decode()
    assert IdeaSubmission.objects.count() == 1


def test_a_closed_campaigns_public_page_takes_no_ideas(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())
    assert "closed" in Client().get(reverse("public:campaign", args=[campaign.pk])).content.decode()
    assert _post(Client(), campaign).status_code == 302
    assert not IdeaSubmission.objects.exists()


# ---------------------------------------------------------------- duplicate hints


def test_a_resident_is_shown_only_titles_of_confirmed_public_ideas_in_the_same_campaign(personas, campaign, area):
    manager = personas.members[Role.MANAGER].user
    services.idea_create(
        actor=manager,
        organisation=personas.council,
        title="Grit bins by the school",
        problem="Secret staff detail",
        proposal="x",
        source="staff",
        service_areas=[area],
        campaign=campaign,
    )
    _resident_idea(Client(), campaign)
    hints = Client().get(reverse("public:similar", args=[campaign.pk]), {"title": "grit bins"}).content.decode()
    assert "Grit bins on steep streets" in hints
    assert "by the school" not in hints and "Secret staff detail" not in hints and "Rosa" not in hints
    assert "href" not in hints


def test_staff_are_shown_likely_duplicates_while_typing_and_outsiders_are_refused(personas, campaign, area):
    services.idea_create(
        actor=personas.members[Role.OFFICER].user,
        organisation=personas.council,
        title="Grit bins by the school",
        problem="p",
        proposal="x",
        source="staff",
        service_areas=[area],
    )
    url = reverse("innovation:idea-similar")
    hints = personas.client_for(personas.members[Role.OFFICER]).get(url, {"title": "school grit"}).content.decode()
    assert "Grit bins by the school" in hints
    assert "Grit bins" not in personas.client_for(personas.outsider).get(url, {"title": "grit bins"}).content.decode()
    assert personas.client_for(personas.members[Role.PARTNER]).get(url, {"title": "grit"}).status_code == 403


def test_without_javascript_a_resident_sees_likely_duplicates_before_sending(campaign):
    _resident_idea(Client(), campaign)
    mail.outbox.clear()
    response = _post(Client(), campaign, email="sam@example.org", title="More grit bins on steep streets")
    assert "Other people have given ideas like yours" in response.content.decode()
    assert not IdeaSubmission.objects.filter(email="sam@example.org").exists()
    assert _post(Client(), campaign, email="sam@example.org", seen_duplicates="on").status_code == 302


# ---------------------------------------------------------------- partners


def _partner_pages(campaign):
    return [
        reverse("innovation:partner-campaign-list"),
        reverse("innovation:partner-campaign", args=[campaign.pk]),
        reverse("innovation:partner-similar", args=[campaign.pk]),
        reverse("innovation:partner-idea-list"),
    ]


@pytest.mark.parametrize("role", Role.values)
def test_partner_pages_are_for_partners_only(personas, campaign, role):
    expected = 200 if role == Role.PARTNER else 403
    client = personas.client_for(personas.members[role])
    assert [client.get(url).status_code for url in _partner_pages(campaign)] == [expected] * 4


def test_partner_pages_refuse_anonymous_visitors_and_other_councils(personas, campaign):
    for url in _partner_pages(campaign):
        assert Client().get(url).status_code == 302
        assert personas.client_for(personas.outsider).get(url).status_code == 403


def test_a_partner_of_another_organisation_sees_none_of_the_campaign(personas, campaign):
    other = PartnerOrganisation.objects.create(organisation=personas.council, name="GP Federation")
    stranger = MembershipFactory(organisation=personas.council, role=Role.PARTNER, partner_organisation=other)
    client = personas.client_for(stranger)
    assert "Winter roads" not in client.get(reverse("innovation:partner-campaign-list")).content.decode()
    assert client.get(reverse("innovation:partner-campaign", args=[campaign.pk])).status_code == 404
    response = client.post(reverse("innovation:partner-campaign", args=[campaign.pk]), IDEA)
    assert response.status_code == 404
    assert not Idea.objects.exists()


def test_a_partner_gives_an_idea_and_sees_what_happened_to_their_own_ideas_only(personas, campaign, area):
    partner = personas.members[Role.PARTNER]
    client = personas.client_for(partner)
    assert "Winter roads" in client.get(reverse("innovation:partner-campaign-list")).content.decode()
    response = client.post(reverse("innovation:partner-campaign", args=[campaign.pk]), IDEA)
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.author == partner.user and idea.source == "partner" and idea.organisation == personas.council
    services.idea_create(
        actor=personas.members[Role.OFFICER].user,
        organisation=personas.council,
        title="Staff idea about salt",
        problem="p",
        proposal="x",
        source="staff",
        service_areas=[area],
        campaign=campaign,
    )
    services.idea_decline(actor=personas.members[Role.MANAGER].user, idea=idea, reason="We have too few bins.")
    page = client.get(reverse("innovation:partner-idea-list")).content.decode()
    assert "Grit bins on steep streets" in page and "Declined: We have too few bins." in page
    assert "Staff idea about salt" not in page


def test_the_partner_persona_is_refused_every_page_of_the_council_but_their_own(personas):
    """The tenancy walk's builders, pointed at the partner's own council: every object page is refused."""
    from tests.conftest import Personas

    theirs = Personas(
        council=personas.other_council,
        other_council=personas.council,
        members={},
        outsider=personas.members[Role.OFFICER],
    )
    client = personas.client_for(personas.members[Role.PARTNER])
    # A person's own pages (their password, two-factor, invitations, email settings and their
    # notifications, which tell a partner what became of their ideas), the public statements and
    # the public lessons' feed are everyone's.
    allowed = {
        "home",
        "accessibility",
        "privacy",
        "sharing:feed",
        "accounts:notification-settings",
        "innovation:notification-settings",
        "accounts:notification-inbox",
    }
    own = {"accounts:" + n for n in ("signed-out", "choose-organisation", "invitations")}
    allowed |= own | {
        n for n, _ in url_names_and_kwargs() if n.startswith(("accounts:two-factor", "accounts:password"))
    }
    leaks = {}
    for name, kwargs in url_names_and_kwargs():
        if name.startswith(("admin:", "api", "public:", "innovation:partner-")) or name in allowed:
            continue
        if kwargs and name not in REGISTRY:
            continue
        try:
            url = reverse(name, kwargs=REGISTRY[name](theirs)) if kwargs else reverse(name)
        except Exception:  # noqa: S112 (a URL whose builder needs more than the walk gives)
            continue
        status = client.get(url).status_code
        if status == 200:
            leaks[url] = status
    assert not leaks, f"a partner reached {leaks}"


# ---------------------------------------------------------------- originators hear what happened


def test_a_resident_hears_their_idea_was_accepted_and_its_project_approved_with_an_unsubscribe_link(
    personas, campaign, risk_ready
):
    idea = _resident_idea(Client(), campaign)
    mail.outbox.clear()
    manager = personas.members[Role.MANAGER].user
    project = services.idea_accept(actor=manager, idea=idea, owner=manager)
    (message,) = mail.outbox
    assert message.to == ["rosa@example.org"]
    assert message.subject == "Your idea “Grit bins on steep streets” has been accepted"
    assert "Dear Rosa Diaz" in message.body and "/have-your-say/unsubscribe/" in message.body
    assert "/projects/" not in message.body, "no link to a page they cannot open"
    from innovation.services import originators

    mail.outbox.clear()
    project.stage = "implementation"
    originators.originator_project_moved(project=project)
    assert mail.outbox[0].subject.endswith("has been approved")


def test_unsubscribing_stops_the_emails_about_an_idea(personas, campaign):
    idea = _resident_idea(Client(), campaign)
    mail.outbox.clear()
    manager = personas.members[Role.MANAGER].user
    services.idea_start_screening(actor=manager, idea=idea)
    other = Idea.objects.get(pk=idea.pk)
    services.idea_decline(actor=manager, idea=other, reason="Too costly.")
    unsubscribe = re.sub(r"^https?://[^/]+", "", _link(mail.outbox[-1], "unsubscribe"))
    assert "Too costly." in mail.outbox[-1].body
    client = Client()
    assert "Stop the emails" in client.get(unsubscribe).content.decode()
    assert Idea.objects.get(pk=idea.pk).originator_unsubscribed_at is None, "opening the link changes nothing"
    client.post(unsubscribe)
    assert Idea.objects.get(pk=idea.pk).originator_unsubscribed_at is not None
    mail.outbox.clear()
    from innovation.services import originators

    originators.originator_tell(idea=Idea.objects.get(pk=idea.pk), subject="Anything", body="More news")
    assert mail.outbox == []
    assert client.post(unsubscribe.replace("unsubscribe/", "unsubscribe/x")).status_code == 404


def test_someone_staff_logged_an_idea_for_hears_it_was_declined_and_the_author_too(personas, area):
    officer = personas.members[Role.OFFICER].user
    idea = services.idea_create(
        actor=officer,
        organisation=personas.council,
        title="Benches in the park",
        problem="p",
        proposal="x",
        source="service_user",
        service_areas=[area],
        originator_name="Mr Patel",
        originator_email="Patel@Example.org",
        originator_consent=True,
    )
    services.idea_decline(actor=personas.members[Role.MANAGER].user, idea=idea, reason="No budget this year.")
    by_address = {tuple(m.to): m for m in mail.outbox}
    assert "No budget this year." in by_address[("patel@example.org",)].body
    assert "unsubscribe" in by_address[("patel@example.org",)].body
    assert "Mr Patel, for whom you logged it, is told too." in by_address[(officer.email,)].body


def test_staff_cannot_record_an_email_address_without_consent(personas, area):
    with pytest.raises(services.InnovationError):
        services.idea_create(
            actor=personas.members[Role.OFFICER].user,
            organisation=personas.council,
            title="t",
            problem="p",
            proposal="x",
            source="staff",
            service_areas=[area],
            originator_name="Ann",
            originator_email="ann@example.org",
        )
    assert not Idea.objects.exists()


def test_a_merged_resident_idea_tells_the_resident(personas, campaign, area):
    idea = _resident_idea(Client(), campaign)
    into = services.idea_create(
        actor=personas.members[Role.OFFICER].user,
        organisation=personas.council,
        title="Grit",
        problem="p",
        proposal="x",
        source="staff",
        service_areas=[area],
    )
    mail.outbox.clear()
    services.idea_merge(actor=personas.members[Role.MANAGER].user, idea=idea, into=into)
    assert [m.to for m in mail.outbox] == [["rosa@example.org"]]
    assert "joined together" in mail.outbox[0].body


def test_a_public_idea_cannot_be_sent_back_for_clarification(personas, campaign):
    idea = _resident_idea(Client(), campaign)
    with pytest.raises(services.InnovationError):
        services.idea_request_clarification(actor=personas.members[Role.MANAGER].user, idea=idea, request="Where?")
    assert Idea.objects.get(pk=idea.pk).stage == IdeaStage.SUBMITTED


def test_a_partner_is_never_offered_as_a_risk_owner_nor_sent_the_councils_lessons(personas):
    from risk.forms import people_of
    from sharing.models import ServiceFollow
    from sharing.notices import new_lessons_summary

    partner = personas.members[Role.PARTNER].user
    assert partner not in people_of(personas.council)
    assert personas.members[Role.OFFICER].user in people_of(personas.council)
    from tests.conftest import Personas
    from tests.test_tenancy import _lesson

    theirs = Personas(council=None, other_council=personas.council, members={}, outsider=personas.members[Role.OFFICER])
    lesson = _lesson(theirs)  # the council's internal lesson
    type(lesson).objects.filter(pk=lesson.pk).update(published_at=timezone.now())
    ServiceFollow.objects.create(user=partner, service=lesson.service)
    assert new_lessons_summary(partner, timezone.now() - dt.timedelta(days=7)) == ""
    ServiceFollow.objects.create(user=personas.members[Role.OFFICER].user, service=lesson.service)
    assert lesson.title in new_lessons_summary(
        personas.members[Role.OFFICER].user, timezone.now() - dt.timedelta(days=7)
    )

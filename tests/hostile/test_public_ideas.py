"""Hostile input through the pages people outside the council use: a campaign's public page (no
sign-in at all), its likely-duplicate hints, the links in its emails, and a partner's idea form."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from innovation import services
from innovation.models import Idea, IdeaSubmission
from innovation.views import public as public_views
from portfolio.models import Service, ServiceArea
from tests.hostile.test_forms import PAYLOAD, _assert_nothing_executes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def campaign(personas, settings):
    settings.PUBLIC_IDEA_MIN_SECONDS = 0
    area = ServiceArea.objects.create(organisation=personas.council, name="Parks", service=Service.choices[0][0])
    return services.campaign_create(
        actor=personas.members[Role.MANAGER].user,
        organisation=personas.council,
        title="Parks",
        question="Q",
        deadline=timezone.localdate() + dt.timedelta(days=9),
        service_areas=[area],
        is_public=True,
        partner_organisations=[personas.members[Role.PARTNER].partner_organisation],
    )


def test_hostile_public_idea_is_refused_clearly_or_confirmed_whole_and_escaped_for_every_reader(personas, campaign):
    client = Client()
    url = reverse("public:idea", args=[campaign.pk])
    data = {"title": PAYLOAD[:200], "problem": PAYLOAD, "proposal": PAYLOAD, "name": PAYLOAD[:150]}
    data |= {"email": PAYLOAD, "consent": PAYLOAD, "website": "", "shown": public_views._shown_now()}
    refused = client.post(url, data)
    assert b"govuk-error-summary" in refused.content and not IdeaSubmission.objects.exists()
    _assert_nothing_executes(refused.content, "the refused public idea form")
    data["email"] = "resident@example.org"
    assert client.post(url, data).status_code == 302
    link = re.search(r"http://\S+/have-your-say/confirm/\S+/", mail.outbox[-1].body).group(0)
    confirm = re.sub(r"^https?://[^/]+", "", link)
    _assert_nothing_executes(client.get(confirm).content, "the confirm page")
    _assert_nothing_executes(client.post(confirm).content, "the confirmed page")
    idea = Idea.objects.get()
    assert idea.title == PAYLOAD[:200] and idea.problem == PAYLOAD, "saved whole"
    staff = personas.client_for(personas.members[Role.MANAGER])
    for page in (reverse("innovation:idea-list"), idea.get_absolute_url(), campaign.get_absolute_url()):
        _assert_nothing_executes(staff.get(page).content, f"the staff page {page}")
    hints = client.get(reverse("public:similar", args=[campaign.pk]), {"title": PAYLOAD})
    _assert_nothing_executes(hints.content, "the public hints")


@pytest.mark.parametrize("name", ["public:confirm", "public:unsubscribe"])
def test_hostile_tokens_in_email_links_are_a_plain_not_found(name):
    for token in ["x", PAYLOAD.replace("/", ""), "e30:1abc:" + "A" * 400, "..%2f..%2fetc"]:
        response = Client().post(reverse(name, args=[token]))
        assert response.status_code == 404
        _assert_nothing_executes(response.content, name)


def test_hostile_partner_idea_is_escaped_on_their_list_and_the_hints(personas, campaign):
    partner = personas.client_for(personas.members[Role.PARTNER])
    url = reverse("innovation:partner-campaign", args=[campaign.pk])
    response = partner.post(url, {"title": PAYLOAD[:200], "problem": PAYLOAD, "proposal": PAYLOAD})
    assert response.status_code == 302
    _assert_nothing_executes(partner.get(reverse("innovation:partner-idea-list")).content, "the partner's ideas")
    hints = partner.get(reverse("innovation:partner-similar", args=[campaign.pk]), {"title": PAYLOAD})
    _assert_nothing_executes(hints.content, "the partner's hints")

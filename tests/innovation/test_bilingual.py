"""Campaigns and records of decision in Welsh and English (issue 20 part 2): written in one
language, optionally given in the other; each reader sees their own language first, with a note
when only the other exists, and the public pages do the same."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.bilingual import Language
from accounts.models import Role
from innovation import services
from innovation.api import DecisionSerializer
from innovation.models import Campaign, Decision, DecisionArrangement
from tests.innovation.test_decision_records import APPROVAL_FORM

pytestmark = pytest.mark.django_db

WINTER_ROADS = {"title": "Winter roads", "question": "How could we keep pavements safe in winter?"}
FFYRDD = {
    "title_translation": "Ffyrdd yn y gaeaf",
    "question_translation": "Sut gallem ni gadw palmentydd yn ddiogel yn y gaeaf?",
}


def _reader(language, client=None):
    client = client or Client()
    client.cookies["django_language"] = language
    return client


def _campaign(personas, **fields):
    return services.campaign_create(
        actor=personas.members[Role.MANAGER].user,
        organisation=personas.council,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        is_public=True,
        **{**WINTER_ROADS, **fields},
    )


def test_a_public_campaign_in_both_languages_shows_each_reader_their_own(personas):
    campaign = _campaign(personas, **FFYRDD)
    url = reverse("public:campaign", args=[campaign.pk])
    welsh = _reader("cy").get(url).content.decode()
    assert '<h1 class="govuk-heading-xl" lang="cy">Ffyrdd yn y gaeaf</h1>' in welsh
    assert FFYRDD["question_translation"] in welsh and "Winter roads" not in welsh
    assert 'id="language-note"' not in welsh
    english = _reader("en-gb").get(url).content.decode()
    assert '<h1 class="govuk-heading-xl" lang="en">Winter roads</h1>' in english
    assert "Ffyrdd" not in english


def test_a_campaign_only_in_english_tells_a_welsh_reader_so(personas):
    campaign = _campaign(personas)
    welsh = _reader("cy").get(reverse("public:campaign", args=[campaign.pk])).content.decode()
    assert "Mae’r ymgyrch hon ar gael yn Saesneg yn unig" in welsh
    assert 'lang="en">Winter roads</h1>' in welsh
    staff = _reader("cy", personas.client_for(personas.members[Role.OFFICER]))
    assert "Mae’r ymgyrch hon ar gael yn Saesneg yn unig" in staff.get(campaign.get_absolute_url()).content.decode()


def test_a_campaign_only_in_welsh_tells_an_english_reader_so(personas):
    campaign = _campaign(personas, language=Language.WELSH, title="Ffyrdd", question="Sut?")
    english = _reader("en-gb").get(reverse("public:campaign", args=[campaign.pk])).content.decode()
    assert "This campaign is only available in Welsh" in english and 'lang="cy">Ffyrdd</h1>' in english


def test_the_campaign_form_saves_both_languages_and_refuses_half_a_translation(personas):
    client = _reader("en-gb", personas.client_for(personas.members[Role.MANAGER]))
    deadline = timezone.localdate() + dt.timedelta(days=10)
    data = {**WINTER_ROADS, "deadline": deadline.isoformat(), "language": "en-gb"}
    url = reverse("innovation:campaign-create")
    assert 'name="question_translation"' in client.get(url).content.decode()
    html = client.post(url, {**data, "title_translation": "Ffyrdd yn y gaeaf"}).content.decode()
    assert "There is a problem" in html
    assert "Enter the question in the other language, or leave all of the other language empty" in html
    assert not Campaign.objects.exists()
    response = client.post(url, {**data, **FFYRDD})
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert (campaign.language, campaign.title_translation, campaign.question_translation) == (
        "en-gb",
        FFYRDD["title_translation"],
        FFYRDD["question_translation"],
    )


def test_another_organisation_still_cannot_open_a_bilingual_campaign(personas):
    campaign = _campaign(personas, **FFYRDD)
    outsider = _reader("cy", personas.client_for(personas.outsider))
    assert outsider.get(campaign.get_absolute_url()).status_code == 404


def _decide(personas, advance, **extra):
    project = advance("awaiting_approval")
    client = personas.client_for(personas.members[Role.MEMBER])
    response = client.post(reverse("innovation:project-decide", args=[project.pk]), {**APPROVAL_FORM, **extra})
    assert response.status_code == 302, response.content.decode()
    DecisionArrangement.objects.create(organisation=personas.council, publish_decisions=True)
    return Decision.objects.get(project=project)


def test_a_published_decision_in_both_languages_shows_each_reader_their_own(personas, advance, risk_ready):
    decision = _decide(personas, advance, language="en-gb", rationale_translation="Gwerth da i drigolion.")
    assert (decision.language, decision.rationale_translation) == ("en-gb", "Gwerth da i drigolion.")
    url = reverse("public:decision", args=[personas.council.pk, decision.pk])
    welsh = _reader("cy").get(url).content.decode()
    assert 'id="decision-reasons" lang="cy">Gwerth da i drigolion.</p>' in welsh
    assert 'id="language-note"' not in welsh
    english = _reader("en-gb").get(url).content.decode()
    assert 'id="decision-reasons" lang="en">Good value for residents.</p>' in english
    # The API gives the reasons as written, and the other language beside them.
    row = DecisionSerializer(decision).data
    assert (row["reasons"], row["language"], row["reasons_translation"]) == (
        "Good value for residents.",
        "en-gb",
        "Gwerth da i drigolion.",
    )


def test_a_decision_only_in_english_tells_a_welsh_reader_so(personas, advance, risk_ready):
    decision = _decide(personas, advance)
    url = reverse("public:decision", args=[personas.council.pk, decision.pk])
    welsh = _reader("cy").get(url).content.decode()
    assert "Mae’r cofnod penderfyniad hwn ar gael yn Saesneg yn unig" in welsh
    assert 'lang="en">Good value for residents.</p>' in welsh
    assert DecisionSerializer(decision).data["reasons_translation"] == ""


def test_a_decision_only_in_welsh_tells_an_english_reader_so(personas, advance, risk_ready):
    decision = _decide(personas, advance, language="cy", rationale="Gwerth da i drigolion.")
    url = reverse("public:decision", args=[personas.council.pk, decision.pk])
    english = _reader("en-gb").get(url).content.decode()
    assert "This record of decision is only available in Welsh" in english
    assert 'lang="cy">Gwerth da i drigolion.</p>' in english

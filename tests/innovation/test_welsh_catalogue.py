"""Innovation's public and partner pages, form labels, evidence levels and refusals in Welsh; the
English unchanged."""

import datetime as dt
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.models import Role
from innovation import evidence, services
from innovation.models import KeyDecisionThreshold, ProjectStage
from innovation.services.base import InnovationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh_catalogue(tmp_path, settings):
    # The .mo file is built at install and not kept in git, so compile the catalogue here.
    source = Path(django_settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    target = tmp_path / "cy" / "LC_MESSAGES"
    target.mkdir(parents=True)
    polib.pofile(str(source)).save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path]  # the setting_changed signal resets Django's loaded catalogues


@pytest.fixture
def campaign(personas):
    return services.campaign_create(
        actor=personas.members[Role.MANAGER].user,
        organisation=personas.council,
        title="Winter roads",
        question="How could we keep pavements safe in winter?",
        deadline=timezone.localdate() + dt.timedelta(days=30),
        is_public=True,
    )


def _client(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


def test_a_campaigns_public_pages_are_in_welsh(welsh_catalogue, campaign):
    start = _client("cy").get(reverse("public:campaign", args=[campaign.pk])).content.decode()
    assert "Dechrau nawr" in start
    assert "Beth sy'n digwydd nesaf" in start
    assert "Start now" not in start
    form = _client("cy").get(reverse("public:idea", args=[campaign.pk])).content.decode()
    assert escape("Rhowch deitl byr i'ch syniad") in form  # a form's label
    assert "Anfon fy syniad" in form


def test_the_english_pages_are_unchanged(welsh_catalogue, campaign):
    start = _client("en-gb").get(reverse("public:campaign", args=[campaign.pk])).content.decode()
    assert "Start now" in start and "What happens next" in start
    assert "Dechrau nawr" not in start


def test_the_forward_plan_is_in_welsh(welsh_catalogue, personas):
    KeyDecisionThreshold.objects.create(organisation=personas.council, amount=500000)
    page = _client("cy").get(reverse("public:forward-plan", args=[personas.council.pk])).content.decode()
    assert "Blaengynllun penderfyniadau allweddol" in page
    assert "Nid oes penderfyniadau allweddol ar y blaengynllun." in page


def test_stages_levels_and_refusals_are_in_welsh(welsh_catalogue, personas):
    with translation.override("cy"):
        assert str(ProjectStage.AWAITING_APPROVAL.label) == "Yn aros am gymeradwyaeth"
        assert str(evidence.LEVELS[1].label) == "Lefel 2: data sy'n dangos newid"
        assert evidence.DEFINITIONS[1].startswith("Gallwch ddweud beth mae'r prosiect")
        with pytest.raises(InnovationError, match="Rhaid i'r dyddiad cau fod heddiw neu yn y dyfodol."):
            services.campaign_create(
                actor=personas.members[Role.MANAGER].user,
                organisation=personas.council,
                title="Too late",
                question="?",
                deadline=timezone.localdate() - dt.timedelta(days=1),
            )
    assert str(evidence.LEVELS[1].label) == "Level 2: data showing change"

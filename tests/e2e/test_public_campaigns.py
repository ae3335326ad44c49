"""Ideas from outside the council, in a real browser: a resident gives an idea on a campaign's
public page (likely duplicates shown as they type), confirms their email address and hears it was
accepted; a partner sees only the campaigns opened to their organisation. Axe clean at desktop
and at 375px, and no page wider than a phone."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import PartnerOrganisation, Role, User
from innovation import services
from innovation.models import Idea
from innovation.services import outsiders

pytestmark = pytest.mark.e2e
PHONE = {"width": 375, "height": 812}


def _axe_both(page, axe_check):
    axe_check(page)
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    axe_check(page)
    # These pages need a campaign opened to the public or a partner, which the demo does not
    # seed, so the phone walk (tests/e2e/test_phone_width.py) leaves them to this check.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"
    page.set_viewport_size(original)


def _campaign(demo, title: str, **kwargs):
    organisation = demo.organisations["ashby"]
    return services.campaign_create(
        actor=User.objects.get(email=demo.email("ashby", Role.MANAGER)),
        organisation=organisation,
        title=title,
        question="How could we keep pavements safe in winter?",
        deadline=timezone.localdate() + dt.timedelta(days=30),
        **kwargs,
    )


def test_a_resident_gives_an_idea_on_a_public_page_and_hears_it_was_accepted(
    page, demo, settings, axe_check, screenshot
):
    settings.PUBLIC_IDEA_MIN_SECONDS = 0  # a browser test types faster than a person
    campaign = _campaign(demo, "Winter roads", is_public=True)
    earlier = outsiders.submission_create(
        campaign=campaign,
        title="Grit bins on every hill",
        problem="Icy hills",
        proposal="Bins",
        name="Earlier Resident",
        email="earlier@example.org",
        consent=True,
    )
    outsiders.submission_confirm(submission=earlier)
    mail.outbox.clear()

    page.goto(f"/have-your-say/{campaign.pk}/")
    expect(page.get_by_role("heading", name="Winter roads")).to_be_visible()
    _axe_both(page, axe_check)
    screenshot(page, "public-campaign-start")
    page.get_by_role("button", name="Start now").click()

    page.get_by_label("Give your idea a short title").press_sequentially("Grit bins for steep streets")
    # After a pause in typing, ideas like it already given on this page (titles only).
    expect(page.locator("#duplicate-hints")).to_contain_text("Grit bins on every hill")
    expect(page.locator("#duplicate-hints")).not_to_contain_text("Earlier Resident")
    page.get_by_label("What problem would it solve?").fill("People slip on the steep streets near the school.")
    page.get_by_label("What is your idea?").fill("Put grit bins at the top of each steep street.")
    page.get_by_label("Your name").fill("Rosa Diaz")
    page.get_by_label("Your email address").fill("rosa@example.org")
    page.get_by_label("I agree to be emailed about my idea").check()
    _axe_both(page, axe_check)
    screenshot(page, "public-campaign-idea")
    page.get_by_role("button", name="Send my idea").click()
    # Without relying on the hint above, the same likely duplicate is shown before it is sent.
    page.get_by_role("button", name="Mine is different: send my idea").click()

    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    _axe_both(page, axe_check)
    assert not Idea.objects.filter(originator_email="rosa@example.org").exists()
    (message,) = mail.outbox
    link = re.search(r"http://\S+/have-your-say/confirm/\S+/", message.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    _axe_both(page, axe_check)
    page.get_by_role("button", name="Confirm and send my idea").click()
    expect(page.get_by_role("heading", name="Your idea has been sent")).to_be_visible()
    _axe_both(page, axe_check)
    screenshot(page, "public-campaign-confirmed")

    idea = Idea.objects.get(originator_email="rosa@example.org")
    manager = User.objects.get(email=demo.email("ashby", Role.MANAGER))
    mail.outbox.clear()
    services.idea_accept(actor=manager, idea=idea, owner=manager)
    (accepted,) = [m for m in mail.outbox if m.to == ["rosa@example.org"]]
    assert accepted.subject == "Your idea “Grit bins for steep streets” has been accepted"
    unsubscribe = re.search(r"http://\S+/have-your-say/unsubscribe/\S+/", accepted.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", unsubscribe))
    _axe_both(page, axe_check)
    page.get_by_role("button", name="Stop the emails").click()
    expect(page.get_by_role("heading", name="You will get no more emails about your ideas")).to_be_visible()


def test_a_partner_sees_only_the_campaigns_opened_to_their_organisation(page, demo, sign_in, axe_check, screenshot):
    vale = PartnerOrganisation.objects.get(organisation=demo.organisations["ashby"])
    _campaign(demo, "Damp homes", partner_organisations=[vale])
    _campaign(demo, "Staff only campaign")
    sign_in(page, demo.email("ashby", Role.PARTNER))
    expect(page.get_by_role("heading", name="Campaigns for you")).to_be_visible()
    expect(page.get_by_role("link", name="Damp homes")).to_be_visible()
    expect(page.get_by_text("Staff only campaign")).to_have_count(0)
    nav = page.locator("#navigation")
    expect(nav.get_by_role("link", name="Ideas", exact=True)).to_have_count(0)
    _axe_both(page, axe_check)
    screenshot(page, "partner-campaigns")

    page.get_by_role("link", name="Damp homes").click()
    page.get_by_label("Give your idea a short title").fill("Mould checks at every repair visit")
    page.get_by_label("What problem would it solve?").fill("Mould goes unreported.")
    page.get_by_label("What is your idea?").fill("Repair staff check for mould and report it.")
    _axe_both(page, axe_check)
    page.get_by_role("button", name="Send my idea").click()
    expect(page.get_by_role("heading", name="Your ideas")).to_be_visible()
    expect(page.get_by_role("cell", name="Waiting to be screened")).to_be_visible()
    _axe_both(page, axe_check)
    screenshot(page, "partner-ideas")

    assert page.goto("/ideas/").status == 403
    assert page.goto("/projects/").status == 403

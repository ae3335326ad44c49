"""A member volunteers to sponsor a project; its owner finds the notice on the notifications
page, follows its count in the header, and marks it read. Axe-clean at desktop and phone width."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from innovation import services
from innovation.models import Project
from portfolio.models import Service, ServiceArea
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def _axe_at_both_widths(page, axe_check):
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        axe_check(page)
    page.set_viewport_size(DESKTOP)


def test_a_member_volunteers_to_sponsor_and_the_owner_sees_it_in_the_inbox_and_marks_it_read(
    page, demo, sign_in, axe_check, screenshot
):
    ashby = demo.organisations["ashby"]
    manager = User.objects.get(email=demo.email("ashby", "manager"))
    officer = User.objects.get(email=demo.email("ashby", "officer"))
    area = ServiceArea.objects.get_or_create(organisation=ashby, name="Waste", service=Service.WASTE)[0]
    idea = services.idea_create(
        actor=officer,
        organisation=ashby,
        title="Volunteer-sponsored text reminders",
        problem="Missed bins",
        proposal="A text the night before",
        source="staff",
        service_areas=[area],
    )
    project = services.idea_accept(actor=manager, idea=idea, owner=manager)

    sign_in(page, demo.email("ashby", "member"))
    page.goto(f"/projects/{project.pk}/")
    axe_check(page)
    page.get_by_role("button", name="Sponsor this project").click()
    expect(page.get_by_text("You now sponsor this project")).to_be_visible()
    expect(page.get_by_role("button", name="Sponsor this project")).to_have_count(0)
    assert Project.objects.get(pk=project.pk).sponsor.email == demo.email("ashby", "member")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    sign_in(page, demo.email("ashby", "manager"))
    header_link = page.get_by_role("link", name="Notifications")
    expect(header_link).to_contain_text("unread")
    header_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    notice = page.get_by_role("link", name="now sponsors “Volunteer-sponsored text reminders”")
    expect(notice).to_be_visible()
    _axe_at_both_widths(page, axe_check)
    screenshot(page, "notifications-inbox")

    page.get_by_role("button", name=re.compile(r"^Mark as read")).first.click()
    expect(page.get_by_text("Marked as read:")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Mark as read"))).to_have_count(0)
    _axe_at_both_widths(page, axe_check)
    page.get_by_role("link", name="now sponsors “Volunteer-sponsored text reminders”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Volunteer-sponsored text reminders")

"""The sector library in a real browser: a manager writes a lesson from a failed project, an
admin publishes it anonymously (DESIGN: managers publish internally, admins beyond), a user of
another council finds it by search and filter and asks to visit, and the host accepts.
Every page passes axe at WCAG 2.2 AA."""

from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role, User
from innovation.models import Evaluation, ProjectStage
from portfolio.models import Service, ServiceArea
from sharing.models import Lesson, Visibility, VisitRequest
from tests.factories import ProjectFactory

pytestmark = pytest.mark.e2e

ASHBY = "Ashby Vale District Council"


def _failed_project(organisation, owner):
    project = ProjectFactory(
        organisation=organisation, owner=owner, stage=ProjectStage.CLOSED, title="Repairs chatbot pilot"
    )
    project.service_areas.add(
        ServiceArea.objects.get_or_create(organisation=organisation, name="Housing", service=Service.HOUSING)[0]
    )
    Evaluation.objects.create(
        organisation=organisation,
        project=project,
        outcome=Evaluation.Outcome.DID_NOT_SUCCEED,
        summary="Calls did not fall.",
        actual_one_off_cost=Decimal("45000"),
        actual_running_cost=Decimal("12000"),
        actual_benefit=Decimal("8000"),
        value_for_money="Poor.",
        transferability=3,
        transferability_reasons="Depends on tenants' habits.",
        recorded_by=owner,
    )
    return project


def _sign_out(page):
    page.context.clear_cookies()


def test_failed_project_lesson_published_anonymously_found_and_visited(page, demo, sign_in, axe_check, screenshot):
    ashby = demo.organisations["ashby"]
    manager = User.objects.get(email=demo.email("ashby", Role.MANAGER))
    project = _failed_project(ashby, manager)

    # A manager writes the lesson and publishes it inside the council.
    sign_in(page, demo.email("ashby", Role.MANAGER))
    page.goto(f"/lessons/new/?project={project.pk}")
    axe_check(page)
    page.get_by_label("Title", exact=True).fill("A repairs chatbot that tenants did not use")
    page.get_by_label("Summary", exact=True).fill("Tenants wanted to speak to someone, so calls did not fall.")
    page.get_by_label("Service").select_option(Service.HOUSING)
    page.get_by_label("What was tried", exact=True).fill("A chatbot for repairs, run by Tom Okafor at Ashby Vale.")
    page.get_by_label("What happened", exact=True).fill("Most chats ended with a request to speak to someone.")
    page.get_by_label("What did not work, and why", exact=True).fill("We did not test the script with tenants.")
    page.get_by_label("Contact name").fill("Tom Okafor")
    page.get_by_label("Contact email address").fill("tom.okafor@ashby.example")
    page.get_by_role("button", name="Save lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A repairs chatbot that tenants did not use")
    expect(page.get_by_text("Did not succeed").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Publish").click()
    expect(page.get_by_label("Anonymised")).to_have_count(0)  # a manager publishes internally only
    page.get_by_label("Internal").check()
    axe_check(page)
    page.get_by_role("button", name="Publish").click()
    lesson = Lesson.objects.get()
    assert lesson.visibility == Visibility.INTERNAL and lesson.published_at is not None
    _sign_out(page)

    # An admin publishes it to the sector anonymously: the safe space for failures.
    sign_in(page, demo.email("ashby", Role.ADMIN))
    page.goto(lesson.get_absolute_url())
    page.get_by_role("link", name="Change who can read it").click()
    page.get_by_label("Anonymised").check()
    page.get_by_role("button", name="Publish").click()
    # First the preview of exactly what other councils will read, which the admin confirms.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what other organisations will see")
    expect(page.locator("#preview")).not_to_contain_text("Okafor")
    axe_check(page)
    screenshot(page, "sharing-anonymised-preview")
    page.get_by_role("button", name="Publish anonymously").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you have checked the preview")
    page.get_by_label("I have checked the preview").check()
    page.get_by_role("button", name="Publish anonymously").click()
    expect(page.get_by_text("Other organisations see this lesson without your organisation’s name")).to_be_visible()
    _sign_out(page)

    # An officer of another council finds it by search and filter.
    sign_in(page, demo.email("kingsmere", Role.OFFICER))
    page.get_by_role("link", name="Library").first.click()
    axe_check(page)
    page.get_by_label("Search lessons").fill("chatbot repairs")
    page.get_by_label("Outcome").select_option("did_not_succeed")
    page.get_by_label("Service area").select_option(Service.HOUSING)
    page.get_by_label("Region").select_option(label="London")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="0 lessons")).to_be_visible()
    # Ashby Vale is one of 29 district councils in the East Midlands: the region is shown and found.
    expect(page.get_by_label("Region")).to_have_value("london")
    page.get_by_label("Region").select_option(label="East Midlands")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 lesson")).to_be_visible()
    card = page.locator(".lantern-lesson-card")
    expect(card.get_by_text("East Midlands")).to_be_visible()
    axe_check(page)
    screenshot(page, "sharing-library-search")
    page.get_by_role("link", name="A repairs chatbot that tenants did not use").click()
    content = page.locator("main").inner_text()
    for secret in ("Ashby", "Tom Okafor", "Okafor", "tom.okafor@ashby.example"):
        assert secret not in content
    expect(page.get_by_text("An anonymised district council").first).to_be_visible()
    assert "Region: East Midlands" in content
    axe_check(page)
    screenshot(page, "sharing-anonymised-lesson")

    # …and asks to visit.
    page.get_by_role("link", name="Ask to visit").click()
    axe_check(page)
    page.get_by_label("A visit of our own").check()
    page.get_by_label("What you would like to see, and when").fill("Two of us would like to visit in March.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Your visit request has been sent")).to_be_visible()
    visit = VisitRequest.objects.get()
    _sign_out(page)

    # The host accepts; both sides are emailed.
    mail.outbox.clear()
    sign_in(page, demo.email("ashby", Role.MANAGER))
    page.goto("/visits/")
    axe_check(page)
    page.get_by_role("link", name="Answer").click()
    axe_check(page)
    page.get_by_label("Accept").check()
    page.get_by_label("Your reply").fill("Come on 4 March at 10am; ask for the repairs team.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Your answer has been sent")).to_be_visible()
    visit.refresh_from_db()
    assert visit.status == VisitRequest.Status.ACCEPTED
    recipients = {address for message in mail.outbox for address in message.to}
    assert demo.email("kingsmere", Role.OFFICER) in recipients
    assert demo.email("ashby", Role.MANAGER) in recipients


def test_anonymous_visitors_see_the_public_library(page, axe_check):
    page.goto("/library/")
    expect(page.get_by_role("heading", name="Sector library")).to_be_visible()
    expect(page.get_by_text("You are seeing lessons published to the public")).to_be_visible()
    axe_check(page)

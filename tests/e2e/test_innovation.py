"""The innovation lifecycle in a real browser: an officer logs an idea; a manager screens it
and writes the business case; a member approves it; the manager records milestones and an
evaluation and closes it. Each role is refused the steps that are not theirs, and every
page on the way passes axe at WCAG 2.2 AA."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from innovation.models import Idea, Project
from portfolio.models import Service, ServiceArea

pytestmark = pytest.mark.e2e


@pytest.fixture
def areas(demo):
    ashby = demo.organisations["ashby"]
    return [
        ServiceArea.objects.get_or_create(organisation=ashby, name="Waste and recycling", service=Service.WASTE)[0],
        ServiceArea.objects.get_or_create(organisation=ashby, name="Housing", service=Service.HOUSING)[0],
    ]


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _refused(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 403, f"{path} answered {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")


def _complete_risk_assessment(project: Project, demo) -> None:
    """The risk register is the risk app's journey (tests/e2e/test_risk.py); here it is simply done."""
    from risk import services as risk_services

    manager = User.objects.get(email=demo.email("ashby", "manager"))
    for title, category in (("Supplier is late", "delivery"), ("Missed bins keep rising", "missed_opportunity")):
        risk_services.risk_create(
            actor=manager,
            project=project,
            title=title,
            category=category,
            inherent_likelihood=3,
            inherent_impact=3,
            owner=manager,
            residual_likelihood=2,
            residual_impact=2,
        )
    risk_services.assessment_update(actor=manager, project=project, summary="Worth it.", recommendation="Go ahead.")


def test_an_idea_becomes_an_approved_evaluated_project_with_each_role_refused_what_is_not_theirs(
    page, demo, sign_in, axe_check, screenshot, areas
):
    # An officer logs an idea; an empty form first shows the error summary.
    sign_in(page, demo.email("ashby", "officer"))
    page.get_by_role("link", name="Ideas", exact=True).click()
    axe_check(page)
    page.get_by_role("button", name="Log an idea").click()
    page.get_by_role("button", name="Save my idea").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a title")
    axe_check(page)
    page.get_by_label("Give your idea a short title").fill("Text reminders the night before bin day")
    page.get_by_label("What problem does it address?").fill("Missed bin collections cause complaints.")
    page.get_by_label("What do you propose?").fill("An opt-in text the evening before collection.")
    page.get_by_label("Waste and recycling").check()
    page.get_by_role("group", name="Where did the idea come from?").get_by_label("Staff").check()
    page.get_by_role("button", name="Save my idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Text reminders the night before bin day")
    expect(page.get_by_text("has been logged")).to_be_visible()
    axe_check(page)
    idea = Idea.objects.get()
    _refused(page, f"/ideas/{idea.reference}/screening/")
    _refused(page, f"/ideas/{idea.reference}/accept/")

    # A second officer's near-identical idea is shown the first before it is saved.
    page.goto("/ideas/new/")
    page.get_by_label("Give your idea a short title").fill("Bin day text reminders")
    page.get_by_label("What problem does it address?").fill("Missed bin collections.")
    page.get_by_label("What do you propose?").fill("Texts.")
    page.get_by_label("Waste and recycling").check()
    page.get_by_role("group", name="Where did the idea come from?").get_by_label("Staff").check()
    page.get_by_role("button", name="Save my idea").click()
    expect(page.locator("#likely-duplicates")).to_contain_text("Text reminders the night before bin day")
    axe_check(page)
    assert Idea.objects.count() == 1
    _sign_out(page)

    # A manager screens it and accepts it as a project they own.
    sign_in(page, demo.email("ashby", "manager"))
    page.goto(f"/ideas/{idea.reference}/")
    page.get_by_role("button", name="Screen this idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Text reminders the night before bin day")
    axe_check(page)
    page.get_by_role("link", name="Accept it as a project").click()
    page.get_by_label("Who will own the project?").select_option(label="Tom Okafor")
    axe_check(page)
    page.get_by_role("button", name="Accept this idea as a project").click()
    expect(page.locator("#project-stage")).to_have_text("Assessment")
    axe_check(page)
    project = Project.objects.get()

    # The business case, with its net values worked out.
    page.get_by_role("link", name="Write the business case").click()
    axe_check(page)
    page.get_by_label("Summary of the case").fill("Texts cost little and save return visits.")
    figures = {
        "Innovate": ("10000", "2000", "9000", "3"),
        "Improve incrementally": ("1000", "500", "1500", "3"),
        "Do nothing": ("0", "0", "0", "3"),
    }
    for option, (one_off, running, benefit, years) in figures.items():
        page.get_by_label(f"{option}: one-off cost (£)").fill(one_off)
        page.get_by_label(f"{option}: yearly running cost (£)").fill(running)
        page.get_by_label(f"{option}: yearly benefit (£)").fill(benefit)
        page.get_by_label(f"{option}: horizon in years").fill(years)
    page.get_by_role("group", name="Which option do you recommend?").get_by_label("Innovate").check()
    page.get_by_role("button", name="Save the business case").click()
    expect(page.locator('[data-net-value="innovate"]').first).to_have_text("£11,000")
    expect(page.locator('[data-net-value="incremental"]').first).to_have_text("£2,000")

    # A sponsoring member, then submit: refused until the risk assessment is complete.
    # The sponsor is not the member who decides: a sponsor may not be a project's only decision-maker.
    page.get_by_role("link", name="Change the sponsor").click()
    page.get_by_label("Cllr Owen Hughes").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Complete the risk assessment")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot go for approval yet")
    _complete_risk_assessment(project, demo)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("#project-stage")).to_have_text("Awaiting approval")
    _refused(page, f"/projects/{project.pk}/decision/")
    _sign_out(page)

    # The member decides, from their list of projects awaiting a decision.
    sign_in(page, demo.email("ashby", "member"))
    _refused(page, f"/projects/{project.pk}/business-case/")
    page.goto("/")
    page.get_by_role("link", name="My decisions").click()
    axe_check(page)
    page.get_by_role("link", name="Text reminders the night before bin day").click()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Select approve, reject or defer")
    axe_check(page)
    page.get_by_label("Approved").check()
    page.get_by_label("Your rationale").fill("Cheap to try and the risks are low.")
    page.get_by_label("No, I have no interest to declare").check()
    page.get_by_label("Why is the option “improve incrementally” rejected?").fill("Too slow to close the gap.")
    page.get_by_label("Why is the option “do nothing” rejected?").fill("The gap would widen.")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator("#project-stage")).to_have_text("Implementation")
    expect(page.get_by_text("Cheap to try and the risks are low.").first).to_be_visible()
    _sign_out(page)

    # The manager runs the project: a milestone, progress, then the evaluation and closure.
    sign_in(page, demo.email("ashby", "manager"))
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Title", exact=True).fill("Pilot on two rounds")
    page.get_by_label("Due date").fill("2030-03-31")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Pilot on two rounds")).to_be_visible()
    page.get_by_role("button", name="Update progress").click()
    page.get_by_label("Amber: at risk").check()
    page.get_by_label("Why is it at this status?").fill("Text supplier contract is late.")
    page.get_by_label("Spend to date (£)").fill("4000")
    axe_check(page)
    page.get_by_role("button", name="Save progress").click()
    page.get_by_role("button", name="End implementation and evaluate").click()
    page.get_by_role("button", name="Start evaluation").click()
    expect(page.locator("#project-stage")).to_have_text("Evaluation")
    page.get_by_role("button", name="Record the evaluation").click()
    page.get_by_label("Partly succeeded").check()
    page.get_by_label("What happened?").fill("Missed collections fell on one round but not the other.")
    page.get_by_label("Actual one-off cost (£)").fill("11000")
    page.get_by_label("Actual yearly running cost (£)").fill("2100")
    page.get_by_label("Actual yearly benefit (£)").fill("6000")
    page.get_by_label("Was it value for money?").fill("Just about.")
    page.get_by_role("group", name="How easily could other authorities adopt it?").get_by_label("4").check()
    page.get_by_label("Why?", exact=True).fill("Any council with a text service could copy it.")
    page.get_by_label("Level 2: data showing change").check()
    page.get_by_label("What supports this level?").fill("Missed collections on both rounds, before and after.")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Close the project").click()
    page.get_by_role("button", name="Close the project").click()
    expect(page.locator("#project-stage")).to_have_text("Closed")
    expect(page.get_by_text("Partly succeeded")).to_be_visible()
    axe_check(page)
    screenshot(page, "innovation-project-closed")
    page.get_by_role("link", name="Projects", exact=True).click()
    page.get_by_role("link", name="See the pipeline").click()
    expect(page.locator("#pipeline-stages")).to_contain_text("Closed")
    axe_check(page)
    expect(page).to_have_url(re.compile(r"/projects/pipeline/$"))


def test_a_manager_runs_a_campaign_and_scores_an_idea_and_anyone_sets_their_emails(
    page, demo, sign_in, axe_check, areas
):
    sign_in(page, demo.email("ashby", "manager"))
    page.goto("/campaigns/")
    page.get_by_role("button", name="Start a campaign").click()
    page.get_by_label("Title", exact=True).fill("Cleaner streets")
    page.get_by_label("What question should ideas answer?").fill("How could we cut fly-tipping?")
    page.get_by_label("Deadline").fill("2099-12-31")
    axe_check(page)
    page.get_by_role("button", name="Open the campaign").click()
    expect(page.get_by_text("is open for ideas")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Answer this campaign with an idea").click()
    page.get_by_label("Give your idea a short title").fill("Cameras at fly-tipping hot spots")
    page.get_by_label("What problem does it address?").fill("Fly-tipping in three lay-bys.")
    page.get_by_label("What do you propose?").fill("Movable cameras.")
    page.get_by_label("Housing").check()
    page.get_by_role("group", name="Where did the idea come from?").get_by_label("Staff").check()
    page.get_by_role("button", name="Save my idea").click()
    expect(page.get_by_role("link", name="Cleaner streets")).to_be_visible()

    # Screening: the manager asks themselves to score as lead assessor, then scores.
    page.get_by_role("button", name="Screen this idea").click()
    page.get_by_label("Who should score this idea?").select_option(label="Tom Okafor")
    page.get_by_label("Make them the lead assessor").check()
    page.get_by_role("button", name="Ask them to score").click()
    expect(page.get_by_text("not yet scored").first).to_be_visible()
    axe_check(page)
    page.goto(page.url.replace("/screening/", "/score/"))
    for legend in ("Fit with the gap", "Benefit to users", "Feasibility", "Cost"):
        page.get_by_role("group", name=re.compile(legend)).get_by_label("4", exact=True).check()
    axe_check(page)
    page.get_by_role("button", name="Save my scores").click()
    page.get_by_role("button", name="Screen this idea").click()
    expect(page.get_by_role("row", name=re.compile("Weighted average"))).to_contain_text("4.00")

    page.goto("/notifications/")
    page.get_by_role("group", name="Your idea has been screened").get_by_label("In a daily digest").check()
    axe_check(page)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your email settings have been saved.")).to_be_visible()
    expect(
        page.get_by_role("group", name="Your idea has been screened").get_by_label("In a daily digest")
    ).to_be_checked()

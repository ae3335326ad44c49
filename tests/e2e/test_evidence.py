"""Levels of evidence in a real browser (issue 18): a manager records the evaluation's level with
what supports it, closes the project and writes its lesson; the library shows the level on the
lesson's card and filters by it; an admin sets a scale-up gate, which the manager then meets.
Every page passes axe, at desktop and phone widths, and fits a 375px phone."""

import pytest
from playwright.sync_api import expect

from innovation.models import Project
from sharing.models import Lesson
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_evaluation import evaluating  # noqa: F401 (the fixture: a project in evaluation)

pytestmark = pytest.mark.e2e

LEVEL_3 = "Level 3: a comparison group showing causality"


def _checked_at_both_widths(page, axe_check, screenshot=None, name=""):
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        axe_check(page)
    if screenshot:
        screenshot(page, name)


def test_a_level_recorded_on_the_evaluation_shows_on_the_lesson_in_the_library_and_filters_it(
    page,
    demo,
    sign_in,
    axe_check,
    screenshot,
    evaluating,  # noqa: F811
):
    sign_in(page, demo.email("ashby", "manager"))
    page.goto(f"/projects/{evaluating.pk}/evaluation/")
    page.get_by_label("Succeeded", exact=True).check()
    page.get_by_label("What happened?").fill("Empty homes were let a week faster.")
    page.get_by_label("Actual yearly running cost (£)").fill("2000")
    page.get_by_label("Actual yearly benefit (£)").fill("9000")
    page.get_by_label("Was it value for money?").fill("Yes.")
    page.get_by_role("group", name="How easily could other authorities adopt it?").get_by_label("4").check()
    page.get_by_label("Why?", exact=True).fill("Any landlord council could do it.")
    page.get_by_label(LEVEL_3).check()
    page.get_by_label("What supports this level?").fill("Days to re-let, from the imported quarters.")
    page.get_by_role("button", name="Save").click()
    # Level 3 without its comparison group: refused, with the error summary, nothing typed lost.
    expect(page.get_by_role("alert")).to_contain_text("Describe the comparison group")
    expect(page.get_by_label("What supports this level?")).to_have_value("Days to re-let, from the imported quarters.")
    _checked_at_both_widths(page, axe_check, screenshot, "evidence-evaluation-form-error")
    page.get_by_label("The comparison group (level 3 and above)").fill("Homes let by the old process in 2024.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The evaluation has been saved.")).to_be_visible()
    expect(page.locator("#evidence-level")).to_contain_text(LEVEL_3)
    expect(page.locator("#evidence-level")).to_contain_text("Comparison group: Homes let by the old process in 2024.")
    page.get_by_role("button", name="Close the project").click()
    page.get_by_role("button", name="Close the project").click()
    expect(page.locator("#scale-up")).to_be_visible()
    assert Project.objects.get(pk=evaluating.pk).stage == "closed"

    # The lesson, published inside the council, carries the level into the library.
    page.goto(f"/lessons/new/?project={evaluating.pk}")
    page.get_by_label("Title", exact=True).fill("Inspecting empty homes the day the keys come back")
    page.get_by_label("Summary", exact=True).fill("Homes were let a week faster.")
    page.get_by_label("Service").select_option("housing")
    page.get_by_label("What was tried", exact=True).fill("Inspections on the day.")
    page.get_by_label("What happened", exact=True).fill("Homes were let faster.")
    page.get_by_role("button", name="Save lesson").click()
    page.get_by_role("link", name="Publish").click()
    page.get_by_label("Internal").check()
    page.get_by_role("button", name="Publish").click()
    assert Lesson.objects.get(project=evaluating).evidence_level == 3

    page.goto("/library/")
    page.get_by_label("Level of evidence").select_option("3")
    page.get_by_label("Order").select_option("evidence")
    page.get_by_role("button", name="Search").click()
    card = page.locator(".lantern-lesson-card", has_text="Inspecting empty homes")
    expect(card).to_contain_text(LEVEL_3)
    expect(page.locator(".lantern-lesson-card", has_text="Level 2: data showing change")).to_have_count(0)
    page.get_by_text("What the levels of evidence mean").click()
    _checked_at_both_widths(page, axe_check, screenshot, "evidence-library-filtered")
    page.get_by_label("Level of evidence").select_option("4")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".lantern-lesson-card", has_text="Inspecting empty homes")).to_have_count(0)

    # An admin asks for level 4 before scaling up: the manager is told what is missing.
    page.context.clear_cookies()
    sign_in(page, demo.email("ashby", "admin"))
    page.goto("/evidence-gates/")
    page.get_by_label("Scaling up one of our projects needs").select_option("4")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The levels of evidence are saved.")).to_be_visible()
    _checked_at_both_widths(page, axe_check, screenshot, "evidence-gates")
    page.context.clear_cookies()
    sign_in(page, demo.email("ashby", "manager"))
    page.goto(f"/projects/{evaluating.pk}/scale-up/")
    expect(page.locator("#scale-up-refusal")).to_contain_text(
        "This project’s evaluation reached level 3 (a comparison group showing causality); "
        "scaling up needs level 4: independently replicated."
    )
    _checked_at_both_widths(page, axe_check, screenshot, "evidence-scale-up-refused")

"""The innovation lifecycle in Welsh, in a real browser: where to innovate, an idea, its business
case and risks, the member's decision, the project run and evaluated, and its lesson, with the
browser asking for Cymraeg. Every page is `<html lang="cy">`, passes axe at WCAG 2.2 AA and shows
no English that the catalogue translates; forms are filled by their Welsh labels, taken from
locale/cy/LC_MESSAGES/django.po, so that the journey proves the Welsh is there.

It is the journey of tests/e2e/test_innovation.py's first test (less the refusals, which are
not about language), started from the gap report and ended with the lesson written."""

from functools import cache
from pathlib import Path

import polib
import pytest
from django.utils.text import capfirst
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from innovation.models import Idea, Project
from portfolio.models import Service, ServiceArea
from tests.e2e.test_innovation import _complete_risk_assessment

pytestmark = pytest.mark.e2e

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "cy" / "LC_MESSAGES" / "django.po"

# What the journey's people write and the demo's names: their own words, shown as written.
THEIR_OWN_WORDS = {
    "Waste and recycling",
    "Housing",
    "Text reminders the night before bin day",
    "Pilot on two rounds",
}


@cache
def _catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


@cache
def _welsh() -> dict[str, str]:
    """Each English msgid (without a context) and its Welsh."""
    return {e.msgid: e.msgstr for e in _catalogue() if e.msgstr and not e.msgid_plural and not e.msgctxt}


def cy(english: str, **values) -> str:
    """The Welsh of an English string in the catalogue, its %(name)s filled from `values`. A form
    label drawn from a model field's lower-case verbose name ("title" shown as "Title") is
    found by that name."""
    welsh = _welsh()
    if english in welsh:
        text = welsh[english]
    elif english[:1].lower() + english[1:] in welsh:
        text = capfirst(welsh[english[:1].lower() + english[1:]])
    else:
        pytest.fail(f"No Welsh for {english!r} in {CATALOGUE.name}: is it marked, extracted and translated?")
    return text % values if values else text


@cache
def _english_only() -> frozenset[str]:
    """The English strings that must not be seen on a Welsh page: every msgid (and plural) whose
    Welsh differs, longer than three letters, and without placeholders (a line with a name or
    a number filled in cannot equal its msgid)."""
    english = set()
    for entry in _catalogue():
        for msgid in (entry.msgid, entry.msgid_plural):
            if msgid and len(msgid) > 3 and "%(" not in msgid and "{" not in msgid:
                welsh = entry.msgstr or next(iter(entry.msgstr_plural.values()), "")
                if welsh != msgid:
                    english.add(msgid.replace("%%", "%"))
    return frozenset(english - THEIR_OWN_WORDS)


def _english_on(page) -> list[str]:
    # innerText: the text a person sees, one line per block; visually hidden text (read out by
    # screen readers) is checked too, through the text nodes under .govuk-visually-hidden.
    # Text marked as another language (lang="en-GB": the switch's "English", or a person's own
    # words written in English) is not the interface's, so it is left out.
    lines = page.evaluate(
        """() => {
            const welsh = (el) => (el.closest("[lang]")?.getAttribute("lang") || "").toLowerCase().startsWith("cy");
            const others = [...document.body.querySelectorAll("[lang]")].filter((el) => !welsh(el));
            const shown = others.map((el) => el.style.display);
            others.forEach((el) => { el.style.display = "none"; });
            const lines = [
                ...document.body.innerText.split("\\n"),
                ...[...document.querySelectorAll(".govuk-visually-hidden")].filter(welsh).map((el) => el.textContent),
                document.title.split(" – ")[0],
            ];
            others.forEach((el, i) => { el.style.display = shown[i]; });
            return lines;
        }"""
    )
    english = _english_only()
    return sorted({line.strip() for line in lines if line.strip() in english})


@pytest.fixture
def welsh_page(page, live_server):
    """The shared `page`, its browser asking for Welsh (Django's language cookie)."""
    page.context.add_cookies([{"name": "django_language", "value": "cy", "url": live_server.url}])
    return page


@pytest.fixture
def check_welsh(axe_check):
    """`check_welsh(page)`: the page is lang="cy", passes axe, and shows no English that the
    catalogue translates."""

    def check(page) -> None:
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        english = _english_on(page)
        assert not english, f"English on the Welsh page {page.url}:\n  " + "\n  ".join(english)
        axe_check(page)

    return check


def _sign_in(page, check_welsh, email: str) -> None:
    """tests/e2e/conftest.py's sign_in, by the Welsh labels."""
    import base64
    from urllib.parse import urlparse

    from django.urls import reverse
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import fresh_totp_code

    page.goto("/sign-in/")
    check_welsh(page)
    page.get_by_label(cy("Email address")).fill(email)
    page.get_by_label(cy("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=cy("Sign in"), exact=True).click()
    page.wait_for_load_state()
    check_welsh(page)
    # As conftest's sign_in: the code page for someone with an app, the set-up page for someone
    # whose role needs one and has none yet, and neither for anyone else.
    path = urlparse(page.url).path
    if path == reverse("accounts:two-factor-verify"):
        code = fresh_totp_code(TOTPDevice.objects.get(user__email__iexact=email, confirmed=True))
    elif path == reverse("accounts:two-factor-setup"):
        secret = "".join(page.locator(".lantern-secret-key__group").all_inner_texts())
        code = f"{totp(base64.b32decode(secret)):06d}"
    else:
        return
    page.get_by_label(cy("Enter the code from your authenticator app")).fill(code)
    page.get_by_role("button", name=cy("Continue")).click()
    page.wait_for_load_state()
    check_welsh(page)


def _sign_out(page, check_welsh) -> None:
    page.get_by_role("button", name=cy("Sign out")).click()
    page.wait_for_load_state()
    check_welsh(page)


@pytest.fixture
def areas(demo):
    ashby = demo.organisations["ashby"]
    return [
        ServiceArea.objects.get_or_create(organisation=ashby, name="Waste and recycling", service=Service.WASTE)[0],
        ServiceArea.objects.get_or_create(organisation=ashby, name="Housing", service=Service.HOUSING)[0],
    ]


def test_the_innovation_lifecycle_in_welsh(welsh_page, check_welsh, demo, areas):
    page = welsh_page
    stage = page.locator("#project-stage")

    # The start page and the statements, before signing in.
    page.goto("/")
    check_welsh(page)
    page.get_by_role("link", name=cy("Accessibility statement")).click()
    check_welsh(page)
    page.get_by_role("link", name=cy("Privacy notice")).click()
    check_welsh(page)

    # A manager looks at where to innovate.
    _sign_in(page, check_welsh, demo.email("ashby", "manager"))
    page.get_by_role("link", name=cy("Where to innovate"), exact=True).click()
    check_welsh(page)
    _sign_out(page, check_welsh)

    # An officer logs an idea; an empty form first shows the error summary.
    _sign_in(page, check_welsh, demo.email("ashby", "officer"))
    page.get_by_role("link", name=cy("Ideas"), exact=True).click()
    check_welsh(page)
    page.get_by_role("button", name=cy("Log an idea")).click()
    page.get_by_role("button", name=cy("Save my idea")).click()
    expect(page.get_by_role("alert")).to_contain_text(cy("Enter a title"))
    assert page.title().startswith(cy("Error:") + " ")
    check_welsh(page)
    page.get_by_label(cy("Give your idea a short title")).fill("Text reminders the night before bin day")
    page.get_by_label(cy("What problem does it address?")).fill("Missed bin collections cause complaints.")
    page.get_by_label(cy("What do you propose?")).fill("An opt-in text the evening before collection.")
    page.get_by_label("Waste and recycling").check()
    page.get_by_role("group", name=cy("Where did the idea come from?")).get_by_label(cy("Staff")).check()
    page.get_by_role("button", name=cy("Save my idea")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Text reminders the night before bin day")
    check_welsh(page)
    idea = Idea.objects.get()
    _sign_out(page, check_welsh)

    # A manager screens it and accepts it as a project they own.
    _sign_in(page, check_welsh, demo.email("ashby", "manager"))
    page.goto(f"/ideas/{idea.reference}/")
    check_welsh(page)
    page.get_by_role("button", name=cy("Screen this idea")).click()
    check_welsh(page)
    page.get_by_role("link", name=cy("Accept it as a project")).click()
    page.get_by_label(cy("Who will own the project?")).select_option(label="Tom Okafor")
    check_welsh(page)
    page.get_by_role("button", name=cy("Accept this idea as a project")).click()
    expect(stage).to_have_text(cy("Assessment"))
    check_welsh(page)
    project = Project.objects.get()

    # The business case. Its figures' labels are made from the option's name, so are found by
    # their fields' names; the rest by their Welsh labels.
    page.get_by_role("link", name=cy("Write the business case")).click()
    check_welsh(page)
    page.get_by_label(cy("Summary of the case")).fill("Texts cost little and save return visits.")
    figures = {
        "innovate": ("10000", "2000", "9000", "3"),
        "incremental": ("1000", "500", "1500", "3"),
        "do_nothing": ("0", "0", "0", "3"),
    }
    for option, values in figures.items():
        for field, value in zip(("one_off_cost", "running_cost", "benefit", "years"), values, strict=True):
            page.locator(f'[name="{option}-{field}"]').fill(value)
    page.get_by_role("group", name=cy("Which option do you recommend?")).get_by_label(cy("Innovate")).check()
    page.get_by_role("button", name=cy("Save the business case")).click()
    expect(page.locator('[data-net-value="innovate"]').first).to_have_text("£11,000")
    check_welsh(page)

    # A sponsoring member, the risks, then submit for approval.
    page.get_by_role("link", name=f"{cy('Change')} {cy('the sponsor')}").click()
    check_welsh(page)
    page.get_by_label("Cllr Owen Hughes").check()
    page.get_by_role("button", name=cy("Save")).click()
    check_welsh(page)
    _complete_risk_assessment(project, demo)
    page.goto(f"/risk/projects/{project.pk}/")
    check_welsh(page)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("button", name=cy("Submit for approval")).click()
    check_welsh(page)
    page.get_by_role("button", name=cy("Submit for approval")).click()
    expect(stage).to_have_text(cy("Awaiting approval"))
    check_welsh(page)
    _sign_out(page, check_welsh)

    # The member decides, from their list of projects awaiting a decision.
    _sign_in(page, check_welsh, demo.email("ashby", "member"))
    page.get_by_role("link", name=cy("My decisions")).click()
    check_welsh(page)
    page.get_by_role("link", name="Text reminders the night before bin day").click()
    page.get_by_role("button", name=cy("Record my decision")).click()
    expect(page.get_by_role("alert")).to_contain_text(cy("Select approve, reject or defer"))
    check_welsh(page)
    page.get_by_label(cy("Approved")).check()
    page.get_by_label(cy("Your rationale: the reasons for your decision")).fill("Cheap to try and the risks are low.")
    page.get_by_label(cy("No, I have no interest to declare")).check()
    page.locator('[name="reason_incremental"]').fill("Too slow to close the gap.")
    page.locator('[name="reason_do_nothing"]').fill("The gap would widen.")
    page.get_by_role("button", name=cy("Record my decision")).click()
    expect(stage).to_have_text(cy("Implementation"))
    check_welsh(page)
    _sign_out(page, check_welsh)

    # The manager runs the project: a milestone, progress, then the evaluation and closure.
    _sign_in(page, check_welsh, demo.email("ashby", "manager"))
    page.goto(f"/projects/{project.pk}/")
    check_welsh(page)
    page.get_by_role("link", name=cy("Add a milestone")).click()
    page.get_by_label(cy("Title"), exact=True).fill("Pilot on two rounds")
    page.get_by_label(cy("Due date")).fill("2030-03-31")
    check_welsh(page)
    page.get_by_role("button", name=cy("Save")).click()
    expect(page.get_by_role("cell", name="Pilot on two rounds")).to_be_visible()
    check_welsh(page)
    page.get_by_role("button", name=cy("Update progress")).click()
    page.get_by_label(cy("Amber: at risk")).check()
    page.get_by_label(cy("Why is it at this status?")).fill("Text supplier contract is late.")
    page.get_by_label(cy("Spend to date (£)")).fill("4000")
    check_welsh(page)
    page.get_by_role("button", name=cy("Save progress")).click()
    check_welsh(page)
    page.get_by_role("button", name=cy("End implementation and evaluate")).click()
    check_welsh(page)
    page.get_by_role("button", name=cy("Start evaluation")).click()
    expect(stage).to_have_text(cy("Evaluation"))
    check_welsh(page)
    page.get_by_role("button", name=cy("Record the evaluation")).click()
    page.get_by_label(cy("Partly succeeded")).check()
    page.get_by_label(cy("What happened?")).fill("Missed collections fell on one round but not the other.")
    page.get_by_label(cy("Actual one-off cost (£)")).fill("11000")
    page.get_by_label(cy("Actual yearly running cost (£)")).fill("2100")
    page.get_by_label(cy("Actual yearly benefit (£)")).fill("6000")
    page.get_by_label(cy("Was it value for money?")).fill("Just about.")
    page.get_by_role("group", name=cy("How easily could other authorities adopt it?")).get_by_label("4").check()
    page.get_by_label(cy("Why?"), exact=True).fill("Any council with a text service could copy it.")
    page.get_by_label(cy("Level %(number)s: %(name)s") % {"number": 2, "name": cy("data showing change")}).check()
    page.get_by_label(cy("What supports this level?")).fill("Missed collections on both rounds, before and after.")
    check_welsh(page)
    page.get_by_role("button", name=cy("Save")).click()
    check_welsh(page)
    page.get_by_role("button", name=cy("Close the project")).click()
    check_welsh(page)
    page.get_by_role("button", name=cy("Close the project")).click()
    expect(stage).to_have_text(cy("Closed"))
    check_welsh(page)
    page.get_by_role("link", name=cy("Projects"), exact=True).click()
    check_welsh(page)

    # The lesson it taught, written from the project.
    page.get_by_role("link", name=cy("Lessons"), exact=True).click()
    check_welsh(page)
    page.goto(f"/lessons/new/?project={project.pk}")
    check_welsh(page)
    page.get_by_label(cy("Title"), exact=True).fill("Bin day texts work where rounds are reliable")
    page.get_by_label(cy("Summary"), exact=True).fill("Texts cut missed collections on the round that ran to time.")
    page.get_by_label(cy("Service")).select_option(Service.WASTE)
    page.get_by_label(cy("What was tried"), exact=True).fill("An opt-in text the evening before collection.")
    page.get_by_label(cy("What happened"), exact=True).fill("Missed collections fell on one round but not the other.")
    page.get_by_role("button", name=cy("Save lesson")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bin day texts work where rounds are reliable")
    check_welsh(page)

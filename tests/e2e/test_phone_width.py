"""Every page fits a 375px phone: no page scrolls sideways as a whole.

The page walk (tests/walk.py) fills every URL pattern from the demo data; each page is read, in
chromium at phone width, as the first role of one demo council that it lets in (a few rows of
each kind, at different stages). A table too wide for a phone scrolls inside its own labelled
region (`lantern-table-container`) instead of widening the page.
"""

import re

from django.db.models import Count
from playwright.sync_api import expect

from accounts import demo as accounts_demo
from innovation.models import Project, ProjectStage
from risk.models import Risk
from tests import walk
from tests.e2e.conftest import PHONE

PAGES_PER_PATTERN = 3
# The innermost elements that reach past the right edge of the screen: what makes a page wide.
_STICKING_OUT = """() => {
  const edge = document.documentElement.clientWidth + 0.5;
  const past = [...document.body.querySelectorAll("*")].filter(
    (el) => el.getBoundingClientRect().right > edge || el.getBoundingClientRect().left + el.scrollWidth > edge
  );
  const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other)));
  return innermost.slice(0, 3).map((el) => {
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
    const classes = [...el.classList].slice(0, 2).map((c) => "." + c).join("");
    return `${name}${classes} (${Math.round(el.getBoundingClientRect().right)}px)`;
  });
}"""


def _pages_and_readers(organisation) -> dict[str, tuple]:
    """URL name → (role, [URLs]): the first role in walk.ROLE_ORDER that opens the page, and up
    to PAGES_PER_PATTERN of its candidates that role opens (asked through Django's test client)."""
    people = walk.members(organisation)
    clients = {role: walk.client_for(people[role] if role else None) for role in walk.ROLE_ORDER}
    readers = {}
    for name, candidates in walk.candidate_urls(organisation).items():
        for role in walk.ROLE_ORDER:
            opened = []
            for url in candidates:
                if walk.read(clients[role], name, url) is not None:
                    opened.append(url)
                if len(opened) == PAGES_PER_PATTERN:
                    break
            if opened:
                readers[name] = (role, opened)
                break
        else:
            readers[name] = (None, [])
    return readers


def test_every_page_of_every_pattern_fits_a_phone_without_scrolling_sideways(
    transactional_db, browser, live_server, sign_in
):
    organisation = walk.prepare(walk.seed_demo())
    readers = _pages_and_readers(organisation)
    unopened = sorted(name for name, (_, urls) in readers.items() if not urls)
    assert not unopened, (
        "No role of the demo council opens these pages: fill them in tests/walk.py (KINDS or prepare), "
        f"or list them in NOT_PAGES with the reason: {unopened}"
    )

    by_role: dict = {}
    for role, urls in readers.values():
        by_role.setdefault(role, []).extend(urls)
    too_wide, read = [], 0
    for role, urls in by_role.items():
        context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(15_000)
        page = context.new_page()
        if role is not None:
            sign_in(page, accounts_demo.demo_email(walk.WALKED_SLUG, role))
        for url in urls:
            page.goto(url)
            read += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                culprits = ", ".join(page.evaluate(_STICKING_OUT))
                too_wide.append(f"{url} is {width}px wide (read as {role or 'someone signed out'}): {culprits}")
        context.close()

    # An emptied walk must not pass by reading nothing.
    assert len(readers) >= 85 and read >= 150, (len(readers), read)
    assert not too_wide, f"{len(too_wide)} pages are wider than a {PHONE['width']}px phone:\n  " + "\n  ".join(too_wide)


# The pages whose tables now scroll in their own region on a phone, and who reads each.
CHANGED_PAGES = {
    "manager": ["/ideas/", "/projects/", "/projects/pipeline/", "/performance/", "/lessons/", "/visits/"],
    "admin": ["/performance/import/"],
    "curator": ["/library/sector/"],
}


MIN_SCROLLING_TABLES = 9


def test_pages_whose_tables_scroll_on_a_phone_are_accessible_there(
    transactional_db, page, sign_in, axe_check, screenshot
):
    organisation = walk.prepare(walk.seed_demo())
    risk = Risk.objects.filter(organisation=organisation).annotate(n=Count("controls")).order_by("-n").first()
    project = Project.objects.filter(organisation=organisation, stage=ProjectStage.IMPLEMENTATION).first()
    pages = {
        **CHANGED_PAGES,
        "manager": [*CHANGED_PAGES["manager"], risk.get_absolute_url()],
        "officer": [project.get_absolute_url()],
    }
    regions = 0
    for role, urls in pages.items():
        page.context.clear_cookies()
        sign_in(page, accounts_demo.demo_email(walk.WALKED_SLUG, role))
        page.set_viewport_size(PHONE)
        for url in urls:
            page.goto(url)
            axe_check(page)
            if role == "officer":  # the project's page changed a link only; its tables fit
                continue
            # Each table scrolls in a region a keyboard can reach and a screen reader names.
            expect(page.locator("table.govuk-table:not(.lantern-table-container table)")).to_have_count(0)
            for region in page.locator(".lantern-table-container").all():
                expect(region).to_have_attribute("role", "region")
                expect(region).to_have_attribute("tabindex", "0")
                expect(region).to_have_attribute("aria-label", re.compile(r"\w"))
                regions += 1
            screenshot(page, "phone-walk" + url.rstrip("/").replace("/", "-"))
    # Pages that lost their tables, or a selector that no longer finds them, must not pass by checking none.
    assert regions >= MIN_SCROLLING_TABLES, regions

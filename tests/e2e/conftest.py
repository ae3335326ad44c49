"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Every helper here is shared by all of Lantern's browser tests; reuse them rather than
writing another set up:

- `page`: a fresh browser context per test (desktop, 1280 × 900) whose `base_url` is the
  live server, so `page.goto("/sign-in/")` works. It fails the test on any Content
  Security Policy violation, uncaught JavaScript error or missing static file.
- `sign_in(page, email, password=<demo password>, organisation=None)`: signs in through the
  real form and the two-factor code page, entering the code the person's app would show now
  (people from tests.factories pass `password=PASSWORD`; one who has no app yet sets one up
  from the key the set-up page shows).
- `give_two_factor_code(page, email)`: the two-factor step of `sign_in` on its own, for a
  test that stops on the way (choosing an organisation).
- `demo`: the demonstration organisations and people of `accounts.demo` (every role in
  three organisations, plus one person in two of them), with `demo.email(slug, role)`.
- `axe_check(page)`: fails on any axe-core violation of WCAG 2.2 AA.
- `screenshot(page, name)`: desktop and 375px-wide phone PNGs in test-artifacts/screenshots/.

We never download a browser (`playwright install`): the Playwright release pinned in
requirements-dev.txt is the one that drives the chromium Debian ships.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LANTERN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
GOVUK_JS = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "govuk-frontend.min.js"
APP_CSS = ROOT / "static" / "build" / "app.css"

# Reports each CSP violation to the test (through an exposed binding, which the page's
# own policy cannot block).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__lanternCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline code"} on ${document.location.pathname}`
  );
});
"""


def _is_browser_test(item) -> bool:
    return "tests/e2e/" in str(item.path).replace(os.sep, "/")


def pytest_collection_modifyitems(items):
    # Everything under tests/e2e is a browser test, so `-m "not e2e"` leaves them all out.
    # They run last: once Playwright has started, Django must be told that database calls
    # beside its event loop are deliberate (DJANGO_ALLOW_ASYNC_UNSAFE), and no other test
    # should run, or start a subprocess, with that set.
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=_is_browser_test)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        message = f"No chromium at {CHROMIUM}: install Debian's with `apt-get install -y chromium`"
        if _in_ci():
            pytest.fail(message + " (browser tests must run in CI)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which makes Django
    # refuse database calls from the test itself unless told that this is deliberate.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session", autouse=True)
def _front_end_assets():
    """GOV.UK Frontend from npm and our compiled stylesheet, rebuilt when the SCSS is newer."""
    if not GOVUK_JS.exists():
        pytest.fail("GOV.UK Frontend is not installed: run `make assets` (npm ci && npm run build)", pytrace=False)
    sources = list((ROOT / "static" / "scss").glob("**/*.scss"))
    if not APP_CSS.exists() or any(source.stat().st_mtime > APP_CSS.stat().st_mtime for source in sources):
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("static/build/app.css is missing or stale and npm is not installed: run `make assets`")
        subprocess.run([npm, "run", "--silent", "build"], cwd=ROOT, check=True)


@dataclass
class BrowserProblems:
    """What the browser complained about during one test."""

    csp: list[str] = field(default_factory=list)
    javascript: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@pytest.fixture
def page(browser, live_server, browser_problems):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    context.expose_function("__lanternCspViolation", lambda report: browser_problems.csp.append(report))
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            browser_problems.csp.append(message.text)

    def on_response(response):
        if "/static/" in response.url and response.status >= 400:
            browser_problems.assets.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_problems.javascript.append(str(error)))
    page.on("response", on_response)
    yield page
    context.close()
    problems = [f"CSP: {p}" for p in dict.fromkeys(browser_problems.csp)]
    problems += [f"JavaScript error: {p}" for p in browser_problems.javascript]
    problems += [f"Static file missing: {p}" for p in dict.fromkeys(browser_problems.assets)]
    if problems:
        pytest.fail("The browser reported problems:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # A million PBKDF2 rounds per person would make every browser test take seconds just
    # to create its people. Tests of the real hasher live in the server-side tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Demo:
    organisations: dict
    password: str

    @staticmethod
    def email(slug: str, role: str) -> str:
        from accounts.demo import demo_email

        return demo_email(slug, role)

    @property
    def multi_email(self) -> str:
        from accounts.demo import MULTI_EMAIL

        return MULTI_EMAIL


@pytest.fixture
def demo(transactional_db) -> Demo:
    """The demo organisations and people, as `make run` seeds them."""
    from accounts import demo as accounts_demo

    return Demo(organisations=accounts_demo.seed(), password=accounts_demo.DEMO_PASSWORD)


def _sign_in(page, email: str, password: str, organisation: str | None = None) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    if organisation is not None:
        page.get_by_label(organisation, exact=False).check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    _pass_two_factor(page, email)


def _pass_two_factor(page, email: str) -> None:
    """On the two-factor code page, enters the code the person's app shows now (computed from
    their device's key); on the set-up page, reads the key it shows, as someone typing it into
    an app would, and enters that app's code."""
    import base64
    from urllib.parse import urlparse

    from django.urls import reverse
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import fresh_totp_code

    path = urlparse(page.url).path
    if path == reverse("accounts:two-factor-verify"):
        code = fresh_totp_code(TOTPDevice.objects.get(user__email__iexact=email, confirmed=True))
    elif path == reverse("accounts:two-factor-setup"):
        secret = "".join(page.locator(".lantern-secret-key__group").all_inner_texts())
        code = f"{totp(base64.b32decode(secret)):06d}"
    else:
        return
    page.get_by_label("code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


@pytest.fixture(scope="session")
def give_two_factor_code():
    """`give_two_factor_code(page, email)`: on the two-factor code (or set-up) page, enters the
    code the person's app shows, as `sign_in` does; elsewhere does nothing."""
    return _pass_two_factor


@pytest.fixture(scope="session")
def sign_in():
    """`sign_in(page, email, password=<demo password>, organisation=None)` signs in through the
    real form and gives the two-factor code where one is owed; `organisation` (part of its
    name) picks one for people in several."""
    from accounts.demo import DEMO_PASSWORD

    def sign_in(page, email: str, password: str = DEMO_PASSWORD, organisation: str | None = None) -> None:
        _sign_in(page, email, password, organisation)

    return sign_in


def _format_violations(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} accessibility problem(s) at WCAG 2.2 AA on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {' '.join(str(t) for t in node['target'])}: {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_check():
    """`axe_check(page)` fails, listing every problem, if axe-core finds any at WCAG 2.2 AA."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        violations = results.response["violations"]
        if violations:
            report = _format_violations(violations, page.url)
            print(report)
            pytest.fail(report, pytrace=False)

    return check


@pytest.fixture(scope="session")
def screenshot():
    """`screenshot(page, name)` saves `<name>-desktop.png` and `<name>-phone.png` (375px wide), and
    fails if the page is wider than the phone (a wide table must scroll inside the page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        original = page.viewport_size or DESKTOP
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} is {width}px wide on a {PHONE['width']}px phone"
        page.set_viewport_size(original)

    return take

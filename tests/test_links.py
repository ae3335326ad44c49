"""The link crawl: no link on any page leads its reader to "You cannot do this" or "Page not found".

As each role of one demo council, every page the page walk (tests/walk.py) opens is read and
every in-app link on it followed: a link or button is shown only to those the page it leads
to lets in (templates ask `{% may %}` the same rule the view requires).
"""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

from accounts.models import Role
from tests import walk

# Pages of each pattern read per role (the demo seeds each kind of row at several stages).
PAGES_PER_PATTERN = 2
# Links not followed: they end the session or download a file (and every link is a GET, so
# following one changes nothing).
NOT_FOLLOWED = {
    "accounts:sign-out",
    "portfolio:report-csv",
    "public:forward-plan-csv",
    "reports:job-download",
    "reports:export-take",
    "sharing:feed",
}
NOT_FOLLOWED_NAMESPACES = {"admin", "api"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def in_app_links(page: str, html: str) -> set[str]:
    """The page's links to Lantern's own pages (path and query), as the browser resolves them."""
    parser = _Links()
    parser.feed(html)
    links = set()
    for href in parser.links:
        href, _ = urldefrag(href)
        parts = urlsplit(href)
        if not href or parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
            continue
        path = parts.path if parts.path.startswith("/") else (page if not parts.path else None)
        if path is None or path.startswith("/static/"):
            continue
        try:
            match = resolve(path)
        except Resolver404:
            links.add(f"{path}?{parts.query}" if parts.query else path)  # followed, to fail as a 404
            continue
        if match.view_name in NOT_FOLLOWED or match.namespace in NOT_FOLLOWED_NAMESPACES:
            continue
        links.add(f"{path}?{parts.query}" if parts.query else path)
    return links


def test_links_are_found_on_a_page_as_the_browser_would_follow_them():
    html = (
        '<a href="/projects/1/#risks">x</a><a href="?stage=open">y</a><a href="https://www.gov.uk/">z</a>'
        '<a href="/static/app.css">s</a><a href="/sign-out/">out</a><a href="mailto:a@b.example">m</a>'
    )
    assert in_app_links("/projects/", html) == {"/projects/1/", "/projects/?stage=open"}


def test_no_link_on_any_page_leads_any_role_to_a_refusal(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    organisation = walk.prepare(walk.seed_demo())
    urls = walk.candidate_urls(organisation)
    people = walk.members(organisation)
    refused, pages_read, links_followed = [], 0, 0
    for role in Role.values:
        client = walk.client_for(people[role])
        answers: dict[str, int] = {}
        for name, candidates in urls.items():
            read = 0
            for url in candidates:
                response = walk.read(client, name, url)
                if response is None:
                    continue
                read += 1
                for link in sorted(in_app_links(url, response.content.decode())):
                    if link not in answers:
                        answers[link] = client.get(link).status_code
                    links_followed += 1
                    if answers[link] >= 400:
                        refused.append(f"{role} on {url}: {link} answers {answers[link]}")
                if read == PAGES_PER_PATTERN:
                    break
            pages_read += read
    # An emptied walk (no demo data, no patterns) must not pass by following nothing.
    assert pages_read >= 300 and links_followed >= 4000, (pages_read, links_followed)
    assert not refused, f"{len(refused)} links lead to a refusal:\n  " + "\n  ".join(refused)

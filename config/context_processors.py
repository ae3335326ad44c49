"""Navigation by role: each entry shows only to those whose role allows its permission."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts import access_cache

# (label, URL name, permission or None for everyone in the organisation)
NAVIGATION = [
    ("Home", "home", None),
    ("People", "accounts:people", "accounts.view_people"),
    ("Where to innovate", "portfolio:report", "portfolio.view_report"),
    ("Ideas", "innovation:idea-list", "innovation.view"),
    ("Projects", "innovation:project-list", "innovation.view"),
    ("My decisions", "innovation:awaiting-decision", "innovation.decide_project"),
    ("Risks", "risk:register", "risk.view_register"),
    ("Lessons", "sharing:lesson-list", "sharing.view_lessons"),
    ("Library", "sharing:library", "sharing.view_library"),
    ("Reports", "reports:index", "reports.export"),
    ("Campaigns for you", "innovation:partner-campaign-list", "innovation.give_partner_idea"),
    ("Your ideas", "innovation:partner-idea-list", "innovation.give_partner_idea"),
]

# Asked once per person's access version, not on every page (accounts.access_cache).
NAVIGATION_PERMISSIONS = frozenset(perm for _, _, perm in NAVIGATION if perm is not None)


_URLS: dict = {}


def _urls() -> list[str]:
    """Each entry's address, worked out once (per URL configuration and script prefix)."""
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    urls = _URLS.get(key)
    if urls is None:
        urls = _URLS[key] = [reverse(url_name) for _, url_name, _ in NAVIGATION]
    return urls


def navigation(request):
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return {"navigation": []}
    items = [
        {"label": label, "url": url, "current": False}
        for (label, _, perm), url in zip(NAVIGATION, _urls(), strict=True)
        if access_cache.allowed(request.user, organisation, perm)
    ]
    # One current item: the longest that the page's path starts with, so that
    # /projects/awaiting-my-decision/ is "My decisions" and not "Projects" as well.
    matches = [item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"]
    matches += [item for item in items if item["url"] == "/" == request.path]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return {"navigation": items}

"""Navigation by role: each entry shows only to those whose role allows its permission."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from accounts import access_cache

# (label, URL name, permission or None for everyone in the organisation)
NAVIGATION = [
    (_("Home"), "home", None),
    (_("People"), "accounts:people", "accounts.view_people"),
    (_("Where to innovate"), "portfolio:report", "portfolio.view_report"),
    (_("Ideas"), "innovation:idea-list", "innovation.view"),
    (_("Projects"), "innovation:project-list", "innovation.view"),
    (_("My decisions"), "innovation:awaiting-decision", "innovation.decide_project"),
    (_("Risks"), "risk:register", "risk.view_register"),
    (_("Lessons"), "sharing:lesson-list", "sharing.view_lessons"),
    (_("Library"), "sharing:library", "sharing.view_library"),
    (_("Reports"), "reports:index", "reports.export"),
    (_("Campaigns for you"), "innovation:partner-campaign-list", "innovation.give_partner_idea"),
    (_("Your ideas"), "innovation:partner-idea-list", "innovation.give_partner_idea"),
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

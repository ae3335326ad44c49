"""Navigation by role: each entry shows only to those whose role allows its permission."""

from django.urls import reverse

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


def navigation(request):
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return {"navigation": []}
    items = [
        {"label": label, "url": reverse(url_name), "current": False}
        for label, url_name, perm in NAVIGATION
        if perm is None or request.user.has_perm(perm, organisation)
    ]
    # One current item: the longest that the page's path starts with, so that
    # /projects/awaiting-my-decision/ is "My decisions" and not "Projects" as well.
    matches = [item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"]
    matches += [item for item in items if item["url"] == "/" == request.path]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return {"navigation": items}

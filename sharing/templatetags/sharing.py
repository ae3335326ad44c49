"""Template tags other apps' pages use to show the sector library.

innovation may not import sharing, so an idea's or a campaign's page shows "tried
elsewhere" (R7) with `{% load sharing %}{% tried_elsewhere idea %}` (or `campaign`, or any
text), read as the current organisation would read the library: the suggestions of
sharing.relevance, each with why it was made, its outcome and its evidence.
"""

from django import template

from sharing import relevance

register = template.Library()


@register.inclusion_tag("sharing/includes/tried_elsewhere.html", takes_context=True)
def tried_elsewhere(context, subject, limit: int = 3):
    """The published lessons of other organisations most relevant to an idea, a campaign or a text."""
    request = context.get("request")
    organisation = getattr(request, "organisation", None)
    if organisation is None or subject is None:
        return {"suggestions": []}
    return {"suggestions": relevance.tried_elsewhere(subject, organisation=organisation, limit=limit)}

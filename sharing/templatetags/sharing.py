"""Template tags other apps' pages use to show the sector library.

innovation may not import sharing, so an idea's or a campaign's page shows "tried
elsewhere" (R7) with `{% load sharing %}{% tried_elsewhere idea %}` (or `campaign`, or any
text), read as the current organisation would read the library.
"""

from django import template

from sharing import queries

register = template.Library()

# What an idea or a campaign says about itself, in the order that best describes it.
TEXT_ATTRIBUTES = ("title", "problem", "proposal", "question")


@register.inclusion_tag("sharing/includes/tried_elsewhere.html", takes_context=True)
def tried_elsewhere(context, subject, limit: int = 3):
    """The most similar published lessons from other organisations to an idea, a campaign or a text."""
    if isinstance(subject, str):
        text = subject
    else:
        text = " ".join(str(getattr(subject, name, "") or "") for name in TEXT_ATTRIBUTES)
    request = context.get("request")
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return {"lessons": []}
    return {"lessons": queries.lessons_similar_to(text, exclude_organisation=organisation, limit=limit)}

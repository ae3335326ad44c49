"""The levels of evidence, defined once (innovation/evidence.py), for any page that explains them:
`{% load evidence %}{% evidence_levels %}`."""

from django import template

from innovation import evidence

register = template.Library()


@register.inclusion_tag("innovation/includes/evidence_levels.html")
def evidence_levels():
    return {"levels": evidence.LEVELS, "citation": evidence.CITATION}

"""Templates ask the same rules as the views: `{% may "innovation.add_idea" as can_add %}` (in the
organisation the reader works in) or `{% may "innovation.manage_project" project as can_manage %}`,
so a link is shown only to those the page it leads to will let in (accounts.access.may)."""

from django import template

from accounts import access

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, permission: str, target=None) -> bool:
    request = context["request"]
    if target is None:
        target = request.organisation
    return target is not None and access.may(request.user, permission, target)

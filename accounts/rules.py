"""Who may do what: Lantern's permission rules, defined once.

Each permission is checked against the organisation the person is working in (or an
object that belongs to one), by views and services (`accounts.access.require`), by
templates (`{% may %}`, or rules' `{% has_perm %}`) and by the API alike, and is added
with the reason a person refused it is shown (`accounts.access.add_rule`). Later apps add
their own rules in their `rules.py`, built from the role predicates here.
"""

import rules
from django.utils.translation import gettext_lazy as _

from accounts import queries
from accounts.access import add_rule
from accounts.models import COUNCIL_ROLES, Role


def _organisation_of(target):
    return getattr(target, "organisation", target)


def has_role(*roles: str):
    """A predicate that is true when the person holds one of `roles` in the target's organisation."""

    @rules.predicate(name=f"has_role({','.join(roles)})")
    def predicate(user, target=None):
        if target is None:
            return False
        return queries.membership_role(user=user, organisation=_organisation_of(target)) in roles

    return predicate


is_officer = has_role(Role.OFFICER)
is_manager = has_role(Role.MANAGER)
is_member = has_role(Role.MEMBER)
is_admin = has_role(Role.ADMIN)
is_curator = has_role(Role.CURATOR)
is_auditor = has_role(Role.AUDITOR)
is_partner = has_role(Role.PARTNER)
# Works for the organisation: every role but partner. Every rule that lets people see or change
# the organisation's own work is built on this or a narrower role, so that a partner gets none.
belongs = has_role(*COUNCIL_ROLES)

add_rule(
    "accounts.view_people", is_admin | is_auditor, _("Only admins and auditors can see the organisation’s people.")
)
add_rule(
    "accounts.manage_people", is_admin, _("Only admins can invite people, change their roles or stop their access.")
)
add_rule(
    "accounts.set_notifications",
    belongs | is_partner,
    _("Only people who work in this organisation choose its notifications."),
)
add_rule(
    "accounts.manage_tokens",
    is_admin,
    _("Only admins make and revoke the organisation’s API tokens."),
)
add_rule(
    "accounts.read_notices", belongs | is_partner, _("Only people who work in this organisation see its notifications.")
)
add_rule(
    "accounts.manage_sso",
    is_admin,
    _("Only admins connect the organisation's identity provider (single sign-on)."),
)

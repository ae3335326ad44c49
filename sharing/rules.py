"""Who may do what with lessons, the library, visits and featuring.

Managers write lessons and publish them inside their organisation; admins publish beyond
it (DESIGN.md, Sharing). Curators of a sector body feature practice (R17). Auditors read
and change nothing.
"""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.access import add_rule
from accounts.models import Organisation
from accounts.rules import belongs, is_admin, is_auditor, is_curator, is_manager, is_member, is_officer


@rules.predicate
def is_sector_body(user, target=None):
    organisation = getattr(target, "organisation", target)
    return isinstance(organisation, Organisation) and organisation.kind == Organisation.Kind.SECTOR_BODY


staff = is_officer | is_manager | is_member | is_admin

add_rule(
    "sharing.view_library",
    belongs,
    _("Only people who work in an organisation on Lantern can use the sector library."),
)
add_rule("sharing.view_lessons", belongs, _("Only people who work in this organisation can see its lessons."))
add_rule(
    "sharing.view_drafts",
    is_manager | is_admin | is_auditor,
    _("Only managers, admins and auditors see draft lessons."),
)
add_rule("sharing.write_lesson", is_manager | is_admin, _("Only managers and admins write lessons."))
add_rule("sharing.publish_internally", is_manager | is_admin, _("Only managers and admins publish lessons."))
add_rule("sharing.publish_beyond", is_admin, _("Only admins publish lessons beyond the organisation."))
add_rule("sharing.withdraw_lesson", is_manager | is_admin, _("Only managers and admins withdraw lessons."))
add_rule("sharing.feature_lesson", is_curator & is_sector_body, _("Only curators of a sector body feature lessons."))
add_rule("sharing.view_sector_figures", is_curator, _("Only curators see the sector’s figures."))
add_rule(
    "sharing.adopt_lesson",
    staff,
    _("Only officers, managers, elected members and admins adopt a lesson from elsewhere."),
)
add_rule(
    "sharing.request_visit",
    staff | is_curator,
    _("Only officers, managers, elected members, admins and curators ask to visit."),
)
add_rule("sharing.host_visits", is_manager | is_admin, _("Only managers and admins answer visit requests."))
add_rule("sharing.set_visit_capacity", is_admin, _("Only admins say how many visits the organisation takes."))
add_rule("sharing.follow_services", belongs, _("Only people who work in an organisation on Lantern follow services."))

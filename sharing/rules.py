"""Who may do what with lessons, the library, visits and featuring.

Managers write lessons and publish them inside their organisation; admins publish beyond
it (DESIGN.md, Sharing). Curators of a sector body feature practice (R17). Auditors read
and change nothing.
"""

import rules

from accounts.models import Organisation
from accounts.rules import belongs, is_admin, is_auditor, is_curator, is_manager, is_member, is_officer


@rules.predicate
def is_sector_body(user, target=None):
    organisation = getattr(target, "organisation", target)
    return isinstance(organisation, Organisation) and organisation.kind == Organisation.Kind.SECTOR_BODY


staff = is_officer | is_manager | is_member | is_admin

rules.add_perm("sharing.view_library", belongs)
rules.add_perm("sharing.view_lessons", belongs)
rules.add_perm("sharing.view_drafts", is_manager | is_admin | is_auditor)
rules.add_perm("sharing.write_lesson", is_manager | is_admin)
rules.add_perm("sharing.publish_internally", is_manager | is_admin)
rules.add_perm("sharing.publish_beyond", is_admin)
rules.add_perm("sharing.withdraw_lesson", is_manager | is_admin)
rules.add_perm("sharing.feature_lesson", is_curator & is_sector_body)
rules.add_perm("sharing.view_sector_figures", is_curator)
rules.add_perm("sharing.adopt_lesson", staff)
rules.add_perm("sharing.request_visit", staff | is_curator)
rules.add_perm("sharing.host_visits", is_manager | is_admin)
rules.add_perm("sharing.set_visit_capacity", is_admin)
rules.add_perm("sharing.follow_services", belongs)

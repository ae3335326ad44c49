"""Who may take exports: admins (DESIGN.md: admins export reports) and auditors, who read
everything of one authority (R16) and whose work is largely reading exports. Nobody else."""

from django.utils.translation import gettext_lazy as _

from accounts.access import add_rule
from accounts.rules import is_admin, is_auditor

add_rule("reports.export", is_admin | is_auditor, _("Only admins and auditors take exports."))
# Scheduling an emailed export changes something, which auditors never do.
add_rule("reports.schedule", is_admin, _("Only admins schedule emailed reports."))
# The committee pack is a report *of* an officer of the authority to its members, written for
# the organisation, so only its admins prepare one; managers have no reports (rule above),
# and auditors, who change nothing and author nothing, read the exports instead.
add_rule("reports.committee_pack", is_admin, _("Only admins prepare the committee pack."))

"""Who may take exports: admins (DESIGN.md: admins export reports) and auditors, who read
everything of one authority (R16) and whose work is largely reading exports. Nobody else."""

import rules

from accounts.rules import is_admin, is_auditor

rules.add_perm("reports.export", is_admin | is_auditor)
# Scheduling an emailed export changes something, which auditors never do.
rules.add_perm("reports.schedule", is_admin)
# The committee pack is a report *of* an officer of the authority to its members, written for
# the organisation, so only its admins prepare one; managers have no reports (rule above),
# and auditors, who change nothing and author nothing, read the exports instead.
rules.add_perm("reports.committee_pack", is_admin)

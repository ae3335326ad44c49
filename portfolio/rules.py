"""Who may do what with performance data and gap reports (see accounts.rules)."""

import rules

from accounts.rules import belongs, is_admin, is_manager, is_member

# Everyone in the organisation (auditors included) reads its reports.
rules.add_perm("portfolio.view_report", belongs)
# Admins import performance data and aspirations, and may ask for a fresh report.
rules.add_perm("portfolio.import_data", is_admin)
rules.add_perm("portfolio.compute_report", is_admin | is_manager)
# Managers and elected members score the organisation's capacity to innovate (R9).
rules.add_perm("portfolio.assess_capacity", is_manager | is_member)

"""Who may do what with performance data and gap reports (see accounts.rules)."""

from django.utils.translation import gettext_lazy as _

from accounts.access import add_rule
from accounts.rules import belongs, is_admin, is_manager, is_member

# Everyone in the organisation (auditors included) reads its reports.
add_rule("portfolio.view_report", belongs, _("Only people who work in this organisation can see its reports."))
# Admins import performance data and aspirations, and may ask for a fresh report.
add_rule("portfolio.import_data", is_admin, _("Only admins import performance data and aspirations."))
add_rule("portfolio.compute_report", is_admin | is_manager, _("Only admins and managers run the gap report."))
# Managers and elected members score the organisation's capacity to innovate (R9).
add_rule(
    "portfolio.assess_capacity",
    is_manager | is_member,
    _("Only managers and elected members score the organisation’s capacity to innovate."),
)
# Admins keep the organisation's service areas and its own indicators.
add_rule(
    "portfolio.manage_indicators",
    is_admin,
    _("Only admins add and change the organisation’s service areas and indicators."),
)
# Admins define the organisation's comparison groups and choose the one its gap report opens with.
add_rule(
    "portfolio.manage_groups",
    is_admin,
    _("Only admins define comparison groups and choose the one the gap report opens with."),
)

"""Who may do what with ideas and projects.

Every rule takes the organisation, or an object with an `.organisation`; object rules
(editing one's own idea, scoring as an assigned assessor) look at the object itself.
"""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.access import add_rule
from accounts.rules import belongs, is_admin, is_manager, is_member, is_officer, is_partner


@rules.predicate
def is_idea_author_while_editable(user, idea=None):
    return idea is not None and hasattr(idea, "author_id") and idea.author_id == user.pk and idea.is_editable


@rules.predicate
def is_assigned_assessor(user, idea=None):
    if idea is None or not hasattr(idea, "scorecards"):
        return False
    return any(card.assessor_id == user.pk for card in idea.scorecards.all())


staff = is_officer | is_manager | is_member | is_admin

add_rule("innovation.view", belongs, _("Only people who work in this organisation can see its ideas and projects."))
add_rule("innovation.add_idea", staff, _("Only officers, managers, elected members and admins log ideas."))
add_rule(
    "innovation.change_idea",
    belongs & is_idea_author_while_editable,
    _("Only the idea’s author can change it, and only until screening starts."),
)
add_rule("innovation.comment_idea", staff, _("Only officers, managers, elected members and admins comment on ideas."))
add_rule("innovation.support_idea", staff, _("Only officers, managers, elected members and admins support ideas."))
add_rule("innovation.screen_idea", is_manager, _("Only managers screen ideas."))
add_rule("innovation.manage_campaign", is_manager, _("Only managers run idea campaigns."))
add_rule(
    "innovation.score_idea",
    belongs & is_assigned_assessor,
    _("Only the assessors asked to score this idea can score it."),
)
add_rule("innovation.manage_project", is_manager, _("Only managers change projects."))
add_rule(
    "innovation.manage_optimism_bias",
    is_admin,
    _("Only admins set the organisation’s own optimism bias uplifts."),
)
add_rule(
    "innovation.manage_decision_arrangement",
    is_admin,
    _("Only the organisation’s admin sets how decisions are taken and published."),
)
add_rule("innovation.decide_project", is_member, _("Only elected members decide on projects at the approval gate."))
add_rule(
    "innovation.record_involvement",
    is_officer | is_manager,
    _("Only officers and managers record how people were involved."),
)
add_rule(
    "innovation.volunteer_sponsor",
    is_member,
    _("Only elected members sponsor projects; ask a manager to name one."),
)
add_rule(
    "innovation.give_partner_idea",
    is_partner,
    _("Only people from a partner organisation give ideas here; staff log theirs on the ideas page."),
)
add_rule(
    "innovation.set_evidence_gates",
    is_admin,
    _("Only admins set the levels of evidence the organisation asks for before it spreads practice."),
)
# The forward plan is the proper officer's notice of key decisions; managers own projects and
# so give notice of them. The threshold is the authority's own setting, kept by its admins.
add_rule(
    "innovation.manage_forward_plan",
    is_manager,
    _("Only managers put key decisions on the forward plan and record urgency routes."),
)
add_rule(
    "innovation.set_key_decision_threshold",
    is_admin,
    _("Only admins set the key-decision threshold."),
)

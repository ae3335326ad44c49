"""Who may do what with ideas and projects.

Every rule takes the organisation, or an object with an `.organisation`; object rules
(editing one's own idea, scoring as an assigned assessor) look at the object itself.
"""

import rules

from accounts.rules import belongs, is_admin, is_manager, is_member, is_officer


@rules.predicate
def is_idea_author_while_editable(user, idea=None):
    return idea is not None and hasattr(idea, "author_id") and idea.author_id == user.pk and idea.is_editable


@rules.predicate
def is_assigned_assessor(user, idea=None):
    if idea is None or not hasattr(idea, "scorecards"):
        return False
    return any(card.assessor_id == user.pk for card in idea.scorecards.all())


staff = is_officer | is_manager | is_member | is_admin

rules.add_perm("innovation.view", belongs)
rules.add_perm("innovation.add_idea", staff)
rules.add_perm("innovation.change_idea", belongs & is_idea_author_while_editable)
rules.add_perm("innovation.comment_idea", staff)
rules.add_perm("innovation.support_idea", staff)
rules.add_perm("innovation.screen_idea", is_manager)
rules.add_perm("innovation.manage_campaign", is_manager)
rules.add_perm("innovation.score_idea", belongs & is_assigned_assessor)
rules.add_perm("innovation.manage_project", is_manager)
rules.add_perm("innovation.decide_project", is_member)
rules.add_perm("innovation.record_involvement", is_officer | is_manager)

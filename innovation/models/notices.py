"""The kinds of notice innovation sends; accounts.notices sends them and holds them for digests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    """Each is registered with accounts.notices (innovation/apps.py), so a person can choose how to receive it."""

    SCREENING = "screening", _("Your idea has been screened")
    AWAITING_APPROVAL = "awaiting_approval", _("A project you sponsor awaits your decision")
    DECISION = "decision", _("A decision on a project you own")
    OVERDUE_MILESTONE = "overdue_milestone", _("Overdue milestones on your projects")
    SCORING_REQUEST = "scoring_request", _("An idea you are asked to score")
    SPONSOR_NAMED = "sponsor_named", _("A project you are named to sponsor")
    SPONSOR_VOLUNTEERED = "sponsor_volunteered", _("An elected member offers to sponsor your project")
    CAMPAIGN_OPENED = "campaign_opened", _("A new idea campaign in your organisation")
    IDEA_PROJECT = "idea_project", _("The project from your idea is approved, closed or abandoned")


# How often a kind comes until a person chooses (straight away unless named here). A new
# campaign is news for everyone rather than a task for one person: a weekly digest tells all the
# staff without a burst of email each time a manager opens one.
NOTICE_DEFAULTS = {NoticeKind.CAMPAIGN_OPENED: "weekly"}

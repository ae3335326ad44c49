"""The kinds of notice innovation sends; accounts.notices sends them and holds them for digests."""

from django.db import models


class NoticeKind(models.TextChoices):
    """Each is registered with accounts.notices (innovation/apps.py), so a person can choose how to receive it."""

    SCREENING = "screening", "Your idea has been screened"
    AWAITING_APPROVAL = "awaiting_approval", "A project you sponsor awaits your decision"
    DECISION = "decision", "A decision on a project you own"
    OVERDUE_MILESTONE = "overdue_milestone", "Overdue milestones on your projects"
    SCORING_REQUEST = "scoring_request", "An idea you are asked to score"
    SPONSOR_NAMED = "sponsor_named", "A project you are named to sponsor"
    SPONSOR_VOLUNTEERED = "sponsor_volunteered", "An elected member offers to sponsor your project"
    CAMPAIGN_OPENED = "campaign_opened", "A new idea campaign in your organisation"
    IDEA_PROJECT = "idea_project", "The project from your idea is approved, closed or abandoned"


# How often a kind comes until a person chooses (straight away unless named here). A new
# campaign is news for everyone rather than a task for one person: a weekly digest tells all the
# staff without a burst of email each time a manager opens one.
NOTICE_DEFAULTS = {NoticeKind.CAMPAIGN_OPENED: "weekly"}

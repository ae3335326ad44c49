"""The kinds of notice innovation sends; accounts.notices sends them and holds them for digests."""

from django.db import models


class NoticeKind(models.TextChoices):
    """Each is registered with accounts.notices (innovation/apps.py), so a person can choose how to receive it."""

    SCREENING = "screening", "Your idea has been screened"
    AWAITING_APPROVAL = "awaiting_approval", "A project you sponsor awaits your decision"
    DECISION = "decision", "A decision on a project you own"
    OVERDUE_MILESTONE = "overdue_milestone", "Overdue milestones on your projects"

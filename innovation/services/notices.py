"""Telling people what happened: at once, in a daily or weekly digest, or never, as each chooses."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import tasks as account_tasks
from accounts.models import NotificationPreference, Organisation, User
from innovation.models import Milestone, Notice, NoticeKind, Project, ProjectStage

Frequency = NotificationPreference.Frequency


def link(obj) -> str:
    return settings.SITE_URL.rstrip("/") + obj.get_absolute_url()


def preference_for(user: User, kind: str) -> str:
    """A person hears about everything straight away until they choose otherwise."""
    chosen = NotificationPreference.objects.filter(user=user, kind=kind).values_list("frequency", flat=True).first()
    return chosen or Frequency.IMMEDIATELY


@transaction.atomic
def preference_set(*, actor: User, preferences: dict[str, str]) -> None:
    """Saves how a person wants each kind of notice; they can only change their own."""
    for kind, frequency in preferences.items():
        if kind not in NoticeKind.values or frequency not in Frequency.values:
            raise ValueError(f"Unknown notice kind or frequency: {kind}, {frequency}")
        NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"frequency": frequency})


def notice_send(*, user: User, organisation: Organisation, kind: str, subject: str, body: str) -> Notice | None:
    """Emails a notice after the transaction commits, or keeps it for the person's digest.

    Runs inside the caller's transaction, so a refused change sends nothing.
    """
    frequency = preference_for(user, kind)
    if frequency == Frequency.NEVER:
        return None
    immediate = frequency == Frequency.IMMEDIATELY
    notice = Notice.objects.create(
        organisation=organisation,
        user=user,
        kind=kind,
        subject=subject,
        body=body,
        frequency=frequency,
        sent_at=timezone.now() if immediate else None,
    )
    if immediate:
        account_tasks.send_email.delay_on_commit(to=[user.email], subject=subject, body=_signed(body, organisation))
    return notice


def _signed(body: str, organisation: Organisation) -> str:
    preferences = settings.SITE_URL.rstrip("/") + "/notifications/"
    return (
        f"{body}\n\n—\nLantern, for {organisation.name}.\nChoose which emails you get, and how often, at {preferences}"
    )


@transaction.atomic
def digest_send(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """Sends each person one email of their waiting notices, newest first. Returns emails sent.

    Nobody with nothing waiting gets an email. Rows are locked and marked sent in the same
    transaction, so two beat runs cannot send the same notice twice.
    """
    now = now or timezone.now()
    waiting = list(
        Notice.objects.select_for_update()
        .filter(frequency=frequency, sent_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("user_id", "-created_at", "-pk")
    )
    by_user: dict[int, list[Notice]] = defaultdict(list)
    for notice in waiting:
        by_user[notice.user_id].append(notice)
    label = "daily" if frequency == Frequency.DAILY else "weekly"
    for items in by_user.values():
        user = items[0].user
        sections = [f"{n.created_at:%-d %B %Y} – {n.subject} ({n.organisation.name})\n\n{n.body}" for n in items]
        account_tasks.send_email.delay_on_commit(
            to=[user.email],
            subject=f"Your {label} Lantern digest: {len(items)} update{'s' if len(items) != 1 else ''}",
            body=("\n\n" + "-" * 40 + "\n\n").join(sections)
            + f"\n\n—\nChange how often you get these at {settings.SITE_URL.rstrip('/')}/notifications/",
        )
        Notice.objects.filter(pk__in=[n.pk for n in items]).update(sent_at=now)
    return len(by_user)


@transaction.atomic
def milestones_overdue_notify(*, today: datetime.date | None = None) -> int:
    """Tells each project owner about their overdue milestones, one notice per project. Returns notices."""
    today = today or timezone.localdate()
    overdue = (
        Milestone.objects.filter(
            due_date__lt=today,
            status__in=[Milestone.Status.NOT_STARTED, Milestone.Status.IN_PROGRESS],
            project__stage=ProjectStage.IMPLEMENTATION,
        )
        .select_related("project__owner", "project__organisation")
        .order_by("project_id", "due_date")
    )
    by_project: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in overdue:
        by_project[milestone.project_id].append(milestone)
    for milestones in by_project.values():
        project: Project = milestones[0].project
        lines = "\n".join(f"- {m.title}, due {m.due_date:%-d %B %Y}" for m in milestones)
        notice_send(
            user=project.owner,
            organisation=project.organisation,
            kind=NoticeKind.OVERDUE_MILESTONE,
            subject=f"Overdue milestones on “{project.title}”",
            body=f"These milestones are past their due date:\n\n{lines}\n\nUpdate them at {link(project)}",
        )
    return len(by_project)

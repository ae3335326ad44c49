"""A project under way: progress and spend, milestones and their overdue notices, the team (R8)
and how service users were involved (R10). None of these changes the project's stage (projects.py does that)."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import languages, notices
from accounts.access import require
from accounts.models import User
from innovation.models import RAG, Involvement, Milestone, NoticeKind, Project, ProjectStage, TeamMember
from innovation.services.base import InnovationError
from innovation.services.projects import _lock_for_edit, _require_stage, _save


@transaction.atomic
def project_progress_update(
    *, actor: User, project: Project, version: int, rag: str, rag_reason: str, spend_to_date: Decimal
) -> Project:
    """Records the RAG status, with its reason, and the spend to date against the budget."""
    require(actor, "innovation.manage_project", project)
    project = _lock_for_edit(project, version)
    _require_stage(project, {ProjectStage.IMPLEMENTATION}, pgettext("you cannot …", "update progress"))
    if rag not in RAG.values:
        raise InnovationError(_("Select a RAG status."))
    if not rag_reason.strip():
        raise InnovationError(_("Enter the reason for the RAG status."))
    if spend_to_date < 0:
        raise InnovationError(_("Spend to date cannot be negative."))
    project.rag, project.rag_reason, project.spend_to_date = rag, rag_reason, spend_to_date
    _save(project, actor, f"Progress: {rag}")
    return project


def _require_live(project: Project) -> None:
    if project.is_finished:
        raise InnovationError(_("A finished project is kept as it ended and cannot be changed."))


@transaction.atomic
def milestone_add(*, actor: User, project: Project, title: str, due_date: datetime.date) -> Milestone:
    """Adds a milestone to a project's plan."""
    require(actor, "innovation.manage_project", project)
    _require_live(project)
    milestone = Milestone(organisation=project.organisation, project=project, title=title, due_date=due_date)
    milestone._history_user = actor
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(
    *, actor: User, milestone: Milestone, title: str, due_date: datetime.date, status: str
) -> Milestone:
    """Changes a milestone's date or status; marking it done records the day."""
    require(actor, "innovation.manage_project", milestone)
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    _require_live(milestone.project)
    if status not in Milestone.Status.values:
        raise InnovationError(_("Select the milestone’s status."))
    if status == Milestone.Status.DONE and milestone.status != Milestone.Status.DONE:
        milestone.completed_on = timezone.localdate()
    elif status != Milestone.Status.DONE:
        milestone.completed_on = None
    milestone.title, milestone.due_date, milestone.status = title, due_date, status
    milestone._history_user = actor
    milestone.save()
    return milestone


@transaction.atomic
def team_member_add(
    *, actor: User, project: Project, name: str, department: str, role: str = "", user: User | None = None
) -> TeamMember:
    """Adds someone from any department to the project team (R8)."""
    require(actor, "innovation.manage_project", project)
    _require_live(project)
    return TeamMember.objects.create(
        organisation=project.organisation, project=project, name=name, department=department, role=role, user=user
    )


@transaction.atomic
def team_member_remove(*, actor: User, member: TeamMember) -> None:
    """Takes someone off the project team."""
    require(actor, "innovation.manage_project", member)
    member.delete()


@transaction.atomic
def involvement_record(
    *,
    actor: User,
    project: Project,
    group: str,
    who: str,
    how: str,
    what_changed: str,
    happened_on: datetime.date,
) -> Involvement:
    """Records how service users or partners shaped the design, and what changed because of it (R10)."""
    require(actor, "innovation.record_involvement", project)
    _require_live(project)
    if happened_on > timezone.localdate():
        raise InnovationError(_("The date of the involvement must be today or in the past."))
    return Involvement.objects.create(
        organisation=project.organisation,
        project=project,
        group=group,
        who=who,
        how=how,
        what_changed=what_changed,
        happened_on=happened_on,
        recorded_by=actor,
    )


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
        with languages.in_language_of(project.owner, project.organisation):
            lines = "\n".join(
                _("- %(title)s, due %(date)s") % {"title": m.title, "date": formats.date_format(m.due_date, "j F Y")}
                for m in milestones
            )
            link = notices.absolute_url(project)
            notices.notice_send(
                user=project.owner,
                organisation=project.organisation,
                kind=NoticeKind.OVERDUE_MILESTONE,
                subject=_("Overdue milestones on “%(title)s”") % {"title": project.title},
                body=_("These milestones are past their due date:\n\n%(lines)s\n\nUpdate them at %(link)s")
                % {"lines": lines, "link": link},
                url=link,
            )
    return len(by_project)

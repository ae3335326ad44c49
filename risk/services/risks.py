"""Adding, correcting and reviewing risks, their controls and comments, and reminding owners of overdue reviews."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access, languages, notices
from accounts.models import User
from innovation.models import Project
from risk import scoring
from risk.models import Control, NoticeKind, Risk, RiskComment, RiskReview
from risk.services.assessments import assessment_start
from risk.services.base import RiskError, _check_belongs


def _record_scores(*, risk: Risk, actor: User, kind: str, note: str = "") -> RiskReview:
    """Keeps the risk's scores as they now stand, so that the register can show how it moved."""
    return RiskReview.objects.create(
        organisation=risk.organisation,
        risk=risk,
        kind=kind,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        inherent_likelihood=risk.inherent_likelihood,
        inherent_impact=risk.inherent_impact,
        inherent_score=risk.inherent_score,
        residual_likelihood=risk.residual_likelihood,
        residual_impact=risk.residual_impact,
        residual_score=risk.residual_score,
        note=note,
    )


SCORE_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


def _check_residual(residual_likelihood: int | None, residual_impact: int | None) -> None:
    if (residual_likelihood is None) != (residual_impact is None):
        raise RiskError(_("Give both the residual likelihood and the residual impact, or neither."))


@transaction.atomic
def risk_create(
    *,
    actor: User,
    project: Project,
    title: str,
    category: str,
    inherent_likelihood: int,
    inherent_impact: int,
    description: str = "",
    owner: User | None = None,
    treatment: str = "reduce",
    residual_likelihood: int | None = None,
    residual_impact: int | None = None,
    review_date: datetime.date | None = None,
) -> Risk:
    """Adds a risk to a project's assessment; its first review falls due by its band unless given."""
    assessment = assessment_start(actor=actor, project=project)
    _check_belongs(project.organisation, owner, _("The risk owner must be someone in %(organisation)s."))
    _check_residual(residual_likelihood, residual_impact)
    risk = Risk(
        organisation=project.organisation,
        assessment=assessment,
        title=title,
        description=description,
        category=category,
        owner=owner,
        inherent_likelihood=inherent_likelihood,
        inherent_impact=inherent_impact,
        treatment=treatment,
        residual_likelihood=residual_likelihood,
        residual_impact=residual_impact,
        created_by=actor,
    )
    risk.set_scores()
    risk.review_date = review_date or scoring.default_review_date(risk.current_score, start=timezone.localdate())
    risk._history_user = actor
    risk.save()
    _record_scores(risk=risk, actor=actor, kind=RiskReview.Kind.ASSESSED)
    _owner_tell(risk=risk, actor=actor)
    return risk


def _owner_tell(*, risk: Risk, actor: User) -> None:
    """Tells the person just named a risk's owner, unless they named themselves."""
    if risk.owner is None or risk.owner_id == actor.pk:
        return
    link = notices.absolute_url(risk)
    with languages.in_language_of(risk.owner, risk.organisation):
        _owner_notice_send(risk=risk, actor=actor, link=link)


def _owner_notice_send(*, risk: Risk, actor: User, link: str) -> None:
    notices.notice_send(
        user=risk.owner,
        organisation=risk.organisation,
        kind=NoticeKind.OWNER_ASSIGNED,
        subject=_("You own the risk “%(title)s”") % {"title": risk.title},
        body=_(
            "%(actor)s has named you the owner of the risk “%(title)s” on “%(project)s”. "
            "As its owner you review it by %(date)s and keep its controls up to date."
        )
        % {
            "actor": actor,
            "title": risk.title,
            "project": risk.assessment.project.title,
            "date": dateformat.format(risk.review_date, "j F Y"),
        },
        url=link,
    )


@transaction.atomic
def risk_update(
    *,
    actor: User,
    risk: Risk,
    title: str,
    category: str,
    inherent_likelihood: int,
    inherent_impact: int,
    description: str = "",
    owner: User | None = None,
    treatment: str = "reduce",
    residual_likelihood: int | None = None,
    residual_impact: int | None = None,
    review_date: datetime.date | None = None,
) -> Risk:
    """Corrects a risk's details; a change of score is kept in its history like a review."""
    access.require(actor, "risk.edit_risks", risk)
    _check_belongs(risk.organisation, owner, _("The risk owner must be someone in %(organisation)s."))
    _check_residual(residual_likelihood, residual_impact)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    before = tuple(getattr(risk, field) for field in SCORE_FIELDS)
    owner_before = risk.owner_id
    risk.title = title
    risk.description = description
    risk.category = category
    risk.owner = owner
    risk.treatment = treatment
    risk.inherent_likelihood = inherent_likelihood
    risk.inherent_impact = inherent_impact
    risk.residual_likelihood = residual_likelihood
    risk.residual_impact = residual_impact
    risk.set_scores()
    if review_date is not None:
        risk.review_date = review_date
    risk._history_user = actor
    risk.save()
    if tuple(getattr(risk, field) for field in SCORE_FIELDS) != before:
        _record_scores(risk=risk, actor=actor, kind=RiskReview.Kind.EDITED)
    if risk.owner_id != owner_before:
        _owner_tell(risk=risk, actor=actor)
    return risk


@transaction.atomic
def risk_review(
    *,
    actor: User,
    risk: Risk,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int,
    residual_impact: int,
    note: str,
    status: str = "open",
    review_date: datetime.date | None = None,
) -> RiskReview:
    """A manager's review: re-scores the risk, says what changed and sets the next review date."""
    access.require(actor, "risk.review_risk", risk)
    if not note.strip():
        raise RiskError(_("Say what has changed since the last review."))
    _check_residual(residual_likelihood, residual_impact)
    # Locked, so that two managers reviewing at once both leave a history row in order.
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    risk.inherent_likelihood = inherent_likelihood
    risk.inherent_impact = inherent_impact
    risk.residual_likelihood = residual_likelihood
    risk.residual_impact = residual_impact
    risk.status = status
    risk.set_scores()
    today = timezone.localdate()
    risk.last_reviewed_at = timezone.now()
    risk.review_date = review_date or scoring.default_review_date(risk.current_score, start=today)
    risk._history_user = actor
    risk.save()
    return _record_scores(risk=risk, actor=actor, kind=RiskReview.Kind.REVIEWED, note=note)


@transaction.atomic
def control_add(
    *,
    actor: User,
    risk: Risk,
    description: str,
    owner: User | None = None,
    cost=None,
    start_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
    status: str = Control.Status.PLANNED,
) -> Control:
    """Adds a control or mitigation to a risk, with its owner, cost and dates."""
    access.require(actor, "risk.edit_risks", risk)
    _check_belongs(risk.organisation, owner, _("The control’s owner must be someone in %(organisation)s."))
    if start_date and due_date and due_date < start_date:
        raise RiskError(_("The date it is due must be the same as or after the date it starts."))
    control = Control(
        organisation=risk.organisation,
        risk=risk,
        description=description,
        owner=owner,
        cost=cost,
        start_date=start_date,
        due_date=due_date,
        status=status,
    )
    control._history_user = actor
    control.save()
    return control


@transaction.atomic
def risk_comment_add(*, actor: User, risk: Risk, body: str) -> RiskComment:
    """Adds a comment to a risk."""
    access.require(actor, "risk.comment_on_risk", risk)
    if not body.strip():
        raise RiskError(_("Enter your comment."))
    return RiskComment.objects.create(organisation=risk.organisation, risk=risk, author=actor, body=body.strip())


@transaction.atomic
def overdue_reviews_remind(*, today: datetime.date | None = None) -> int:
    """Tells each owner of open risks on the registers (live projects', and those the organisation
    carries) whose review is overdue; returns the notices."""
    today = today or timezone.localdate()
    overdue = (
        Risk.objects.on_register()
        .overdue(today)
        .filter(owner__isnull=False, owner__is_active=True)
        .select_related("owner", "organisation", "assessment__project")
        .order_by("organisation__name", "review_date", "pk")
    )
    by_owner: dict[tuple[int, int], list[Risk]] = defaultdict(list)
    for risk in overdue:
        by_owner[(risk.owner_id, risk.organisation_id)].append(risk)
    for risks in by_owner.values():
        owner, organisation = risks[0].owner, risks[0].organisation
        with languages.in_language_of(owner, organisation):
            body = render_to_string(
                "risk/email/overdue_reviews.txt",
                {
                    "owner": owner,
                    "organisation": organisation,
                    "risks": [(risk, notices.absolute_url(risk)) for risk in risks],
                    "today": today,
                },
            )
            notices.notice_send(
                user=owner,
                organisation=organisation,
                kind=NoticeKind.REVIEWS_OVERDUE,
                subject=ngettext(
                    "%(count)s risk review overdue in %(organisation)s",
                    "%(count)s risk reviews overdue in %(organisation)s",
                    len(risks),
                )
                % {"count": len(risks), "organisation": organisation.name},
                body=body,
            )
    return len(by_owner)

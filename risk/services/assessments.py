"""The organisation's risk appetite, and starting and writing a project's risk assessment."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User
from innovation.models import Project
from risk.models import RiskAppetite, RiskAssessment
from risk.services.base import RiskError


@transaction.atomic
def appetite_set(
    *, actor: User, organisation: Organisation, max_residual_score: int, acceptance_months: int | None = None
) -> RiskAppetite:
    """Sets the highest residual score the organisation accepts without a member accepting it,
    and how many months a member's acceptance at the approval gate lasts."""
    access.require(actor, "risk.set_appetite", organisation)
    if not 1 <= max_residual_score <= 25:
        raise RiskError(_("The risk appetite must be a score from 1 to 25."))
    appetite, _created = RiskAppetite.objects.select_for_update().get_or_create(organisation=organisation)
    appetite.max_residual_score = max_residual_score
    if acceptance_months is not None:
        if not 1 <= acceptance_months <= 36:
            raise RiskError(_("An acceptance lasts from 1 to 36 months."))
        appetite.acceptance_months = acceptance_months
    appetite.updated_by = actor
    appetite._history_user = actor
    appetite.save()
    return appetite


@transaction.atomic
def assessment_start(*, actor: User, project: Project) -> RiskAssessment:
    """Starts a project's risk assessment, or returns the one it already has."""
    access.require(actor, "risk.edit_risks", project)
    assessment, _created = RiskAssessment.objects.get_or_create(
        project=project, defaults={"organisation": project.organisation}
    )
    return assessment


@transaction.atomic
def assessment_update(*, actor: User, project: Project, summary: str, recommendation: str) -> RiskAssessment:
    """Writes the assessment's summary, weighing both sides, and its recommendation."""
    assessment = assessment_start(actor=actor, project=project)
    assessment.summary = summary
    assessment.recommendation = recommendation
    assessment._history_user = actor
    assessment.save()
    return assessment

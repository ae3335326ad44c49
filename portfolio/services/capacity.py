"""The capacity self-assessment (R9): each manager's or member's scores."""

from django.db import transaction

from accounts import access
from accounts.models import Organisation, User
from portfolio.models import CapacityAssessment, CapacityFactor


@transaction.atomic
def capacity_assessment_save(*, actor: User, organisation: Organisation, scores: dict[str, int]) -> CapacityAssessment:
    """Records (or replaces) a manager's or member's scores of the organisation's capacity to innovate."""
    access.require(actor, "portfolio.assess_capacity", organisation)
    if set(scores) != set(CapacityFactor.values) or not all(1 <= int(v) <= 5 for v in scores.values()):
        raise ValueError("Score every factor from 1 to 5")
    assessment, _ = CapacityAssessment.objects.update_or_create(
        organisation=organisation, respondent=actor, defaults={"scores": {k: int(v) for k, v in scores.items()}}
    )
    return assessment

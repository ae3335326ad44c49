"""The capacity self-assessment (R9): each manager's or member's scores."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import Organisation, User
from portfolio.models import CapacityAssessment, CapacityFactor


def _require(actor: User, perm: str, organisation: Organisation) -> None:
    if not actor.has_perm(perm, organisation):
        raise PermissionDenied


@transaction.atomic
def capacity_assessment_save(*, actor: User, organisation: Organisation, scores: dict[str, int]) -> CapacityAssessment:
    """Records (or replaces) a manager's or member's scores of the organisation's capacity to innovate."""
    _require(actor, "portfolio.assess_capacity", organisation)
    if set(scores) != set(CapacityFactor.values) or not all(1 <= int(v) <= 5 for v in scores.values()):
        raise ValueError("Score every factor from 1 to 5")
    assessment, _ = CapacityAssessment.objects.update_or_create(
        organisation=organisation, respondent=actor, defaults={"scores": {k: int(v) for k, v in scores.items()}}
    )
    return assessment

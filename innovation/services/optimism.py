"""Optimism bias: mitigations recorded against the guidance's contributory factors, and an
organisation's own uplift table. The figures are worked out in innovation/optimism.py."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require
from accounts.models import Organisation, User
from innovation import optimism
from innovation.models import (
    BusinessCase,
    Factor,
    OptimismBiasMitigation,
    OptimismBiasOverride,
    Project,
    ProjectStage,
    ProjectType,
)
from innovation.services.base import InnovationError


@transaction.atomic
def optimism_mitigation_record(
    *, actor: User, project: Project, factor: str, share_mitigated: int, how: str
) -> OptimismBiasMitigation:
    """Records what the project has done about one contributory factor and how much of it that
    mitigates; recording the same factor again replaces the figure, and the history keeps both."""
    require(actor, "innovation.manage_project", project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.stage != ProjectStage.ASSESSMENT:
        raise InnovationError(
            _("You cannot change the business case while it is in “%(stage)s”.")
            % {"stage": project.get_stage_display().lower()}
        )
    case = BusinessCase.objects.filter(project=project).first()
    if case is None:
        raise InnovationError(_("Write the business case before recording how optimism bias is mitigated."))
    if factor not in Factor.values:
        raise InnovationError(_("Choose a contributory factor from the list."))
    if isinstance(share_mitigated, bool) or not isinstance(share_mitigated, int) or not 0 <= share_mitigated <= 100:
        raise InnovationError(_("The share mitigated must be a whole number from 0 to 100."))
    if not how.strip():
        raise InnovationError(_("Enter what has been done to mitigate this factor."))
    mitigation = OptimismBiasMitigation.objects.filter(business_case=case, factor=factor).first()
    if mitigation is None:
        mitigation = OptimismBiasMitigation(organisation=project.organisation, business_case=case, factor=factor)
    mitigation.share_mitigated = share_mitigated
    mitigation.how = how.strip()
    mitigation.recorded_by = actor
    mitigation.recorded_at = timezone.now()
    mitigation._history_user = actor
    mitigation.save()
    return mitigation


@transaction.atomic
def optimism_override_set(
    *, actor: User, organisation: Organisation, project_type: str, reason: str, **bounds: Decimal | None
) -> OptimismBiasOverride:
    """Sets the organisation's own upper and lower bounds for one project type, with the reason;
    the history keeps every earlier table, who set it and why."""
    require(actor, "innovation.manage_optimism_bias", organisation)
    if project_type not in ProjectType.values:
        raise InnovationError(_("Choose a project type from the list."))
    if not reason.strip():
        raise InnovationError(_("Enter why the organisation uses its own figures; the reason is kept."))
    guidance = optimism.guidance_bounds()[project_type]
    values = {}
    for name in optimism.BOUNDS:
        value = bounds.get(name)
        if getattr(guidance, name) is None:
            # The guidance gives no figure here (n/a): neither may an organisation invent one.
            values[name] = None
            continue
        if value is None:
            raise InnovationError(_("Enter every upper and lower bound the guidance gives for this type."))
        if value < 0 or value > 1000:
            raise InnovationError(_("Each bound is a percentage from 0 to 1000."))
        values[name] = value
    for stem in ("works_duration", "capital_expenditure", "operating_expenditure"):
        upper, lower = values[f"{stem}_upper"], values[f"{stem}_lower"]
        if upper is not None and lower > upper:
            raise InnovationError(_("A lower bound cannot be above its upper bound."))
    override = OptimismBiasOverride.objects.select_for_update().filter(
        organisation=organisation, project_type=project_type
    ).first() or OptimismBiasOverride(organisation=organisation, project_type=project_type)
    for name, value in values.items():
        setattr(override, name, value)
    override.reason = reason.strip()
    override.set_by = actor
    override.set_at = timezone.now()
    override._history_user = actor
    override.save()
    return override
